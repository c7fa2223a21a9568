import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { MIGRATIONS } from '../../../../src/main/core/vault/migrations/index.js';
import { runMigrations } from '../../../../src/main/core/vault/runMigrations.js';
import { tempFolder } from '../../coreFixtures.js';

describe('migration 0005-record-branches', () => {
  const cleanups: (() => void)[] = [];
  afterEach(() => cleanups.splice(0).forEach((cleanup) => cleanup()));

  it('links a conflict copy to its record, and the link goes when the copy is deleted', () => {
    const folder = tempFolder();
    cleanups.push(folder.cleanup);
    const db = new Database(path.join(folder.dir, 'vault.db'));
    db.pragma('foreign_keys = ON');
    runMigrations(db, MIGRATIONS.slice(0, 4));
    const [root, copy] = ['a'.repeat(32), 'b'.repeat(32)];
    db.prepare("INSERT INTO records VALUES (?, 'testimony', 1, x'00')").run(root);
    db.prepare("INSERT INTO records VALUES (?, 'testimony', 1, x'00')").run(copy);
    expect(runMigrations(db, MIGRATIONS.slice(0, 5))).toBe(5);
    expect(db.prepare('SELECT COUNT(*) AS n FROM record_branches').get()).toEqual({ n: 0 });
    db.prepare('INSERT INTO record_branches VALUES (?, ?, ?)').run(copy, root, Buffer.from([1]));
    expect(() => db.prepare('INSERT INTO record_branches VALUES (?, ?, ?)').run('c'.repeat(32), root, Buffer.from([1]))).toThrow(/FOREIGN KEY/);
    expect(() => db.prepare('INSERT INTO record_branches VALUES (?, ?, ?)').run(root, 'short', Buffer.from([1]))).toThrow(/CHECK/);
    // The record a copy was made for may be deleted on its own; the copy stays, linked by id.
    db.prepare('DELETE FROM records WHERE record_id = ?').run(root);
    expect(db.prepare('SELECT record_id, branch_of FROM record_branches').all()).toEqual([{ record_id: copy, branch_of: root }]);
    db.prepare('DELETE FROM records WHERE record_id = ?').run(copy);
    expect(db.prepare('SELECT COUNT(*) AS n FROM record_branches').get()).toEqual({ n: 0 });
    db.close();
  });
});
