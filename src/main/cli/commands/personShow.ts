import { defineCommand } from '../CommandSpec.js';
import { parseCommandArgs, parsePositiveInteger, VAULT_HELP, VAULT_OPTIONS } from '../parseCommandArgs.js';
import { personLines } from '../personLines.js';
import { withVault } from '../withVault.js';

export const personShowCommand = defineCommand({
  words: ['person', 'show'],
  summary: 'show a person (the latest version, or --version N)',
  usage: 'person show <dir> <id> [--version N]',
  help: ['--version <N>            show version N', ...VAULT_HELP],
  cancellable: false,
  async run(args, context) {
    const { values, positionals } = parseCommandArgs(context.spec, args, { ...VAULT_OPTIONS, version: { type: 'string' } }, { min: 2, max: 2 });
    const [dir = '', id = ''] = positionals;
    const version = values.version === undefined ? undefined : parsePositiveInteger(context.spec, 'version', values.version);
    const person = await withVault(context, dir, values['passphrase-file'], (vault) => vault.getPerson(id, version));
    context.out.result({ person }, () => {
      context.out.line(`id:           ${person.id}`);
      context.out.line(`version:      ${person.version}`);
      for (const line of personLines(person)) context.out.line(line);
    });
  },
});
