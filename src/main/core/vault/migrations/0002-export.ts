import type { Migration } from './migration.js';

/**
 * Export bookkeeping. `export_settings` holds the control-number prefix (an organisation code, not
 * personal data). `control_numbers` is the one counter behind every Bates number, so a number is
 * never issued twice whatever the prefix. `redaction_plans` keeps one encrypted plan per testimony;
 * its wrapped key sits in the same row, so deleting the testimony crypto-shreds the plan.
 */
export const migration0002Export: Migration = {
  version: 2,
  name: 'export',
  up(db) {
    db.exec(`
      CREATE TABLE export_settings (
        name TEXT PRIMARY KEY CHECK (name IN ('control_prefix')),
        value TEXT NOT NULL
      );
      CREATE TABLE control_numbers (
        singleton INTEGER PRIMARY KEY CHECK (singleton = 1),
        last_issued INTEGER NOT NULL CHECK (last_issued >= 0)
      );
      INSERT INTO control_numbers (singleton, last_issued) VALUES (1, 0);
      CREATE TABLE redaction_plans (
        testimony_id TEXT PRIMARY KEY REFERENCES records (record_id) ON DELETE CASCADE,
        wrapped_key BLOB NOT NULL,
        plan_ciphertext BLOB NOT NULL
      );
    `);
  },
};
