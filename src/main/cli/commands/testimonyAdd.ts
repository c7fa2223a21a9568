import { defineCommand } from '../CommandSpec.js';
import { parseCommandArgs, VAULT_HELP, VAULT_OPTIONS } from '../parseCommandArgs.js';
import { readJsonFile } from '../readJsonFile.js';
import { withVault } from '../withVault.js';

export const testimonyAddCommand = defineCommand({
  words: ['testimony', 'add'],
  summary: 'import a testimony from a JSON file; prints its id',
  usage: 'testimony add <dir> <file.json>',
  help: [
    '<file.json>              a testimony in the import format (see docs/CLI.md); persons named in it',
    '                         are added to the registry, unknown vocabulary terms are added and reported',
    ...VAULT_HELP,
  ],
  cancellable: false,
  async run(args, context) {
    const { values, positionals } = parseCommandArgs(context.spec, args, VAULT_OPTIONS, { min: 2, max: 2 });
    const [dir = '', file = ''] = positionals;
    // Read and parse before unlocking: a typo in the file fails at once, with no passphrase asked.
    const input = readJsonFile(file);
    const added = await withVault(context, dir, values['passphrase-file'], (vault) => vault.addTestimony(input));
    context.out.result(
      { id: added.testimonyId, intervieweeId: added.intervieweeId ?? null, personIds: added.personIds, addedTerms: added.addedTerms },
      () => {
        context.out.line(added.testimonyId);
        for (const term of added.addedTerms) context.out.note(`added new ${term.scheme} term "${term.label}" to the vocabulary`);
      },
    );
  },
});
