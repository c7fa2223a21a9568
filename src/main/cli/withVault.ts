import fs from 'node:fs';
import { VaultError } from '../core/errors.js';
import { VaultService } from '../core/VaultService.js';
import { vaultPaths } from '../core/vault/vaultPaths.js';
import type { CommandContext } from './CommandSpec.js';
import { readPassphrase } from './readPassphrase.js';
import { oneLine } from './terminalText.js';

/** Refuses a folder with no vault before asking for a passphrase that would be typed for nothing. */
export function assertVaultExists(dir: string): void {
  const paths = vaultPaths(dir);
  if (!fs.existsSync(paths.dbPath)) throw new VaultError('VAULT_NOT_FOUND', `no vault at ${paths.dir}`);
}

/** Unlocks the vault for one command and always locks it again (keys zeroed, writer lock released). */
export async function withVault<T>(context: CommandContext, dir: string, passphraseFile: string | undefined, use: (vault: VaultService) => Promise<T> | T): Promise<T> {
  assertVaultExists(dir);
  const passphrase = await readPassphrase(context.io, {
    file: passphraseFile,
    envName: 'TVAULT_PASSPHRASE',
    fileOption: '--passphrase-file',
    question: `Passphrase for ${oneLine(vaultPaths(dir).dir)}: `,
    confirm: false,
  });
  const vault = await VaultService.open(dir, passphrase, context.platform);
  try {
    // Ctrl-C during the (second-long) key derivation: stop before touching anything.
    if (context.io.signal?.aborted) throw new VaultError('CANCELLED', 'cancelled');
    return await use(vault);
  } finally {
    vault.lock();
  }
}
