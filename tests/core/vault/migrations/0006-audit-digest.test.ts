import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { MIGRATIONS } from '../../../../src/main/core/vault/migrations/index.js';
import { runMigrations } from '../../../../src/main/core/vault/runMigrations.js';
import { tempFolder } from '../../coreFixtures.js';

describe('migration 0006-audit-digest', () => {
  const cleanups: (() => void)[] = [];
  afterEach(() => cleanups.splice(0).forEach((cleanup) => cleanup()));

  it('adds an empty, single-row checkpoint table to a version-5 vault', () => {
    const folder = tempFolder();
    cleanups.push(folder.cleanup);
    const db = new Database(path.join(folder.dir, 'vault.db'));
    runMigrations(db, MIGRATIONS.slice(0, 5));
    expect(runMigrations(db, MIGRATIONS.slice(0, 6))).toBe(6);
    expect(db.prepare('SELECT count(*) FROM audit_digest').pluck().get()).toBe(0);
    db.prepare('INSERT INTO audit_digest VALUES (1, 3, ?)').run(Buffer.from([1]));
    expect(() => db.prepare('INSERT INTO audit_digest VALUES (2, 3, ?)').run(Buffer.from([1]))).toThrow(/CHECK/);
    expect(() => db.prepare('UPDATE audit_digest SET through_seq = 0').run()).toThrow(/CHECK/);
    db.close();
  });
});
