import type { Migration } from './migration.js';

/**
 * The vaults whose transfer bundles this vault merges (docs/MERGE.md). One row per sender; the
 * row id is random and everything else (the sender's minisign public key, key id, label and when
 * it was added) is sealed under the master key with the row id in the AAD, because a label often
 * names a person and the list says which field teams send here. A row cannot be forged without the
 * key; a removed row put back is caught because trust.add/trust.remove are in the signed audit log.
 */
export const migration0004TrustedSenders: Migration = {
  version: 4,
  name: 'trusted-senders',
  up(db) {
    db.exec(`
      CREATE TABLE trusted_senders (
        sender_id TEXT PRIMARY KEY CHECK (length(sender_id) = 32),
        entry_ciphertext BLOB NOT NULL
      );
    `);
  },
};
