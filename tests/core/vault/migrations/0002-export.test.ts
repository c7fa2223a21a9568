import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { migration0001Initial } from '../../../../src/main/core/vault/migrations/0001-initial.js';
import { migration0002Export } from '../../../../src/main/core/vault/migrations/0002-export.js';
import { LATEST_SCHEMA_VERSION, MIGRATIONS } from '../../../../src/main/core/vault/migrations/index.js';
import { runMigrations } from '../../../../src/main/core/vault/runMigrations.js';
import { tempFolder } from '../../coreFixtures.js';

describe('migration 0002-export', () => {
  const folders: (() => void)[] = [];
  afterEach(() => folders.splice(0).forEach((cleanup) => cleanup()));

  function freshDb(): Database.Database {
    const folder = tempFolder();
    folders.push(folder.cleanup);
    const db = new Database(path.join(folder.dir, 'vault.db'));
    db.pragma('foreign_keys = ON');
    return db;
  }

  it('is registered as version 2, right after 0001', () => {
    expect(MIGRATIONS[1]).toBe(migration0002Export);
    expect(migration0002Export.version).toBe(2);
    expect(LATEST_SCHEMA_VERSION).toBeGreaterThanOrEqual(2);
  });

  it('upgrades a version-1 vault in place, keeping its records, and adds the export tables with their constraints', () => {
    const db = freshDb();
    runMigrations(db, [migration0001Initial]);
    db.prepare("INSERT INTO records VALUES ('t1', 'testimony', 1, x'00')").run();
    expect(runMigrations(db, [migration0001Initial, migration0002Export])).toBe(2);
    expect(db.prepare('SELECT COUNT(*) AS n FROM records').get()).toEqual({ n: 1 });
    expect(db.prepare('SELECT last_issued FROM control_numbers').all()).toEqual([{ last_issued: 0 }]);
    expect(() => db.prepare("INSERT INTO export_settings VALUES ('theme', 'dark')").run()).toThrow(/CHECK/);
    expect(() => db.prepare('INSERT INTO control_numbers VALUES (2, 5)').run()).toThrow(/CHECK/);
    expect(() => db.prepare('UPDATE control_numbers SET last_issued = -1').run()).toThrow(/CHECK/);
    expect(() => db.prepare("INSERT INTO redaction_plans VALUES ('missing', x'00', x'00')").run()).toThrow(/FOREIGN KEY/);
    db.prepare("INSERT INTO redaction_plans VALUES ('t1', x'01', x'02')").run();
    // Deleting the testimony deletes its plan and the plan's wrapped key with it (crypto-shredding).
    db.prepare("DELETE FROM records WHERE record_id = 't1'").run();
    expect(db.prepare('SELECT COUNT(*) AS n FROM redaction_plans').get()).toEqual({ n: 0 });
    db.close();
  });

  it('is applied once: running again changes nothing', () => {
    const db = freshDb();
    runMigrations(db, [migration0001Initial, migration0002Export]);
    db.prepare('UPDATE control_numbers SET last_issued = 7').run();
    expect(runMigrations(db, [migration0001Initial, migration0002Export])).toBe(2);
    expect(db.prepare('SELECT last_issued FROM control_numbers').get()).toEqual({ last_issued: 7 });
    db.close();
  });
});
