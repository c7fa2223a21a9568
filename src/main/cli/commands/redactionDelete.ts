import { defineCommand } from '../CommandSpec.js';
import { parseCommandArgs, VAULT_HELP, VAULT_OPTIONS } from '../parseCommandArgs.js';
import { withVault } from '../withVault.js';

export const redactionDeleteCommand = defineCommand({
  words: ['redaction', 'delete'],
  summary: 'delete the saved redaction plan (exports then use every suggestion)',
  usage: 'redaction delete <dir> <testimony-id>',
  help: ['The testimony itself is not touched.', ...VAULT_HELP],
  cancellable: false,
  async run(args, context) {
    const { values, positionals } = parseCommandArgs(context.spec, args, VAULT_OPTIONS, { min: 2, max: 2 });
    const [dir = '', testimonyId = ''] = positionals;
    const deleted = await withVault(context, dir, values['passphrase-file'], (vault) => {
      vault.getTestimony(testimonyId); // NOT_FOUND for an unknown id
      return vault.deleteRedactionPlan(testimonyId);
    });
    const { out } = context;
    out.result({ testimonyId, deleted }, () => {
      out.line(deleted ? `deleted the saved redaction plan of ${testimonyId}` : `no redaction plan was saved for ${testimonyId}; nothing deleted`);
    });
  },
});
