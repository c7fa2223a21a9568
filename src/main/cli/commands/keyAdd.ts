import { VaultError } from '../../core/errors.js';
import { CliError } from '../CliError.js';
import { defineCommand } from '../CommandSpec.js';
import { parseKdfPreset } from '../parseKdfPreset.js';
import { parseCommandArgs, VAULT_HELP, VAULT_OPTIONS } from '../parseCommandArgs.js';
import { NEW_PASSPHRASE_HELP, NEW_PASSPHRASE_OPTIONS, readNewPassphrase } from '../readNewPassphrase.js';
import { recoveryKeyBlock } from '../recoveryKeyBlock.js';
import { oneLine } from '../terminalText.js';
import { withVault } from '../withVault.js';

export const keyAddCommand = defineCommand({
  words: ['key', 'add'],
  summary: 'add a member\'s passphrase (--label) or create the recovery key (--recovery)',
  usage: 'key add <dir> (--label "<label>" [--kdf moderate|strong|sensitive] | --recovery [--replace])',
  help: [
    'Unlocks with your current passphrase, then adds a key slot that opens the same vault.',
    '--label <label>          who the new passphrase belongs to (stored encrypted)',
    ...NEW_PASSPHRASE_HELP,
    '--kdf <preset>           Argon2id cost for the new passphrase (default moderate)',
    '--recovery               create the vault\'s recovery key and print it once (14 groups of 5);',
    '                         write it down or print it and keep it apart from the laptop: anyone',
    '                         holding it can open the vault. It is never written to a file.',
    '--replace                with --recovery: replace the existing recovery key (the old one stops working)',
    ...VAULT_HELP,
  ],
  cancellable: false,
  async run(args, context) {
    const { values, positionals } = parseCommandArgs(
      context.spec,
      args,
      {
        ...VAULT_OPTIONS,
        ...NEW_PASSPHRASE_OPTIONS,
        label: { type: 'string' },
        kdf: { type: 'string' },
        recovery: { type: 'boolean' },
        replace: { type: 'boolean' },
      },
      { min: 1, max: 1 },
    );
    const [dir = ''] = positionals;
    const { io, out } = context;

    if (values.recovery === true) {
      for (const option of ['label', 'kdf', 'new-passphrase-file'] as const) {
        if (values[option] !== undefined) throw new CliError('USAGE', `--${option} does not go with --recovery`);
      }
      const replace = values.replace === true;
      const created = await withVault(context, dir, values['passphrase-file'], (vault) => {
        const replaced = vault.listKeySlots().some((slot) => slot.kind === 'recovery');
        if (replaced && !replace) {
          throw new VaultError('INVALID_INPUT', 'this vault already has a recovery key; --replace makes a new one and the old one stops working');
        }
        return { ...vault.createRecoveryKey({ replace }), replaced, vaultId: vault.vaultId };
      });
      // Printed once, to stdout only (for the person, or a printer); never written to a file by us.
      out.result({ slotId: created.slotId, recoveryKey: created.recoveryKey, replaced: created.replaced }, () => {
        for (const line of recoveryKeyBlock(created.recoveryKey, created.vaultId)) out.line(line);
        if (created.replaced) out.note('the previous recovery key no longer opens the vault');
      });
      return;
    }

    if (values.replace === true) throw new CliError('USAGE', '--replace goes with --recovery only');
    if (values.label === undefined) throw new CliError('USAGE', '--label is required (or --recovery)');
    const label = values.label.trim();
    if (label.length === 0) throw new CliError('USAGE', '--label must not be empty');
    const kdf = parseKdfPreset(values.kdf);
    // Unlock first: a wrong current passphrase is reported before the new one is typed twice.
    const slotId = await withVault(context, dir, values['passphrase-file'], async (vault) => {
      const next = await readNewPassphrase(io, values['new-passphrase-file'], `New passphrase for "${oneLine(label)}": `);
      return vault.addPassphraseSlot(label, next, kdf);
    });
    out.result({ slotId, kind: 'passphrase', label, kdf }, () => out.line(`added key slot ${slotId} (passphrase, "${oneLine(label)}")`));
  },
});
