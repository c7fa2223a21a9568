import { INDEX_COLUMNS } from './indexColumns.js';

/** Bumped whenever tokenizing, normalising or the schema changes: an older snapshot is then rebuilt. */
export const SEARCH_INDEX_FORMAT = 2;

/**
 * The in-memory index database. `fts` is contentless (content=''): it holds the inverted index and
 * per-row column sizes for bm25, never the text, so a snapshot is a fraction of the corpus and text
 * for snippets is decrypted from the vault on demand. The text fed to it is already tokenized and
 * normalised and joined by spaces, so the `ascii` tokenizer only splits on those spaces. A prefix
 * index of 3 characters makes the common `abc*` searches fast (docs/SEARCH.md has the measurements).
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
  CREATE VIRTUAL TABLE fts USING fts5(
    ${INDEX_COLUMNS.join(', ')},
    content = '', contentless_delete = 1, tokenize = 'ascii', prefix = '3', detail = full
  );
`;
