import fs from 'node:fs';
import { VaultError } from '../core/errors.js';
import { VaultService } from '../core/VaultService.js';
import { vaultPaths } from '../core/vault/vaultPaths.js';
import type { CommandContext } from './CommandSpec.js';
import type { Output } from './Output.js';
import { readPassphrase } from './readPassphrase.js';
import { oneLine } from './terminalText.js';

/** Refuses a folder with no vault before asking for a passphrase that would be typed for nothing. */
export function assertVaultExists(dir: string): void {
  const paths = vaultPaths(dir);
  if (!fs.existsSync(paths.dbPath)) throw new VaultError('VAULT_NOT_FOUND', `no vault at ${paths.dir}`);
}

/** The current passphrase of the vault in `dir`: --passphrase-file, TVAULT_PASSPHRASE, or a prompt. */
export function readVaultPassphrase(context: CommandContext, dir: string, passphraseFile: string | undefined): Promise<string> {
  return readPassphrase(context.io, {
    file: passphraseFile,
    envName: 'TVAULT_PASSPHRASE',
    fileOption: '--passphrase-file',
    question: `Passphrase for ${oneLine(vaultPaths(dir).dir)}: `,
    confirm: false,
  });
}

/**
 * Someone may have been guessing: said once per run, on stderr for people and as a field of the
 * JSON document (success or error) for scripts. Core resets the count at every successful unlock.
 */
function warnAboutFailedAttempts(out: Output, failedAttempts: number): void {
  if (failedAttempts <= 0) return;
  const attempts = failedAttempts === 1 ? '1 failed unlock attempt' : `${failedAttempts} failed unlock attempts`;
  out.warning('failedAttemptsBeforeUnlock', failedAttempts, `${attempts} since the last successful one`);
}

/**
 * Runs `use` on a vault that `open` unlocks, and always locks it again (keys zeroed, writer lock
 * released). For commands that unlock in another way (recover) or at another moment (restore).
 */
export async function useUnlockedVault<T>(context: CommandContext, open: () => Promise<VaultService>, use: (vault: VaultService) => Promise<T> | T): Promise<T> {
  const vault = await open();
  try {
    // Before the cancel check: the count is already reset, so this is the only time it can be told.
    warnAboutFailedAttempts(context.out, vault.failedAttemptsBeforeUnlock);
    // Ctrl-C during the (second-long) key derivation: stop before touching anything.
    if (context.io.signal?.aborted) throw new VaultError('CANCELLED', 'cancelled');
    return await use(vault);
  } finally {
    // Seals the search index if this command opened it, so the next one need not rebuild it.
    await vault.close();
  }
}

/** Unlocks the vault for one command and always locks it again (keys zeroed, writer lock released). */
export async function withVault<T>(context: CommandContext, dir: string, passphraseFile: string | undefined, use: (vault: VaultService) => Promise<T> | T): Promise<T> {
  assertVaultExists(dir);
  const passphrase = await readVaultPassphrase(context, dir, passphraseFile);
  return useUnlockedVault(context, () => VaultService.open(dir, passphrase, context.platform), use);
}
