import { defineCommand } from '../CommandSpec.js';
import { parseCommandArgs, VAULT_HELP, VAULT_OPTIONS } from '../parseCommandArgs.js';
import { withVault } from '../withVault.js';

export const personListCommand = defineCommand({
  words: ['person', 'list'],
  summary: 'list the person registry (id, name, aliases)',
  usage: 'person list <dir>',
  help: [...VAULT_HELP],
  cancellable: false,
  async run(args, context) {
    const { values, positionals } = parseCommandArgs(context.spec, args, VAULT_OPTIONS, { min: 1, max: 1 });
    const [dir = ''] = positionals;
    const persons = await withVault(context, dir, values['passphrase-file'], (vault) => vault.listPersons());
    context.out.result({ persons }, () => {
      if (persons.length === 0) return context.out.note('the registry holds no person yet');
      context.out.table([['ID', 'NAME', 'ALIASES'], ...persons.map((p) => [p.id, p.name, p.aliases.join(', ')])]);
    });
  },
});
