import { defineCommand } from '../CommandSpec.js';
import { parseCommandArgs, VAULT_HELP, VAULT_OPTIONS } from '../parseCommandArgs.js';
import { readJsonFile } from '../readJsonFile.js';
import { withVault } from '../withVault.js';

export const personAddCommand = defineCommand({
  words: ['person', 'add'],
  summary: 'add a person to the registry from a JSON file; prints the id',
  usage: 'person add <dir> <file.json>',
  help: ['<file.json>              {"name": ..., "aliases": [...], "phone", "nationalId", "email", "birthDate", "gender"}', ...VAULT_HELP],
  cancellable: false,
  async run(args, context) {
    const { values, positionals } = parseCommandArgs(context.spec, args, VAULT_OPTIONS, { min: 2, max: 2 });
    const [dir = '', file = ''] = positionals;
    const input = readJsonFile(file);
    const id = await withVault(context, dir, values['passphrase-file'], (vault) => vault.addPerson(input));
    context.out.result({ id }, () => context.out.line(id));
  },
});
