import type { Migration } from './migration.js';

/**
 * Several key slots per vault, and failed-unlock protection.
 * - `key_slots.slot_info_ciphertext`: the slot's label and creation time, sealed under the master
 *   key (a label is often a team member's name). NULL for the slot made by format version 1.
 * - `unlock_guard`: consecutive failed unlocks, the time of the last one, and the optional
 *   wipe-after-N setting. It is written when an unlock fails, when no key is available, so it
 *   cannot be covered by the header MAC; see docs/THREAT_MODEL.md for what that means.
 */
export const migration0003KeySlots: Migration = {
  version: 3,
  name: 'key-slots',
  up(db) {
    db.exec(`
      ALTER TABLE key_slots ADD COLUMN slot_info_ciphertext BLOB;
      CREATE TABLE unlock_guard (
        singleton INTEGER PRIMARY KEY CHECK (singleton = 1),
        failed_attempts INTEGER NOT NULL CHECK (failed_attempts >= 0),
        last_failure_at TEXT,
        wipe_after_failures INTEGER CHECK (wipe_after_failures IS NULL OR wipe_after_failures BETWEEN 3 AND 100)
      );
      INSERT INTO unlock_guard (singleton, failed_attempts) VALUES (1, 0);
    `);
  },
};
