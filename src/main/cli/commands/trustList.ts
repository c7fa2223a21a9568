import { defineCommand } from '../CommandSpec.js';
import { parseCommandArgs, VAULT_HELP, VAULT_OPTIONS } from '../parseCommandArgs.js';
import { oneLine } from '../terminalText.js';
import { withVault } from '../withVault.js';

export const trustListCommand = defineCommand({
  words: ['trust', 'list'],
  summary: 'the trusted senders: key id, public key, label, when added',
  usage: 'trust list <dir>',
  help: [
    'A sender marked "not in audit log" is in the table but the signed audit log does not show it',
    'added (a row put back by hand): tvault merge does not trust it.',
    ...VAULT_HELP,
  ],
  cancellable: false,
  async run(args, context) {
    const { values, positionals } = parseCommandArgs(context.spec, args, { ...VAULT_OPTIONS }, { min: 1, max: 1 });
    const [dir = ''] = positionals;
    const senders = await withVault(context, dir, values['passphrase-file'], (vault) => vault.listTrustedSenders());
    const { out } = context;
    const rows = senders.map(({ keyId, publicKey, label, addedAt, confirmed }) => ({ keyId, publicKey, label, addedAt, confirmed }));
    out.result({ senders: rows }, () => {
      if (rows.length === 0) {
        out.line('no trusted senders (tvault trust add, or tvault merge --trust)');
        return;
      }
      out.table([
        ['KEY ID', 'PUBLIC KEY', 'ADDED', 'LABEL'],
        ...rows.map((row) => [row.keyId, row.publicKey, row.addedAt, `${oneLine(row.label)}${row.confirmed ? '' : ' (not in audit log)'}`]),
      ]);
    });
  },
});
