import fs from 'node:fs';
import type Database from 'better-sqlite3';
import {
  deriveKeyEncryptionKey, deriveRecoveryWrappingKey, deriveSubkey, ensureSodium, parseRecoveryKey, unwrapKey, validateKdfParams,
  wipeKey, type SecretKey,
} from '../crypto/index.js';
import { VaultError, isVaultError } from '../errors.js';
import type { Platform } from '../platform.js';
import { readKeySlots, readMetaRow, readVerifiedHeader, type KeySlotRow } from './header.js';
import { LATEST_SCHEMA_VERSION } from './migrations/index.js';
import { openDatabase } from './openDatabase.js';
import { couldBeAPassphrase } from './passphrasePolicy.js';
import { assertSchemaIntact, runMigrations, schemaVersionOf } from './runMigrations.js';
import { sweepIncomingBlobs, sweepOrphanBlobs } from './sweepBlobs.js';
import { assertUnlockAllowed, readUnlockGuard, recordUnlockFailure, resetUnlockFailures } from './unlockGuard.js';
import { vaultPaths } from './vaultPaths.js';
import { VaultSession, type SessionKeys } from './VaultSession.js';

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

type Unwrapped = { masterKey: SecretKey; slotId: string };
/** Tries a credential against the vault's slots; undefined means "does not open this vault". */
type SlotOpener = (slots: KeySlotRow[], vaultId: string) => Promise<Unwrapped | undefined>;

function tryUnwrap(wrappingKey: SecretKey, slot: KeySlotRow, vaultId: string): Unwrapped | undefined {
  try {
    return { masterKey: unwrapKey(wrappingKey, slot.wrapped_master_key, { vaultId, purpose: 'master', ownerId: slot.slot_id }), slotId: slot.slot_id };
  } catch (error) {
    if (!isVaultError(error) || error.code !== 'AUTH_FAILED') throw error;
    return undefined;
  }
}

/** Passphrase slots: every slot's parameters are validated before any key derivation runs. */
function passphraseOpener(passphrase: string): SlotOpener {
  return async (slots, vaultId) => {
    const passphraseSlots = slots.filter((slot) => slot.kind === 'passphrase');
    if (passphraseSlots.length === 0) {
      throw new VaultError('WRONG_PASSPHRASE', slots.length > 0 ? 'this vault has no passphrase slot left: open it with its recovery key' : 'this vault has no key slots: it cannot be opened');
    }
    const validated = passphraseSlots.map((slot) => {
      let params: unknown;
      try {
        params = JSON.parse(slot.kdf_params_json);
      } catch {
        throw new VaultError('KDF_PARAMS_REJECTED', 'key-derivation parameters are malformed');
      }
      return { slot, params: validateKdfParams(params) };
    });
    if (!couldBeAPassphrase(passphrase)) return undefined;
    for (const { slot, params } of validated) {
      const keyEncryptionKey = await deriveKeyEncryptionKey(passphrase, params);
      try {
        const unwrapped = tryUnwrap(keyEncryptionKey, slot, vaultId);
        if (unwrapped) return unwrapped;
      } finally {
        wipeKey(keyEncryptionKey);
      }
    }
    return undefined;
  };
}

function recoveryOpener(recoverySecret: SecretKey): SlotOpener {
  return async (slots, vaultId) => {
    const slot = slots.find((candidate) => candidate.kind === 'recovery');
    if (!slot) throw new VaultError('WRONG_PASSPHRASE', 'this vault has no recovery key');
    const wrappingKey = deriveRecoveryWrappingKey(recoverySecret, vaultId);
    try {
      return tryUnwrap(wrappingKey, slot, vaultId);
    } finally {
      wipeKey(wrappingKey);
    }
  };
}

function openVaultDatabase(dir: string): { db: Database.Database; paths: ReturnType<typeof vaultPaths> } {
  const paths = vaultPaths(dir);
  if (!fs.existsSync(paths.dbPath)) throw new VaultError('VAULT_NOT_FOUND', `no vault at ${paths.dir}`);
  const db = openDatabase(paths.dbPath, { create: false });
  try {
    const schemaVersion = schemaVersionOf(db);
    if (schemaVersion > LATEST_SCHEMA_VERSION) {
      throw new VaultError('VAULT_TOO_NEW', `this vault uses format version ${schemaVersion}; this app reads up to ${LATEST_SCHEMA_VERSION}. Update Testimony Vault to open it.`);
    }
    if (schemaVersion === 0) throw new VaultError('VAULT_CORRUPT', `${paths.dbPath} is not a Testimony Vault database`);
    // Migrations only add structure; running them before the passphrase check lets the guard table exist.
    runMigrations(db);
    assertSchemaIntact(db);
    return { db, paths };
  } catch (error) {
    db.close();
    throw error;
  }
}

/**
 * Opens a vault with one credential. Failed attempts are counted durably and slow down the next
 * ones; with wipe-after-N on, the Nth consecutive failure destroys every key slot.
 */
async function unlockWith(dir: string, platform: Platform, opener: SlotOpener, wrongMessage: string): Promise<VaultSession> {
  await ensureSodium();
  const { db, paths } = openVaultDatabase(dir);
  try {
    const meta = readMetaRow(db);
    if (!meta) throw new VaultError('VAULT_CORRUPT', 'the vault header is missing');
    const guard = readUnlockGuard(db);
    assertUnlockAllowed(guard, platform.now());
    const unwrapped = await opener(readKeySlots(db), meta.vaultId);
    if (!unwrapped) {
      if (recordUnlockFailure(db, platform.now())) {
        platform.logger.warn('vault.keySlotsWiped');
        throw new VaultError('VAULT_WIPED', 'too many failed attempts: every key slot of this vault has been destroyed, as its wipe setting required');
      }
      throw new VaultError('WRONG_PASSPHRASE', wrongMessage);
    }
    let keys: SessionKeys;
    try {
      keys = deriveSessionKeys(unwrapped.masterKey, meta.wrappedSigningKey, meta.vaultId);
    } catch (error) {
      wipeKey(unwrapped.masterKey);
      if (isVaultError(error) && error.code === 'AUTH_FAILED') throw new VaultError('VAULT_CORRUPT', 'the vault signing key failed authentication');
      throw error;
    }
    try {
      readVerifiedHeader(db, keys.headerMacKey);
    } catch (error) {
      for (const key of Object.values(keys)) wipeKey(key);
      throw error;
    }
    resetUnlockFailures(db);
    sweepIncomingBlobs(paths);
    const orphans = sweepOrphanBlobs(paths, db);
    if (orphans > 0) platform.logger.warn('vault.orphanBlobsRemoved', { count: orphans });
    platform.logger.info('vault.unlocked');
    return new VaultSession(paths, meta.vaultId, meta.signingPublicKey, db, keys, platform, {
      unlockedSlotId: unwrapped.slotId,
      failedAttemptsBefore: guard.failedAttempts,
    });
  } catch (error) {
    if (db.open) db.close();
    throw error;
  }
}

export function unlockVault(dir: string, passphrase: string, platform: Platform): Promise<VaultSession> {
  return unlockWith(dir, platform, passphraseOpener(passphrase), 'wrong passphrase');
}

/** The recovery key is checked for typos before the vault is touched, so a typo never counts as a failure. */
export async function unlockVaultWithRecoveryKey(dir: string, recoveryKey: string, platform: Platform): Promise<VaultSession> {
  await ensureSodium();
  const secret = parseRecoveryKey(recoveryKey);
  try {
    return await unlockWith(dir, platform, recoveryOpener(secret), 'this recovery key does not open this vault');
  } finally {
    wipeKey(secret);
  }
}
