import type Database from 'better-sqlite3';
import {
  deriveKeyEncryptionKey, deriveRecoveryWrappingKey, formatRecoveryKey, generateRecoverySecret, newKdfParams, openField, randomId,
  sealField, wipeKey, wrapKey, type KdfPreset, type SecretKey,
} from '../crypto/index.js';
import { VaultError } from '../errors.js';
import { readKeySlots, readVerifiedHeader, writeHeader } from './header.js';
import { assertAcceptablePassphrase } from './passphrasePolicy.js';
import type { VaultSession } from './VaultSession.js';

export type KeySlotKind = 'passphrase' | 'recovery';
export type KeySlotSummary = { slotId: string; kind: KeySlotKind; label: string | null; createdAt: string | null };

export const RECOVERY_KDF_PARAMS_JSON = JSON.stringify({ algorithm: 'recovery-key-blake2b' });
const MAX_LABEL_CHARS = 200;

function slotInfoContext(session: VaultSession, slotId: string) {
  return { vaultId: session.vaultId, recordId: slotId, field: 'keySlot.info', recordVersion: 1 };
}

/** Labels and creation dates only; the wrapped keys never leave this module. */
export function listKeySlots(session: VaultSession): KeySlotSummary[] {
  const rows = session.db.prepare('SELECT slot_id, kind, slot_info_ciphertext FROM key_slots ORDER BY rowid').all() as {
    slot_id: string; kind: KeySlotKind; slot_info_ciphertext: Uint8Array | null;
  }[];
  return rows.map((row) => {
    if (!row.slot_info_ciphertext) return { slotId: row.slot_id, kind: row.kind, label: null, createdAt: null };
    const info = JSON.parse(new TextDecoder().decode(openField(session.key('masterKey'), row.slot_info_ciphertext, slotInfoContext(session, row.slot_id)))) as { label: string; createdAt: string };
    return { slotId: row.slot_id, kind: row.kind, label: info.label, createdAt: info.createdAt };
  });
}

function normaliseLabel(label: string): string {
  const trimmed = label.trim();
  if (trimmed.length === 0 || trimmed.length > MAX_LABEL_CHARS) throw new VaultError('INVALID_INPUT', `a key slot label must have 1 to ${MAX_LABEL_CHARS} characters`);
  return trimmed;
}

function insertSlot(session: VaultSession, db: Database.Database, slot: { slotId: string; kind: KeySlotKind; kdfParamsJson: string; wrappingKey: SecretKey; label: string }): void {
  const wrapped = wrapKey(slot.wrappingKey, session.key('masterKey'), { vaultId: session.vaultId, purpose: 'master', ownerId: slot.slotId });
  const info = sealField(session.key('masterKey'), JSON.stringify({ label: slot.label, createdAt: session.platform.now().toISOString() }), slotInfoContext(session, slot.slotId));
  db.prepare('INSERT INTO key_slots (slot_id, kind, kdf_params_json, wrapped_master_key, slot_info_ciphertext) VALUES (?, ?, ?, ?, ?)').run(
    slot.slotId, slot.kind, slot.kdfParamsJson, wrapped, info,
  );
}

/**
 * Changes the slot set inside one transaction: the header is verified before the change and
 * re-MACed after it (the MAC covers every slot).
 */
function changeSlots(session: VaultSession, change: () => void): void {
  session.db.transaction(() => {
    const header = readVerifiedHeader(session.db, session.key('headerMacKey'));
    change();
    writeHeader(session.db, header, session.key('headerMacKey'));
  })();
}

/** Adds a passphrase slot (a team member's passphrase) wrapping the same master key. */
export async function addPassphraseSlot(
  session: VaultSession,
  label: string,
  passphrase: string,
  options: { kdfPreset?: KdfPreset; replaceSlotId?: string; inTransaction?: (slotId: string) => void } = {},
): Promise<string> {
  const cleanLabel = normaliseLabel(label);
  assertAcceptablePassphrase(passphrase);
  const params = newKdfParams(options.kdfPreset ?? 'moderate');
  const keyEncryptionKey = await deriveKeyEncryptionKey(passphrase, params);
  try {
    const slotId = randomId();
    session.db.transaction(() => {
      changeSlots(session, () => {
        if (options.replaceSlotId) session.db.prepare('DELETE FROM key_slots WHERE slot_id = ?').run(options.replaceSlotId);
        insertSlot(session, session.db, { slotId, kind: 'passphrase', kdfParamsJson: JSON.stringify(params), wrappingKey: keyEncryptionKey, label: cleanLabel });
      });
      options.inTransaction?.(slotId);
    })();
    return slotId;
  } finally {
    wipeKey(keyEncryptionKey);
  }
}

/**
 * Creates the vault's one recovery slot and returns the recovery key text, to be shown once.
 * An existing recovery slot is replaced only when asked, so a printed key is not silently voided.
 */
export function addRecoverySlot(session: VaultSession, options: { replace: boolean; inTransaction?: (slotId: string) => void }): { slotId: string; recoveryKey: string } {
  const existing = readKeySlots(session.db).filter((slot) => slot.kind === 'recovery');
  if (existing.length > 0 && !options.replace) {
    throw new VaultError('INVALID_INPUT', 'this vault already has a recovery key; replace it only on purpose, since the old one then stops working');
  }
  const secret = generateRecoverySecret();
  const wrappingKey = deriveRecoveryWrappingKey(secret, session.vaultId);
  try {
    const slotId = randomId();
    session.db.transaction(() => {
      changeSlots(session, () => {
        session.db.prepare("DELETE FROM key_slots WHERE kind = 'recovery'").run();
        insertSlot(session, session.db, { slotId, kind: 'recovery', kdfParamsJson: RECOVERY_KDF_PARAMS_JSON, wrappingKey, label: 'recovery key' });
      });
      options.inTransaction?.(slotId);
    })();
    return { slotId, recoveryKey: formatRecoveryKey(secret) };
  } finally {
    wipeKey(wrappingKey);
    wipeKey(secret);
  }
}

/** Removes one slot; nothing else is rotated. The last slot is never removed. */
export function removeKeySlot(session: VaultSession, slotId: string, inTransaction?: () => void): void {
  session.db.transaction(() => {
    const slots = readKeySlots(session.db);
    if (!slots.some((slot) => slot.slot_id === slotId)) throw new VaultError('NOT_FOUND', `no key slot ${slotId}`);
    if (slots.length === 1) throw new VaultError('INVALID_INPUT', 'this is the last key slot; removing it would lock everyone out for good');
    changeSlots(session, () => session.db.prepare('DELETE FROM key_slots WHERE slot_id = ?').run(slotId));
    inTransaction?.();
  })();
}

/** Gives an existing slot its encrypted label and creation time (the first slot, made with the vault). */
export function labelKeySlot(session: VaultSession, slotId: string, label: string): void {
  const info = sealField(session.key('masterKey'), JSON.stringify({ label: normaliseLabel(label), createdAt: session.platform.now().toISOString() }), slotInfoContext(session, slotId));
  session.db.prepare('UPDATE key_slots SET slot_info_ciphertext = ? WHERE slot_id = ?').run(info, slotId);
}
