import { VaultService } from '../../core/VaultService.js';
import { CliError } from '../CliError.js';
import { defineCommand } from '../CommandSpec.js';
import { parseKdfPreset } from '../parseKdfPreset.js';
import { COMMON_HELP, COMMON_OPTIONS, parseCommandArgs } from '../parseCommandArgs.js';
import { NEW_PASSPHRASE_HELP, NEW_PASSPHRASE_OPTIONS, readNewPassphrase } from '../readNewPassphrase.js';
import { readPassphrase } from '../readPassphrase.js';
import { oneLine } from '../terminalText.js';
import { assertVaultExists, useUnlockedVault } from '../withVault.js';

export const recoverCommand = defineCommand({
  words: ['recover'],
  summary: 'open the vault with its recovery key and set a new passphrase',
  usage: 'recover <dir> [--label "<label>"] [--kdf moderate|strong|sensitive]',
  help: [
    'The recovery key comes from --recovery-key-file, TVAULT_RECOVERY_KEY, or a no-echo prompt;',
    'case, spaces and dashes do not matter, and a typo is reported by its group (1 to 14).',
    'The new passphrase is added as a new key slot; the lost one keeps its slot until you remove it.',
    '--recovery-key-file <f>  read the recovery key from <f>',
    ...NEW_PASSPHRASE_HELP,
    '--label <label>          label of the new slot (default "set with the recovery key <date>")',
    '--kdf <preset>           Argon2id cost for the new passphrase (default moderate)',
    ...COMMON_HELP,
  ],
  cancellable: false,
  async run(args, context) {
    const { values, positionals } = parseCommandArgs(
      context.spec,
      args,
      { ...COMMON_OPTIONS, ...NEW_PASSPHRASE_OPTIONS, 'recovery-key-file': { type: 'string' }, label: { type: 'string' }, kdf: { type: 'string' } },
      { min: 1, max: 1 },
    );
    const [dir = ''] = positionals;
    const { io, out, platform } = context;
    const kdf = parseKdfPreset(values.kdf);
    const label = (values.label ?? `set with the recovery key ${platform.now().toISOString().slice(0, 10)}`).trim();
    if (label.length === 0) throw new CliError('USAGE', '--label must not be empty');
    assertVaultExists(dir);
    const recoveryKey = await readPassphrase(io, {
      file: values['recovery-key-file'],
      envName: 'TVAULT_RECOVERY_KEY',
      fileOption: '--recovery-key-file',
      question: 'Recovery key (not shown as you type): ',
      confirm: false,
      recoveryKey: true,
    });
    // Core checks every group's check character before the vault is touched: a typo never counts as a failed attempt.
    const slotId = await useUnlockedVault(context, () => VaultService.openWithRecoveryKey(dir, recoveryKey, platform), async (vault) => {
      const next = await readNewPassphrase(io, values['new-passphrase-file']);
      return vault.addPassphraseSlot(label, next, kdf);
    });
    out.result({ slotId, kind: 'passphrase', label, kdf }, () => {
      out.line(`added key slot ${slotId} (passphrase, "${oneLine(label)}"): the new passphrase opens the vault`);
      out.note(`if a passphrase was lost or may be known to someone else, remove its slot: tvault key list, then tvault key remove <dir> <slot-id>`);
      out.note('the recovery key you typed still works; if it may have been seen, make a new one: tvault key add <dir> --recovery --replace');
    });
  },
});
