import { isVaultError } from '../../src/main/core/errors.js';
import type { Platform } from '../../src/main/core/platform.js';
import { VaultService } from '../../src/main/core/VaultService.js';
import { crashPassphrase, passphraseCandidates, type AckLine } from './ackLog.js';

/**
 * Opens the vault after a kill. A passphrase change that was in flight either committed or did not:
 * its new passphrase is tried first, then the last acknowledged one. Returns which one opened it.
 */
export async function openAfterKill(vaultDir: string, basePassphrase: string, lines: readonly AckLine[], platform: Platform): Promise<{ service: VaultService; openedWithPassphrase: number }> {
  const { current, inDoubt } = passphraseCandidates(lines);
  if (inDoubt !== null) {
    try {
      return { service: await VaultService.open(vaultDir, crashPassphrase(basePassphrase, inDoubt), platform), openedWithPassphrase: inDoubt };
    } catch (error) {
      if (!isVaultError(error) || error.code !== 'WRONG_PASSPHRASE') throw error;
    }
  }
  return { service: await VaultService.open(vaultDir, crashPassphrase(basePassphrase, current), platform), openedWithPassphrase: current };
}
