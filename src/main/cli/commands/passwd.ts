import { defineCommand } from '../CommandSpec.js';
import { parseKdfPreset } from '../parseKdfPreset.js';
import { parseCommandArgs, VAULT_HELP, VAULT_OPTIONS } from '../parseCommandArgs.js';
import { NEW_PASSPHRASE_HELP, NEW_PASSPHRASE_OPTIONS, readNewPassphrase } from '../readNewPassphrase.js';
import { withVault } from '../withVault.js';

export const passwdCommand = defineCommand({
  words: ['passwd'],
  summary: 'change the passphrase (nothing is re-encrypted; the old one stops working)',
  usage: 'passwd <dir> [--kdf moderate|strong|sensitive]',
  help: [
    'Replaces the key slot that the current passphrase opens; other members\' slots are untouched.',
    'The current passphrase comes as for every command; the new one from --new-passphrase-file,',
    'TVAULT_NEW_PASSPHRASE, or a prompt (asked twice).',
    ...NEW_PASSPHRASE_HELP,
    '--kdf <preset>           Argon2id cost for the new passphrase (default moderate)',
    ...VAULT_HELP,
  ],
  cancellable: false,
  async run(args, context) {
    const { values, positionals } = parseCommandArgs(
      context.spec,
      args,
      { ...VAULT_OPTIONS, ...NEW_PASSPHRASE_OPTIONS, kdf: { type: 'string' } },
      { min: 1, max: 1 },
    );
    const [dir = ''] = positionals;
    const kdf = parseKdfPreset(values.kdf);
    // Unlock first: a wrong current passphrase is reported before the new one is typed twice.
    await withVault(context, dir, values['passphrase-file'], async (vault) => {
      const next = await readNewPassphrase(context.io, values['new-passphrase-file']);
      await vault.changePassphrase(next, kdf);
    });
    context.out.result({ changed: true, kdf }, () => context.out.line('passphrase changed; the old one no longer opens the vault'));
  },
});
