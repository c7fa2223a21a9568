/** Bumped whenever tokenizing, normalising or the schema changes: an older snapshot is then rebuilt. */
export const SEARCH_INDEX_FORMAT = 3;

/**
 * The in-memory tables beside the postings (`PostingsIndex`): testimonies' ids, versions and facet
 * values, vocabulary terms and persons with their names, and media links. Neither holds the text:
 * text for snippets is decrypted from the vault on demand.
 */
export const INDEX_SCHEMA = `
  CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
  CREATE TABLE docs (
    rowid INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    version INTEGER NOT NULL,
    reference TEXT NOT NULL,
    attributes TEXT NOT NULL
  );
  CREATE TABLE entities (
    rowid INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    kind TEXT NOT NULL,
    version INTEGER NOT NULL,
    names TEXT NOT NULL,
    label_en TEXT,
    label_ar TEXT
  );
  CREATE TABLE entity_keys (key TEXT NOT NULL, entity INTEGER NOT NULL, PRIMARY KEY (key, entity)) WITHOUT ROWID;
  CREATE TABLE media (id TEXT PRIMARY KEY, doc TEXT NOT NULL) WITHOUT ROWID;
  CREATE TABLE facts (singleton INTEGER PRIMARY KEY CHECK (singleton = 1), packed BLOB NOT NULL);
  CREATE INDEX media_by_doc ON media (doc);
`;
