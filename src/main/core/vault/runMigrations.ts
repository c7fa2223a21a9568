import Database from 'better-sqlite3';
import { VaultError } from '../errors.js';
import { MIGRATIONS, LATEST_SCHEMA_VERSION } from './migrations/index.js';
import type { Migration } from './migrations/migration.js';

export function schemaVersionOf(db: Database.Database): number {
  return db.pragma('user_version', { simple: true }) as number;
}

/** Applies pending migrations, each in its own transaction; refuses a vault written by a newer app. */
export function runMigrations(db: Database.Database, migrations: readonly Migration[] = MIGRATIONS): number {
  const current = schemaVersionOf(db);
  const latest = migrations === MIGRATIONS ? LATEST_SCHEMA_VERSION : migrations.length;
  if (current > latest) {
    throw new VaultError('VAULT_TOO_NEW', `this vault uses format version ${current}; this app reads up to ${latest}. Update Testimony Vault to open it.`);
  }
  for (const migration of migrations) {
    if (migration.version <= current) continue;
    try {
      db.transaction(() => {
        migration.up(db);
        db.pragma(`user_version = ${migration.version}`);
      })();
    } catch (cause) {
      // Rolled back. A vault whose recorded version is below its real schema (a changed header byte) lands here.
      if (cause instanceof VaultError) throw cause;
      throw new VaultError('VAULT_CORRUPT', `the vault cannot be upgraded from format version ${current}: its database does not match that version`, { cause });
    }
  }
  return schemaVersionOf(db);
}

function schemaText(db: Database.Database): string {
  return JSON.stringify(db.prepare('SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY type, name').all());
}

let expectedSchemaText: string | undefined;

/**
 * SQLite keeps the schema as text inside vault.db: a byte changed there can rename a column or drop a
 * constraint, which would surface later as a raw SQL error. Compare it with the schema the
 * migrations build (in memory, once per process) and refuse a vault whose schema was altered.
 */
export function assertSchemaIntact(db: Database.Database): void {
  if (expectedSchemaText === undefined) {
    const fresh = new Database(':memory:');
    try {
      runMigrations(fresh);
      expectedSchemaText = schemaText(fresh);
    } finally {
      fresh.close();
    }
  }
  if (schemaText(db) !== expectedSchemaText) throw new VaultError('VAULT_CORRUPT', 'the vault database schema was changed outside the app');
}
