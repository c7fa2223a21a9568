import { deriveKeyEncryptionKey, newKdfParams, randomId, wipeKey, wrapKey, type KdfPreset } from '../crypto/index.js';
import { VaultError } from '../errors.js';
import { readKeySlots, readVerifiedHeader, writeHeader } from './header.js';
import { assertAcceptablePassphrase } from './passphrasePolicy.js';
import type { VaultSession } from './VaultSession.js';

/**
 * Replaces the passphrase slot: a new salt and KDF run wrap the same master key, so no record,
 * blob or audit entry is re-encrypted. `inTransaction` lets the caller log the change atomically.
 */
export async function changePassphrase(
  session: VaultSession,
  newPassphrase: string,
  options: { kdfPreset?: KdfPreset; inTransaction?: () => void } = {},
): Promise<void> {
  assertAcceptablePassphrase(newPassphrase);
  const params = newKdfParams(options.kdfPreset ?? 'moderate');
  const keyEncryptionKey = await deriveKeyEncryptionKey(newPassphrase, params);
  try {
    const db = session.db;
    db.transaction(() => {
      const slots = readKeySlots(db).filter((slot) => slot.kind === 'passphrase');
      if (slots.length !== 1) throw new VaultError('INVALID_INPUT', 'this vault has several passphrase slots; change them one by one');
      const header = readVerifiedHeader(db, session.key('headerMacKey'));
      const slotId = randomId();
      const wrapped = wrapKey(keyEncryptionKey, session.key('masterKey'), { vaultId: session.vaultId, purpose: 'master', ownerId: slotId });
      db.prepare('DELETE FROM key_slots WHERE kind = ?').run('passphrase');
      db.prepare('INSERT INTO key_slots (slot_id, kind, kdf_params_json, wrapped_master_key) VALUES (?, ?, ?, ?)').run(slotId, 'passphrase', JSON.stringify(params), wrapped);
      writeHeader(db, header, session.key('headerMacKey'));
      options.inTransaction?.();
    })();
  } finally {
    wipeKey(keyEncryptionKey);
  }
}
