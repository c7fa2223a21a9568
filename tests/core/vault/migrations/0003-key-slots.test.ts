import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { MIGRATIONS } from '../../../../src/main/core/vault/migrations/index.js';
import { runMigrations } from '../../../../src/main/core/vault/runMigrations.js';
import { tempFolder } from '../../coreFixtures.js';

describe('migration 0003-key-slots', () => {
  const cleanups: (() => void)[] = [];
  afterEach(() => cleanups.splice(0).forEach((cleanup) => cleanup()));

  it('adds the slot-info column to existing slots and an unlock guard with no failures and no wipe', () => {
    const folder = tempFolder();
    cleanups.push(folder.cleanup);
    const db = new Database(path.join(folder.dir, 'vault.db'));
    runMigrations(db, MIGRATIONS.slice(0, 2));
    db.prepare("INSERT INTO key_slots VALUES ('slot-1', 'passphrase', '{}', x'00')").run();
    expect(runMigrations(db, MIGRATIONS.slice(0, 3))).toBe(3);
    expect(db.prepare('SELECT slot_id, slot_info_ciphertext FROM key_slots').all()).toEqual([{ slot_id: 'slot-1', slot_info_ciphertext: null }]);
    expect(db.prepare('SELECT * FROM unlock_guard').all()).toEqual([{ singleton: 1, failed_attempts: 0, last_failure_at: null, wipe_after_failures: null }]);
    expect(() => db.prepare('UPDATE unlock_guard SET wipe_after_failures = 1').run()).toThrow(/CHECK/);
    expect(() => db.prepare('UPDATE unlock_guard SET failed_attempts = -1').run()).toThrow(/CHECK/);
    db.close();
  });
});
