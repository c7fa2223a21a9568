import type Database from 'better-sqlite3';
import { wipeKey, type SecretKey } from '../crypto/index.js';
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

  /** Zeroes every key and closes the database (releasing the writer lock). Safe to call twice. */
  lock(): void {
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
