import { defineCommand } from '../CommandSpec.js';
import { parseCommandArgs, VAULT_HELP, VAULT_OPTIONS } from '../parseCommandArgs.js';
import { readJsonFile } from '../readJsonFile.js';
import { withVault } from '../withVault.js';

export const testimonyEditCommand = defineCommand({
  words: ['testimony', 'edit'],
  summary: 'change some fields of a testimony; writes a new version',
  usage: 'testimony edit <dir> <id> <patch.json>',
  help: [
    '<patch.json>             an object with only the fields to change, e.g. {"status": "in-review"};',
    '                         persons are managed with `tvault person`; earlier versions stay readable',
    ...VAULT_HELP,
  ],
  cancellable: false,
  async run(args, context) {
    const { values, positionals } = parseCommandArgs(context.spec, args, VAULT_OPTIONS, { min: 3, max: 3 });
    const [dir = '', id = '', file = ''] = positionals;
    const patch = readJsonFile(file);
    const edited = await withVault(context, dir, values['passphrase-file'], (vault) => vault.updateTestimony(id, patch));
    context.out.result({ id, version: edited.version, addedTerms: edited.addedTerms }, () => {
      context.out.line(`testimony ${id} is now at version ${edited.version}`);
      for (const term of edited.addedTerms) context.out.note(`added new ${term.scheme} term "${term.label}" to the vocabulary`);
    });
  },
});
