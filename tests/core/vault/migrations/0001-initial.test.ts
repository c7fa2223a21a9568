import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { migration0001Initial } from '../../../../src/main/core/vault/migrations/0001-initial.js';
import { runMigrations } from '../../../../src/main/core/vault/runMigrations.js';
import { errorCodeOf, tempFolder } from '../../coreFixtures.js';

describe('migration 0001-initial', () => {
  const folders: (() => void)[] = [];
  afterEach(() => folders.splice(0).forEach((cleanup) => cleanup()));

  function freshDb(): Database.Database {
    const folder = tempFolder();
    folders.push(folder.cleanup);
    return new Database(path.join(folder.dir, 'vault.db'));
  }

  it('creates every table with its constraints and sets user_version 1', () => {
    const db = freshDb();
    expect(runMigrations(db, [migration0001Initial])).toBe(1);
    const tables = (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all() as { name: string }[]).map((t) => t.name);
    expect(tables).toEqual(['audit_log', 'blobs', 'key_slots', 'record_blobs', 'record_fields', 'records', 'vault_meta']);
    expect(() => db.prepare("INSERT INTO records VALUES ('r', 'spreadsheet', 1, x'00')").run()).toThrow(/CHECK/);
    expect(() => db.prepare("INSERT INTO vault_meta VALUES (2, 'v', 1, x'', x'', 0, x'', x'')").run()).toThrow(/CHECK/);
    db.pragma('foreign_keys = ON');
    expect(() => db.prepare("INSERT INTO record_fields VALUES ('missing', 1, 'f', x'00')").run()).toThrow(/FOREIGN KEY/);
    db.close();
  });

  it('is applied once: running again changes nothing', () => {
    const db = freshDb();
    runMigrations(db, [migration0001Initial]);
    db.prepare("INSERT INTO records VALUES ('r1', 'person', 1, x'00')").run();
    expect(runMigrations(db, [migration0001Initial])).toBe(1);
    expect(db.prepare('SELECT COUNT(*) AS n FROM records').get()).toEqual({ n: 1 });
    db.close();
  });

  it('refuses a database from a newer format version', async () => {
    const db = freshDb();
    db.pragma('user_version = 7');
    expect(await errorCodeOf(() => runMigrations(db, [migration0001Initial]))).toBe('VAULT_TOO_NEW');
    expect(db.pragma('user_version', { simple: true })).toBe(7);
    db.close();
  });
});
