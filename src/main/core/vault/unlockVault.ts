import fs from 'node:fs';
import {
  deriveKeyEncryptionKey, deriveSubkey, ensureSodium, unwrapKey, validateKdfParams, wipeKey, type SecretKey,
} from '../crypto/index.js';
import { VaultError, isVaultError } from '../errors.js';
import type { Platform } from '../platform.js';
import { readKeySlots, readMetaRow, readVerifiedHeader } from './header.js';
import { openDatabase } from './openDatabase.js';
import { couldBeAPassphrase } from './passphrasePolicy.js';
import { runMigrations, schemaVersionOf } from './runMigrations.js';
import { LATEST_SCHEMA_VERSION } from './migrations/index.js';
import { sweepIncomingBlobs, sweepOrphanBlobs } from './sweepBlobs.js';
import { vaultPaths } from './vaultPaths.js';
import { VaultSession, type SessionKeys } from './VaultSession.js';
import type Database from 'better-sqlite3';

export function deriveSessionKeys(masterKey: SecretKey, wrappedSigningKey: Uint8Array, vaultId: string): SessionKeys {
  const signingSecretKey = unwrapKey(masterKey, wrappedSigningKey, { vaultId, purpose: 'signing', ownerId: vaultId });
  return {
    masterKey,
    signingSecretKey,
    headerMacKey: deriveSubkey(masterKey, 'header-mac'),
    auditKey: deriveSubkey(masterKey, 'audit'),
    dedupKey: deriveSubkey(masterKey, 'dedup-tag'),
  };
}

/** Tries each passphrase slot; parameters are validated before any key derivation runs. */
async function unwrapMasterKey(db: Database.Database, vaultId: string, passphrase: string): Promise<SecretKey> {
  const slots = readKeySlots(db).filter((slot) => slot.kind === 'passphrase');
  if (slots.length === 0) throw new VaultError('VAULT_CORRUPT', 'the vault has no passphrase key slot');
  const validated = slots.map((slot) => {
    let params: unknown;
    try {
      params = JSON.parse(slot.kdf_params_json);
    } catch {
      throw new VaultError('KDF_PARAMS_REJECTED', 'key-derivation parameters are malformed');
    }
    return { slot, params: validateKdfParams(params) };
  });
  if (!couldBeAPassphrase(passphrase)) throw new VaultError('WRONG_PASSPHRASE', 'wrong passphrase');
  for (const { slot, params } of validated) {
    const keyEncryptionKey = await deriveKeyEncryptionKey(passphrase, params);
    try {
      return unwrapKey(keyEncryptionKey, slot.wrapped_master_key, { vaultId, purpose: 'master', ownerId: slot.slot_id });
    } catch (error) {
      if (!isVaultError(error) || error.code !== 'AUTH_FAILED') throw error;
    } finally {
      wipeKey(keyEncryptionKey);
    }
  }
  throw new VaultError('WRONG_PASSPHRASE', 'wrong passphrase');
}

export async function unlockVault(dir: string, passphrase: string, platform: Platform): Promise<VaultSession> {
  await ensureSodium();
  const paths = vaultPaths(dir);
  if (!fs.existsSync(paths.dbPath)) throw new VaultError('VAULT_NOT_FOUND', `no vault at ${paths.dir}`);
  const db = openDatabase(paths.dbPath, { create: false });
  try {
    const schemaVersion = schemaVersionOf(db);
    if (schemaVersion > LATEST_SCHEMA_VERSION) {
      throw new VaultError('VAULT_TOO_NEW', `this vault uses format version ${schemaVersion}; this app reads up to ${LATEST_SCHEMA_VERSION}. Update Testimony Vault to open it.`);
    }
    if (schemaVersion === 0) throw new VaultError('VAULT_CORRUPT', `${paths.dbPath} is not a Testimony Vault database`);
    const meta = readMetaRow(db);
    if (!meta) throw new VaultError('VAULT_CORRUPT', 'the vault header is missing');
    const masterKey = await unwrapMasterKey(db, meta.vaultId, passphrase);
    let keys: SessionKeys;
    try {
      keys = deriveSessionKeys(masterKey, meta.wrappedSigningKey, meta.vaultId);
    } catch (error) {
      wipeKey(masterKey);
      if (isVaultError(error) && error.code === 'AUTH_FAILED') throw new VaultError('VAULT_CORRUPT', 'the vault signing key failed authentication');
      throw error;
    }
    try {
      readVerifiedHeader(db, keys.headerMacKey);
    } catch (error) {
      for (const key of Object.values(keys)) wipeKey(key);
      throw error;
    }
    runMigrations(db);
    sweepIncomingBlobs(paths);
    const orphans = sweepOrphanBlobs(paths, db);
    if (orphans > 0) platform.logger.warn('vault.orphanBlobsRemoved', { count: orphans });
    platform.logger.info('vault.unlocked');
    return new VaultSession(paths, meta.vaultId, meta.signingPublicKey, db, keys, platform);
  } catch (error) {
    if (db.open) db.close();
    throw error;
  }
}
