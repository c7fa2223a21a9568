import type { Migration } from './migration.js';

/**
 * The first schema. Every sensitive value lives in a ciphertext column; what stays in the clear is
 * structure only: random ids, record kinds, version numbers, sizes, and which blob a media record uses.
 */
export const migration0001Initial: Migration = {
  version: 1,
  name: 'initial',
  up(db) {
    db.exec(`
      CREATE TABLE vault_meta (
        singleton INTEGER PRIMARY KEY CHECK (singleton = 1),
        vault_id TEXT NOT NULL,
        format_version INTEGER NOT NULL,
        signing_public_key BLOB NOT NULL,
        wrapped_signing_key BLOB NOT NULL,
        audit_head_seq INTEGER NOT NULL,
        audit_head_hash BLOB NOT NULL,
        header_mac BLOB NOT NULL
      );
      CREATE TABLE key_slots (
        slot_id TEXT PRIMARY KEY,
        kind TEXT NOT NULL CHECK (kind IN ('passphrase', 'recovery')),
        kdf_params_json TEXT NOT NULL,
        wrapped_master_key BLOB NOT NULL
      );
      CREATE TABLE records (
        record_id TEXT PRIMARY KEY,
        kind TEXT NOT NULL CHECK (kind IN ('testimony', 'person', 'vocabularyTerm', 'media')),
        head_version INTEGER NOT NULL CHECK (head_version >= 1),
        wrapped_key BLOB NOT NULL
      );
      CREATE INDEX records_by_kind ON records (kind);
      CREATE TABLE record_fields (
        record_id TEXT NOT NULL REFERENCES records (record_id) ON DELETE CASCADE,
        version INTEGER NOT NULL CHECK (version >= 1),
        field TEXT NOT NULL,
        ciphertext BLOB NOT NULL,
        PRIMARY KEY (record_id, version, field)
      ) WITHOUT ROWID;
      CREATE TABLE blobs (
        blob_id TEXT PRIMARY KEY,
        dedup_tag BLOB NOT NULL UNIQUE,
        wrapped_key BLOB NOT NULL,
        sealed_size INTEGER NOT NULL CHECK (sealed_size > 0)
      );
      CREATE TABLE record_blobs (
        record_id TEXT PRIMARY KEY REFERENCES records (record_id) ON DELETE CASCADE,
        blob_id TEXT NOT NULL REFERENCES blobs (blob_id)
      );
      CREATE INDEX record_blobs_by_blob ON record_blobs (blob_id);
      CREATE TABLE audit_log (
        seq INTEGER PRIMARY KEY CHECK (seq >= 1),
        entry_ciphertext BLOB NOT NULL,
        prev_hash BLOB NOT NULL,
        entry_hash BLOB NOT NULL,
        signature BLOB NOT NULL
      );
    `);
  },
};
