import type Database from 'better-sqlite3';
import { stopIdleBlobOpenWorkers, wipeKey, type SecretKey } from '../crypto/index.js';
import { VaultError } from '../errors.js';
import type { Platform } from '../platform.js';
import type { VaultPaths } from './vaultPaths.js';

export type SessionKeys = {
  masterKey: SecretKey;
  signingSecretKey: SecretKey;
  headerMacKey: SecretKey;
  auditKey: SecretKey;
  dedupKey: SecretKey;
};

/**
 * An unlocked vault: the open database (holding the writer lock) and the keys. Rooms take a session;
 * after `lock()` every key buffer is zeroed and any use throws VAULT_LOCKED.
 */
export class VaultSession {
  private keys: SessionKeys | null;
  private database: Database.Database | null;

  constructor(
    readonly paths: VaultPaths,
    readonly vaultId: string,
    readonly signingPublicKey: Uint8Array,
    database: Database.Database,
    keys: SessionKeys,
    readonly platform: Platform,
    /** Which key slot opened this session, and how many failed attempts came before it. */
    readonly unlockInfo: { unlockedSlotId: string; readonly failedAttemptsBefore: number },
  ) {
    this.database = database;
    this.keys = keys;
  }

  get isLocked(): boolean {
    return this.keys === null;
  }

  get db(): Database.Database {
    if (!this.database) throw new VaultError('VAULT_LOCKED', 'the vault is locked');
    return this.database;
  }

  key(name: keyof SessionKeys): SecretKey {
    if (!this.keys) throw new VaultError('VAULT_LOCKED', 'the vault is locked');
    return this.keys[name];
  }

  private blobRemovalHolds = 0;
  private readonly deferredBlobRemovals: (() => void)[] = [];

  /**
   * While a backup copies blobs, deleting a blob file is deferred so the snapshot it copies stays
   * complete. Returns the release function.
   */
  holdBlobRemovals(): () => void {
    this.blobRemovalHolds += 1;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.blobRemovalHolds -= 1;
      if (this.blobRemovalHolds === 0) this.deferredBlobRemovals.splice(0).forEach((remove) => remove());
    };
  }

  /** Runs a blob-file removal now, or after the last hold is released. */
  removeBlobFileWhenFree(remove: () => void): void {
    if (this.blobRemovalHolds > 0) this.deferredBlobRemovals.push(remove);
    else remove();
  }

  /** Zeroes every key, stops idle blob workers and closes the database (releasing the writer lock). Safe to call twice. */
  lock(): void {
    stopIdleBlobOpenWorkers();
    if (this.keys) {
      for (const key of Object.values(this.keys)) wipeKey(key);
      this.keys = null;
    }
    if (this.database) {
      try {
        this.database.pragma('wal_checkpoint(TRUNCATE)');
      } finally {
        this.database.close();
        this.database = null;
      }
    }
  }
}
