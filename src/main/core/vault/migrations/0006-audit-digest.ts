import type { Migration } from './migration.js';

/**
 * What exports and merges need from the audit log (the highest control number issued, which keys
 * are trusted, which records were deleted), folded over a verified prefix of the chain and sealed
 * under the audit key with that prefix's last seq in the AAD, so an export need not re-verify every
 * signature since the vault was made (a minute at 380k entries). See audit/auditDigest.ts.
 */
export const migration0006AuditDigest: Migration = {
  version: 6,
  name: 'audit-digest',
  up(db) {
    db.exec(`
      CREATE TABLE audit_digest (
        singleton INTEGER PRIMARY KEY CHECK (singleton = 1),
        through_seq INTEGER NOT NULL CHECK (through_seq >= 1),
        digest_ciphertext BLOB NOT NULL
      );
    `);
  },
};
