import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { MIGRATIONS } from '../../../../src/main/core/vault/migrations/index.js';
import { runMigrations } from '../../../../src/main/core/vault/runMigrations.js';
import { tempFolder } from '../../coreFixtures.js';

describe('migration 0004-trusted-senders', () => {
  const cleanups: (() => void)[] = [];
  afterEach(() => cleanups.splice(0).forEach((cleanup) => cleanup()));

  it('adds an empty trusted_senders table with only a random id and a ciphertext per row, leaving earlier data alone', () => {
    const folder = tempFolder();
    cleanups.push(folder.cleanup);
    const db = new Database(path.join(folder.dir, 'vault.db'));
    runMigrations(db, MIGRATIONS.slice(0, 3));
    db.prepare("INSERT INTO records VALUES ('r1', 'person', 1, x'00')").run();
    expect(runMigrations(db, MIGRATIONS.slice(0, 4))).toBe(4);
    expect(db.prepare('SELECT COUNT(*) AS n FROM trusted_senders').get()).toEqual({ n: 0 });
    expect((db.prepare('PRAGMA table_info(trusted_senders)').all() as { name: string }[]).map((column) => column.name)).toEqual(['sender_id', 'entry_ciphertext']);
    expect(() => db.prepare("INSERT INTO trusted_senders VALUES ('short', x'00')").run()).toThrow(/CHECK/);
    expect(() => db.prepare("INSERT INTO trusted_senders VALUES (?, NULL)").run('a'.repeat(32))).toThrow(/NOT NULL/);
    db.prepare('INSERT INTO trusted_senders VALUES (?, ?)').run('a'.repeat(32), Buffer.from([1]));
    expect(() => db.prepare('INSERT INTO trusted_senders VALUES (?, ?)').run('a'.repeat(32), Buffer.from([2]))).toThrow(/UNIQUE/);
    expect(db.prepare('SELECT record_id FROM records').all()).toEqual([{ record_id: 'r1' }]);
    expect(runMigrations(db, MIGRATIONS.slice(0, 4))).toBe(4);
    db.close();
  });
});
