import { defineCommand } from '../CommandSpec.js';
import { parseCommandArgs, VAULT_HELP, VAULT_OPTIONS } from '../parseCommandArgs.js';
import { withVault } from '../withVault.js';

export const testimonyHistoryCommand = defineCommand({
  words: ['testimony', 'history'],
  summary: 'list the versions of a testimony',
  usage: 'testimony history <dir> <id>',
  help: ['Show one with `tvault testimony show <dir> <id> --version N`.', ...VAULT_HELP],
  cancellable: false,
  async run(args, context) {
    const { values, positionals } = parseCommandArgs(context.spec, args, VAULT_OPTIONS, { min: 2, max: 2 });
    const [dir = '', id = ''] = positionals;
    const versions = await withVault(context, dir, values['passphrase-file'], (vault) => vault.testimonyHistory(id));
    context.out.result({ id, versions }, () => {
      context.out.table([['VERSION', 'SAVED'], ...versions.map((v) => [String(v.version), v.updatedAt])]);
    });
  },
});
