import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import {
  CIPHER_FORMAT_VERSION, deriveKeyEncryptionKey, ensureSodium, generateKey, generateSigningKeyPair, newKdfParams, randomId,
  wipeKey, wrapKey, type KdfPreset,
} from '../crypto/index.js';
import { VaultError } from '../errors.js';
import type { Platform } from '../platform.js';
import { writeHeader } from './header.js';
import { labelKeySlot } from './keySlots.js';
import { openDatabase } from './openDatabase.js';
import { assertAcceptablePassphrase } from './passphrasePolicy.js';
import { runMigrations } from './runMigrations.js';
import { deriveSessionKeys } from './unlockVault.js';
import { vaultPaths, type VaultPaths } from './vaultPaths.js';
import { VaultSession } from './VaultSession.js';

export type CreateVaultOptions = {
  kdfPreset?: KdfPreset;
  /** Label of the first passphrase slot (for example the documenter's role). */
  slotLabel?: string;
  /** Runs inside the creating transaction (seeding, first audit entry): a crash leaves all or nothing. */
  initialize?: (session: VaultSession) => void;
};

/** The audit chain starts from 32 zero bytes. */
export const AUDIT_GENESIS_HASH = new Uint8Array(32);

/**
 * Creates a vault folder: a random master key wrapped under the passphrase's Argon2id key, an
 * Ed25519 signing key wrapped under the master key, and an authenticated header.
 */
export async function createVault(dir: string, passphrase: string, platform: Platform, options: CreateVaultOptions = {}): Promise<VaultSession> {
  await ensureSodium();
  assertAcceptablePassphrase(passphrase);
  const paths = vaultPaths(dir);
  if (fs.existsSync(paths.dir) && !fs.statSync(paths.dir).isDirectory()) {
    throw new VaultError('VAULT_EXISTS', `${paths.dir} is a file; choose a new folder for the vault`);
  }
  removeAbandonedCreation(paths);
  if (fs.existsSync(paths.dir) && fs.readdirSync(paths.dir).length > 0) {
    throw new VaultError('VAULT_EXISTS', `${paths.dir} is not empty; choose a new folder for the vault`);
  }
  const kdfParams = newKdfParams(options.kdfPreset ?? 'moderate');
  const keyEncryptionKey = await deriveKeyEncryptionKey(passphrase, kdfParams);
  fs.mkdirSync(paths.blobDir, { recursive: true, mode: 0o700 });
  const db = openDatabase(paths.dbPath, { create: true });
  const vaultId = randomId();
  const slotId = randomId();
  const masterKey = generateKey();
  const signing = generateSigningKeyPair();
  try {
    runMigrations(db);
    const wrappedMasterKey = wrapKey(keyEncryptionKey, masterKey, { vaultId, purpose: 'master', ownerId: slotId });
    const wrappedSigningKey = wrapKey(masterKey, signing.secretKey, { vaultId, purpose: 'signing', ownerId: vaultId });
    const keys = deriveSessionKeys(masterKey, wrappedSigningKey, vaultId);
    const session = new VaultSession(paths, vaultId, signing.publicKey, db, keys, platform, { unlockedSlotId: slotId, failedAttemptsBefore: 0 });
    db.transaction(() => {
      db.prepare('INSERT INTO key_slots (slot_id, kind, kdf_params_json, wrapped_master_key) VALUES (?, ?, ?, ?)').run(
        slotId, 'passphrase', JSON.stringify(kdfParams), wrappedMasterKey,
      );
      writeHeader(
        db,
        {
          vaultId,
          formatVersion: CIPHER_FORMAT_VERSION,
          signingPublicKey: signing.publicKey,
          wrappedSigningKey,
          auditHeadSeq: 0,
          auditHeadHash: AUDIT_GENESIS_HASH,
        },
        keys.headerMacKey,
      );
      labelKeySlot(session, slotId, options.slotLabel ?? 'first passphrase');
      options.initialize?.(session);
    })();
    platform.logger.info('vault.created');
    return session;
  } catch (error) {
    wipeKey(masterKey);
    if (db.open) db.close();
    throw error;
  } finally {
    wipeKey(keyEncryptionKey);
    wipeKey(signing.secretKey);
  }
}

/**
 * A crash during `init` can leave vault.db without a header (the creating transaction never
 * committed). Such a folder holds no data, so a new `init` may clear it instead of refusing.
 */
function removeAbandonedCreation(paths: VaultPaths): void {
  if (!fs.existsSync(paths.dbPath)) return;
  const expected = new Set(['vault.db', 'vault.db-wal', 'vault.db-journal', 'blobs']);
  if (!fs.readdirSync(paths.dir).every((name) => expected.has(name))) return;
  if (fs.existsSync(paths.blobDir) && fs.readdirSync(paths.blobDir).length > 0) return;
  let hasHeader: boolean;
  try {
    const db = new Database(paths.dbPath, { readonly: true, fileMustExist: true, timeout: 0 });
    try {
      hasHeader = db.prepare("SELECT 1 FROM sqlite_master WHERE name = 'vault_meta'").get() !== undefined && db.prepare('SELECT 1 FROM vault_meta').get() !== undefined;
    } finally {
      db.close();
    }
  } catch {
    return; // locked, unreadable or not SQLite: leave it for a person to look at
  }
  if (!hasHeader) {
    for (const name of fs.readdirSync(paths.dir)) fs.rmSync(path.join(paths.dir, name), { recursive: true, force: true });
  }
}
