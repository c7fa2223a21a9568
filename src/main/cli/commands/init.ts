import fs from 'node:fs';
import { VaultError } from '../../core/errors.js';
import { VaultService } from '../../core/VaultService.js';
import { vaultPaths } from '../../core/vault/vaultPaths.js';
import { defineCommand } from '../CommandSpec.js';
import { parseKdfPreset } from '../parseKdfPreset.js';
import { parseCommandArgs, VAULT_HELP, VAULT_OPTIONS } from '../parseCommandArgs.js';
import { readPassphrase } from '../readPassphrase.js';
import { oneLine } from '../terminalText.js';

export const initCommand = defineCommand({
  words: ['init'],
  summary: 'create a new, empty vault',
  usage: 'init <dir> [--kdf moderate|strong|sensitive]',
  help: [
    '<dir>                    a new or empty folder',
    '--kdf <preset>           Argon2id cost: moderate (256 MiB, default), strong (512 MiB),',
    '                         sensitive (1 GiB); every unlock pays it, and so does an attacker',
    'The passphrase comes from --passphrase-file, TVAULT_PASSPHRASE, or is asked twice.',
    ...VAULT_HELP,
  ],
  cancellable: false,
  async run(args, context) {
    const { values, positionals } = parseCommandArgs(context.spec, args, { ...VAULT_OPTIONS, kdf: { type: 'string' } }, { min: 1, max: 1 });
    const [dir = ''] = positionals;
    const kdf = parseKdfPreset(values.kdf);
    const paths = vaultPaths(dir);
    // Checked before the prompt too (core checks again), so nobody types a passphrase for nothing.
    if (fs.existsSync(paths.dir) && (!fs.statSync(paths.dir).isDirectory() || fs.readdirSync(paths.dir).length > 0)) {
      throw new VaultError('VAULT_EXISTS', `${paths.dir} is not empty; choose a new folder for the vault`);
    }
    const passphrase = await readPassphrase(context.io, {
      file: values['passphrase-file'],
      envName: 'TVAULT_PASSPHRASE',
      fileOption: '--passphrase-file',
      question: `New passphrase for ${oneLine(paths.dir)}: `,
      confirm: true,
    });
    const vault = await VaultService.create(dir, passphrase, context.platform, { kdfPreset: kdf });
    try {
      const created = { vaultId: vault.vaultId, dir: vault.dir, kdf, signingPublicKey: vault.signingPublicKeyHex };
      context.out.result(created, () => {
        context.out.line(`created vault ${created.vaultId} at ${created.dir}`);
        context.out.note('keep the passphrase safe: without it nobody, including you, can open this vault');
      });
    } finally {
      vault.lock();
    }
  },
});
