import { CliError } from '../CliError.js';
import { defineCommand } from '../CommandSpec.js';
import { parseCommandArgs, VAULT_HELP, VAULT_OPTIONS } from '../parseCommandArgs.js';
import { readSenderKeyArg } from '../senderKeyArg.js';
import { oneLine } from '../terminalText.js';
import { withVault } from '../withVault.js';

export const trustAddCommand = defineCommand({
  words: ['trust', 'add'],
  summary: "trust a sender's minisign key: tvault merge accepts the transfer bundles it signs",
  usage: 'trust add <dir> <sender.pub|RW...> --label "<who>"',
  help: [
    '<sender.pub|RW...>       the sending vault\'s key (tvault identity <vault> --minisign-pub, or its RW... line),',
    '                         received and compared by another channel than the bundle',
    '--label "<who>"          who or which team holds it (1 to 200 characters; encrypted)',
    'Adding a key that is already trusted changes nothing. Recorded in the audit log (the key only).',
    ...VAULT_HELP,
  ],
  cancellable: false,
  async run(args, context) {
    const { values, positionals } = parseCommandArgs(context.spec, args, { ...VAULT_OPTIONS, label: { type: 'string' } }, { min: 2, max: 2 });
    const [dir = '', keyArg = ''] = positionals;
    if (values.label === undefined) throw new CliError('USAGE', '--label "<who>" is required');
    const label = values.label;
    const keyText = readSenderKeyArg(keyArg, false);
    const sender = await withVault(context, dir, values['passphrase-file'], (vault) => vault.addTrustedSender(keyText, label));
    const { out } = context;
    out.result({ keyId: sender.keyId, publicKey: sender.publicKey, label: sender.label, addedAt: sender.addedAt }, () => {
      out.line(`trusted sender ${sender.keyId} "${oneLine(sender.label)}": ${sender.publicKey}`);
    });
  },
});
