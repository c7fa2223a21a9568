import type { Migration } from './migration.js';

/**
 * Conflict copies kept by a merge (docs/MERGE.md): when the same record was edited in two vaults,
 * the incoming history is kept as a record of its own, beside the local one (`branch_of`). Ids are
 * random and already in the clear in `records`; where the copy came from (bundle, sender, time) and
 * the `branch_of` it was made for are sealed in `info_ciphertext`, so a changed link is detected.
 * The row goes with the copy (crypto-shredded with it).
 */
export const migration0005RecordBranches: Migration = {
  version: 5,
  name: 'record-branches',
  up(db) {
    db.exec(`
      CREATE TABLE record_branches (
        record_id TEXT PRIMARY KEY REFERENCES records (record_id) ON DELETE CASCADE,
        branch_of TEXT NOT NULL CHECK (length(branch_of) = 32),
        info_ciphertext BLOB NOT NULL
      );
      CREATE INDEX record_branches_by_root ON record_branches (branch_of);
    `);
  },
};
