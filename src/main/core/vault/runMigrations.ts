import type Database from 'better-sqlite3';
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
    db.transaction(() => {
      migration.up(db);
      db.pragma(`user_version = ${migration.version}`);
    })();
  }
  return schemaVersionOf(db);
}
