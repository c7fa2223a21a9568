import { VaultError } from '../../core/errors.js';
import { defineCommand } from '../CommandSpec.js';
import { parseCommandArgs, VAULT_HELP, VAULT_OPTIONS } from '../parseCommandArgs.js';
import { readSenderKeyArg } from '../senderKeyArg.js';
import { withVault } from '../withVault.js';

export const trustRemoveCommand = defineCommand({
  words: ['trust', 'remove'],
  summary: "stop trusting a sender's key: tvault merge refuses its bundles from now on",
  usage: 'trust remove <dir> <RW...|sender.pub|key-id>',
  help: [
    '<RW...|sender.pub|key-id>  the key, its .pub file, or its 16-hex key id as tvault trust list shows it',
    'What was merged from it stays. Recorded in the audit log (the key only).',
    ...VAULT_HELP,
  ],
  cancellable: false,
  async run(args, context) {
    const { values, positionals } = parseCommandArgs(context.spec, args, { ...VAULT_OPTIONS }, { min: 2, max: 2 });
    const [dir = '', keyArg = ''] = positionals;
    const key = readSenderKeyArg(keyArg, true);
    const removed = await withVault(context, dir, values['passphrase-file'], (vault) => vault.removeTrustedSender(key));
    if (removed === 0) throw new VaultError('NOT_FOUND', 'no trusted sender with that key (see tvault trust list)');
    context.out.result({ removed }, () => {
      context.out.line(`removed ${removed} trusted sender entr${removed === 1 ? 'y' : 'ies'}; bundles signed by that key are refused from now on`);
    });
  },
});
