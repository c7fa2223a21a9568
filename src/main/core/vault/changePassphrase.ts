import type { KdfPreset } from '../crypto/index.js';
import { VaultError } from '../errors.js';
import { addPassphraseSlot, listKeySlots } from './keySlots.js';
import type { VaultSession } from './VaultSession.js';

/**
 * Replaces the passphrase of the slot that opened this session: a new salt and KDF run wrap the same
 * master key, so no record, blob or audit entry is re-encrypted. Other slots are untouched.
 */
export async function changePassphrase(
  session: VaultSession,
  newPassphrase: string,
  options: { kdfPreset?: KdfPreset; inTransaction?: () => void } = {},
): Promise<void> {
  const slotId = session.unlockInfo.unlockedSlotId;
  const slot = listKeySlots(session).find((candidate) => candidate.slotId === slotId);
  if (!slot) throw new VaultError('NOT_FOUND', 'the key slot that opened this vault no longer exists');
  if (slot.kind !== 'passphrase') {
    throw new VaultError('INVALID_INPUT', 'this vault was opened with its recovery key: add a new passphrase slot instead');
  }
  const newSlotId = await addPassphraseSlot(session, slot.label ?? 'passphrase', newPassphrase, {
    ...(options.kdfPreset ? { kdfPreset: options.kdfPreset } : {}),
    replaceSlotId: slotId,
    inTransaction: () => options.inTransaction?.(),
  });
  // Later changes in this session replace the new slot, not the deleted one.
  session.unlockInfo.unlockedSlotId = newSlotId;
}
