import Database from 'better-sqlite3';
import { VaultError } from '../errors.js';
import { buildSnippet, leadSnippet, type SnippetFields } from './buildSnippet.js';
import { compileMatchTree } from './compileMatchTree.js';
import { expandQuery, type EntityMatch, type QueryExpansion } from './expandQuery.js';
import { DocumentFacts, LINK, type DocumentFact, type LinkKind } from './DocumentFacts.js';
import { forgetHighlightSkeletons, highlightMatcher } from './highlightMatcher.js';
import { forgetIndexSkeletons, INDEX_COLUMNS, INDEX_COLUMN_WEIGHTS, indexColumnTokens } from './indexColumns.js';
import { INDEX_MARKERS } from './indexMarkers.js';
import { PostingsIndex } from './PostingsIndex.js';
import { CONSENT_SCOPES, TESTIMONY_STATUSES } from '../records/testimonySchema.js';
import type { ConsentScope, EntityKind, IndexDocument, IndexEntity, TestimonyStatus } from './indexDocument.js';
import { INDEX_SCHEMA, SEARCH_INDEX_FORMAT } from './indexSchema.js';
import { parseSearchQuery } from './parseSearchQuery.js';
import { partialDateBounds, periodBounds } from './partialDateBounds.js';
import type { QueryNode } from './queryNode.js';
import type { AnalyticsTerm, SearchAnalytics } from './searchAnalytics.js';
import type { SearchFilters, SearchRequest } from './searchRequest.js';
import type { FacetBucket, SearchFacets, SearchHit, SearchResult } from './searchResult.js';
import { forgetSpanWords } from './searchTokenSpans.js';
import { searchTokens } from './searchTokens.js';
import { VocabularyMatcher, vocabularyLinkToken } from './VocabularyMatcher.js';

/** A testimony's facet values as stored in `docs.attributes` (the source the in-memory columns are rebuilt from). */
type StoredAttributes = {
  f: number[]; u: number[]; v: number[]; p: number[]; l: string; s: TestimonyStatus; c: ConsentScope[]; pf?: string; pt?: string; i?: string;
};
type EntityRow = { rowid: number; id: string; kind: EntityKind; version: number; names: string; label_en: string | null; label_ar: string | null };
type ScoredRow = { rowid: number; score: number };
type Evaluation = { node: QueryNode | null; expansions: QueryExpansion[]; matched: Uint32Array; top: ScoredRow[] };

/**
 * Where the text of a hit comes from: lets `use` read one testimony's text, decrypted from the vault
 * on demand, each field only when it is read (or, in tests, from memory).
 */
export type SnippetSource = <T>(testimonyId: string, use: (fields: SnippetFields) => T) => T;

const WEIGHTS = INDEX_COLUMNS.map((column) => INDEX_COLUMN_WEIGHTS[column]);
// Runs of query words are looked up as names up to this long (a lookup that finds nothing is cheap).
const MAX_KEY_TOKENS = 8;
const NO_FACETS: SearchFacets = {
  facility: [], perpetratorUnit: [], violation: [], year: [], interviewYear: [], language: [], consentScope: [], hasMedia: [], status: [],
};

function keysOf(names: readonly string[]): string[] {
  return [...new Set(names.map((name) => searchTokens(name).join(' ')).filter((key) => key.length > 0))].sort();
}

function factOf(stored: StoredAttributes): DocumentFact {
  return {
    facilities: stored.f, units: stored.u, violations: stored.v, persons: stored.p,
    language: stored.l, status: stored.s, scopes: stored.c,
    period: periodBounds({ ...(stored.pf ? { from: stored.pf } : {}), ...(stored.pt ? { to: stored.pt } : {}) }),
    interview: stored.i ? partialDateBounds(stored.i) : null,
  };
}

const yearOf = (day: number): number => Math.floor(day / 10_000);
// Year facets count 1800–2199 (a period outside is still counted under its testimonies, not per year).
const FACET_FIRST_YEAR = 1800;
const FACET_YEARS = 400;

function isVaultCorrupt(error: unknown): error is VaultError {
  return error instanceof VaultError && error.code === 'VAULT_CORRUPT';
}

// Facet counts over the matching testimonies, in small functions whose typed arrays are read into
// locals before the loops: inside `facetsOf` V8 deoptimised these loops on every search (measured).
// Each hot loop is also the last thing its function does: V8 compiles a long loop on the spot (OSR)
// and kept reusing that code, which stopped at the first later line it had never seen run.

/**
 * How many matching testimonies link to each facility, perpetrator unit and violation type, in one
 * pass (an entity has one kind, so one counter array serves all three).
 */
function countTermLinks(matched: Uint32Array, facts: DocumentFacts, counters: Uint32Array): [Map<number, number>, Map<number, number>, Map<number, number>] {
  const seen: [number[], number[], number[]] = [[], [], []];
  tallyTermLinks(matched, facts.linkBuffer, facts.linkStarts, counters, seen);
  return [takeCounts(seen[0], counters), takeCounts(seen[1], counters), takeCounts(seen[2], counters)];
}

function tallyTermLinks(matched: Uint32Array, links: Int32Array, starts: Uint32Array, counters: Uint32Array, seen: readonly number[][]): void {
  for (const rowid of matched) {
    const start = starts[rowid] as number;
    let at = start + 4;
    for (let kind = 0; kind < 3; kind += 1) {
      const end = at + (links[start + kind] as number);
      const kindSeen = seen[kind] as number[];
      for (; at < end; at += 1) {
        const entity = links[at] as number;
        if (counters[entity] === 0) kindSeen.push(entity);
        counters[entity] = (counters[entity] as number) + 1;
      }
    }
  }
}

/** Moves the counts of `entities` out and clears their counters for the next search. */
function takeCounts(entities: readonly number[], counters: Uint32Array): Map<number, number> {
  const counts = new Map<number, number>();
  for (const entity of entities) {
    counts.set(entity, counters[entity] as number);
    counters[entity] = 0;
  }
  return counts;
}

type AttributeCounts = {
  yearSteps: Int32Array; interviewYears: Uint32Array; languages: Uint32Array; scopes: Uint32Array; statuses: Uint32Array;
  /** Testimonies with no period, with no interview date, with media. */
  totals: Uint32Array;
};

function countAttributes(matched: Uint32Array, facts: DocumentFacts) {
  // Every year a period touches counts: marked as +1 at its first year and -1 after its last,
  // then summed, so a long period costs no more than a short one.
  const counts: AttributeCounts = {
    yearSteps: new Int32Array(FACET_YEARS + 1),
    interviewYears: new Uint32Array(FACET_YEARS),
    languages: new Uint32Array(facts.languages.length),
    scopes: new Uint32Array(CONSENT_SCOPES.length),
    statuses: new Uint32Array(TESTIMONY_STATUSES.length),
    totals: new Uint32Array(3),
  };
  tallyAttributes(matched, facts, counts);
  const years = new Uint32Array(FACET_YEARS);
  for (let slot = 0, running = 0; slot < FACET_YEARS; slot += 1) {
    running += counts.yearSteps[slot] as number;
    years[slot] = running;
  }
  const { interviewYears, languages, scopes, statuses, totals } = counts;
  return { years, unknownYears: totals[0] as number, interviewYears, unknownInterviews: totals[1] as number, languages, scopes, statuses, withMedia: totals[2] as number };
}

function tallyAttributes(matched: Uint32Array, facts: DocumentFacts, counts: AttributeCounts): void {
  const { periodLow, periodHigh, interviewLow, language, scopes: scopeBits, status, media } = facts;
  const { yearSteps, interviewYears, languages, scopes, statuses, totals } = counts;
  for (const rowid of matched) {
    const low = periodLow[rowid] as number;
    if (low === 0) totals[0] = (totals[0] as number) + 1;
    else {
      const first = yearOf(low);
      const last = Math.min(yearOf(periodHigh[rowid] as number), first + 199);
      const from = Math.max(first - FACET_FIRST_YEAR, 0);
      const to = Math.min(last - FACET_FIRST_YEAR, FACET_YEARS - 1);
      if (from <= to) {
        yearSteps[from] = (yearSteps[from] as number) + 1;
        yearSteps[to + 1] = (yearSteps[to + 1] as number) - 1;
      }
    }
    const interview = interviewLow[rowid] as number;
    const interviewSlot = yearOf(interview) - FACET_FIRST_YEAR;
    if (interview === 0) totals[1] = (totals[1] as number) + 1;
    else if (interviewSlot >= 0 && interviewSlot < FACET_YEARS) interviewYears[interviewSlot] = (interviewYears[interviewSlot] as number) + 1;
    const code = language[rowid] as number;
    languages[code] = (languages[code] as number) + 1;
    const bits = scopeBits[rowid] as number;
    for (let i = 0; i < CONSENT_SCOPES.length; i += 1) if (bits & (1 << i)) scopes[i] = (scopes[i] as number) + 1;
    const state = status[rowid] as number;
    statuses[state] = (statuses[state] as number) + 1;
    if ((media[rowid] as number) > 0) totals[2] = (totals[2] as number) + 1;
  }
}

/**
 * Filters run as passes, one per test, each a loop over the candidate rows that clears `ok[i]` for
 * the rows it refuses. A closure per row made V8's speed swing threefold from run to run (measured:
 * 4 to 15 ms for one facility over 100k testimonies); a pass per test is one small loop each.
 */
type RowFilter = (rows: Uint32Array, ok: Uint8Array) => void;

/** Keeps rows linked to an entity of `kind` that `mask` marks (`DocumentFacts.linkFrom` and `linkCount`, inlined). */
function keepLinked(rows: Uint32Array, ok: Uint8Array, links: Int32Array, starts: Uint32Array, kind: LinkKind, mask: Uint8Array): void {
  for (let i = 0; i < rows.length; i += 1) {
    if (ok[i] === 0) continue;
    const start = starts[rows[i] as number] as number;
    let from = start + 4;
    for (let k = 0; k < kind; k += 1) from += links[start + k] as number;
    const to = from + (links[start + kind] as number);
    let linked = 0;
    for (let at = from; at < to && linked === 0; at += 1) if (mask[links[at] as number] === 1) linked = 1;
    ok[i] = linked;
  }
}

/** Keeps rows whose [low, high] day range is recorded (0 means not) and overlaps [from, to]. */
function keepOverlapping(rows: Uint32Array, ok: Uint8Array, low: Uint32Array, high: Uint32Array, from: number, to: number): void {
  for (let i = 0; i < rows.length; i += 1) {
    const rowid = rows[i] as number;
    const first = low[rowid] as number;
    if (first === 0 || first > to || (high[rowid] as number) < from) ok[i] = 0;
  }
}

/** Keeps rows whose code (language or status) `wanted` marks. */
function keepCoded(rows: Uint32Array, ok: Uint8Array, codes: Uint8Array | Uint16Array, wanted: Uint8Array): void {
  for (let i = 0; i < rows.length; i += 1) if (wanted[codes[rows[i] as number] as number] !== 1) ok[i] = 0;
}

function keepScoped(rows: Uint32Array, ok: Uint8Array, scopes: Uint8Array, mask: number): void {
  for (let i = 0; i < rows.length; i += 1) if (((scopes[rows[i] as number] as number) & mask) === 0) ok[i] = 0;
}

function keepWithMedia(rows: Uint32Array, ok: Uint8Array, media: Uint16Array, wanted: boolean): void {
  for (let i = 0; i < rows.length; i += 1) if ((media[rows[i] as number] as number) > 0 !== wanted) ok[i] = 0;
}

function keepPresent(rows: Uint32Array, ok: Uint8Array, facts: DocumentFacts): void {
  for (let i = 0; i < rows.length; i += 1) if (!facts.has(rows[i] as number)) ok[i] = 0;
}

/** The rows `filter` lets through: their rowids, and their indexes in `rowids` (to find their scores). */
function filterRows(rowids: Uint32Array, filter: RowFilter | null): { matched: Uint32Array; kept: Uint32Array | null } {
  // Without a filter every row is kept: `kept` null stands for all of them.
  if (filter === null) return { matched: rowids, kept: null };
  const ok = new Uint8Array(rowids.length).fill(1);
  filter(rowids, ok);
  return keptRows(rowids, ok);
}

// Typed arrays, not number[]: a list of 50k rows per search was old-generation garbage that had V8
// run a full collection every few dozen searches.
function keptRows(rowids: Uint32Array, ok: Uint8Array): { matched: Uint32Array; kept: Uint32Array } {
  let count = 0;
  for (let i = 0; i < ok.length; i += 1) count += ok[i] as number;
  const matched = new Uint32Array(count);
  const kept = new Uint32Array(count);
  for (let i = 0, n = 0; n < count; i += 1) {
    if (ok[i] === 0) continue;
    matched[n] = rowids[i] as number;
    kept[n] = i;
    n += 1;
  }
  return { matched, kept };
}

/**
 * The `wanted` best of the rows `kept` (indexes into `rowids`), best first: highest score, then
 * lowest rowid. Scores go out negated, as FTS5's bm25() gave them (lower is better).
 */
function bestScored(rowids: Uint32Array, scores: Float64Array, kept: Uint32Array | null, wanted: number): ScoredRow[] {
  const better = (a: number, b: number) => (scores[a] as number) > (scores[b] as number) || (scores[a] === scores[b] && (rowids[a] as number) < (rowids[b] as number));
  const order = (a: number, b: number) => (better(a, b) ? -1 : better(b, a) ? 1 : 0);
  const count = kept === null ? rowids.length : kept.length;
  let best: number[];
  if (wanted * 8 >= count) best = (kept === null ? Array.from(rowids.keys()) : Array.from(kept)).sort(order).slice(0, wanted);
  else {
    // A short sorted list that a row enters only when it beats the worst one kept.
    best = [];
    for (let k = 0; k < count; k += 1) {
      const i = kept === null ? k : (kept[k] as number);
      if (best.length === wanted) {
        if (!better(i, best[wanted - 1] as number)) continue;
        best.pop();
      }
      let at = best.length;
      while (at > 0 && better(i, best[at - 1] as number)) at -= 1;
      best.splice(at, 0, i);
    }
  }
  return best.map((i) => ({ rowid: rowids[i] as number, score: -(scores[i] as number) }));
}

function configure(db: Database.Database): void {
  // Nothing of the index may reach a temp file: sorts and temp tables stay in memory.
  db.pragma('temp_store = MEMORY');
  db.pragma('trusted_schema = OFF');
}

/**
 * The search engine: an in-memory SQLite FTS5 index with facet data and the names of vocabulary
 * terms and persons. It knows nothing of the vault; `VaultSearch` feeds it decrypted records and
 * persists it as an encrypted snapshot. Never opened on a file.
 */
export class SearchIndex {
  /** Facet columns; null until first needed after opening a snapshot (then unpacked from it). */
  private facts: DocumentFacts | null = null;
  /** Rowids ordered by reference, for browsing with an empty query; dropped on any change. */
  private referenceOrder: Uint32Array | null = null;
  private vocabulary: VocabularyMatcher | null = null;
  private termCounters = new Uint32Array(1024);
  private readonly statements = new Map<string, Database.Statement>();

  private constructor(private readonly db: Database.Database, private readonly postings: PostingsIndex) {}

  static create(): SearchIndex {
    const db = new Database(':memory:');
    configure(db);
    db.exec(INDEX_SCHEMA);
    const index = new SearchIndex(db, new PostingsIndex(WEIGHTS));
    index.setMeta('format', String(SEARCH_INDEX_FORMAT));
    index.facts = DocumentFacts.empty();
    return index;
  }

  /**
   * Opens a serialized index (a decrypted snapshot: the SQLite tables, then the postings); a
   * foreign or older format is refused. Takes `bytes` (plaintext): the tables part is wiped once
   * SQLite has its copy, the postings stay in place until `close` wipes them, and everything is
   * wiped when the bytes cannot be opened.
   */
  static fromSerialized(bytes: Buffer): SearchIndex {
    try {
      return SearchIndex.adopt(bytes);
    } catch (error) {
      bytes.fill(0);
      throw error;
    }
  }

  private static adopt(bytes: Buffer): SearchIndex {
    const unreadable = (cause?: unknown) => new VaultError('VAULT_CORRUPT', 'the search index snapshot is not a readable index', cause === undefined ? {} : { cause });
    if (bytes.length < 8) throw unreadable();
    const tablesLength = Number(bytes.readBigUInt64LE(0));
    if (tablesLength > bytes.length - 8) throw unreadable();
    let db: Database.Database;
    try {
      db = new Database(bytes.subarray(8, 8 + tablesLength));
      configure(db);
    } catch (cause) {
      throw unreadable(cause);
    } finally {
      bytes.fill(0, 0, 8 + tablesLength);
    }
    let format: string | undefined;
    try {
      format = db.prepare("SELECT value FROM meta WHERE key = 'format'").pluck().get() as string | undefined;
    } catch (cause) {
      db.close();
      throw unreadable(cause);
    }
    if (format !== String(SEARCH_INDEX_FORMAT)) {
      db.close();
      throw new VaultError('VAULT_CORRUPT', `the search index snapshot has format ${format ?? 'none'}, this app uses ${SEARCH_INDEX_FORMAT}`);
    }
    try {
      return new SearchIndex(db, PostingsIndex.deserialize(bytes.subarray(8 + tablesLength), WEIGHTS));
    } catch (cause) {
      db.close();
      throw isVaultCorrupt(cause) ? cause : unreadable(cause);
    }
  }

  private statement(sql: string): Database.Statement {
    let prepared = this.statements.get(sql);
    if (!prepared) {
      prepared = this.db.prepare(sql);
      this.statements.set(sql, prepared);
    }
    return prepared;
  }

  get isOpen(): boolean {
    return this.db.open;
  }

  get documentCount(): number {
    return this.statement('SELECT count(*) FROM docs').pluck().get() as number;
  }

  getMeta(key: string): string | undefined {
    return this.statement('SELECT value FROM meta WHERE key = ?').pluck().get(key) as string | undefined;
  }

  setMeta(key: string, value: string): void {
    this.statement('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value').run(key, value);
  }

  /** Runs many changes as one SQLite transaction (much faster for a rebuild). */
  transaction<T>(work: () => T): T {
    if (this.db.inTransaction) return this.db.transaction(work)();
    let result: T;
    this.postings.begin();
    try {
      result = this.db.transaction(work)();
    } catch (error) {
      // SQLite rolled back; the in-memory state follows: the postings undo their journal, and the
      // facet columns are rebuilt from the (rolled back) docs table.
      this.postings.rollback();
      this.facts = this.factsFromDocs();
      this.referenceOrder = null;
      this.vocabulary = null;
      throw error;
    }
    this.postings.commit();
    return result;
  }

  // ---- entities: vocabulary terms and persons ----

  private entityByRowid(rowid: number): EntityRow | undefined {
    return this.statement('SELECT rowid, * FROM entities WHERE rowid = ?').get(rowid) as EntityRow | undefined;
  }

  private entityRowid(id: string, kind: EntityKind): number {
    const rowid = this.statement('SELECT rowid FROM entities WHERE id = ?').pluck().get(id) as number | undefined;
    if (rowid !== undefined) return rowid;
    // A link to a record the index has not seen yet: a placeholder, filled in by upsertEntity.
    return Number(this.statement("INSERT INTO entities (id, kind, version, names) VALUES (?, ?, 0, '')").run(id, kind).lastInsertRowid);
  }

  private docsLinking(personRowid: number): string[] {
    const facts = this.loadFacts();
    const rowids: number[] = [];
    for (let rowid = 0; rowid < facts.size; rowid += 1) {
      if (facts.present[rowid] === 1 && facts.linked(rowid, LINK.person).includes(personRowid)) rowids.push(rowid);
    }
    return rowids.map((rowid) => this.docIdOf(rowid)).filter((id): id is string => id !== undefined);
  }

  private docIdOf(rowid: number): string | undefined {
    return this.statement('SELECT id FROM docs WHERE rowid = ?').pluck().get(rowid) as string | undefined;
  }

  /**
   * Adds or updates a term or person. For a person, returns the testimonies linked to it whose
   * indexed names are now out of date: the caller re-reads and upserts them (the index holds no
   * text to redo it alone). A term's names are not in testimony rows, so nothing is returned.
   */
  upsertEntity(entity: IndexEntity): string[] {
    const keys = keysOf(entity.names);
    const names = keys.join('\n');
    const existing = this.statement('SELECT rowid, * FROM entities WHERE id = ?').get(entity.id) as EntityRow | undefined;
    let rowid: number;
    if (existing) {
      rowid = existing.rowid;
      this.statement('UPDATE entities SET kind = ?, version = ?, names = ?, label_en = ?, label_ar = ? WHERE rowid = ?')
        .run(entity.kind, entity.version, names, entity.labelEn ?? null, entity.labelAr ?? null, rowid);
      if (existing.names === names) return [];
      this.statement('DELETE FROM entity_keys WHERE entity = ?').run(rowid);
    } else {
      rowid = Number(this.statement('INSERT INTO entities (id, kind, version, names, label_en, label_ar) VALUES (?, ?, ?, ?, ?, ?)')
        .run(entity.id, entity.kind, entity.version, names, entity.labelEn ?? null, entity.labelAr ?? null).lastInsertRowid);
    }
    const insertKey = this.statement('INSERT OR IGNORE INTO entity_keys (key, entity) VALUES (?, ?)');
    for (const key of keys) insertKey.run(key, rowid);
    if (entity.kind !== 'person') {
      this.vocabulary = null;
      return [];
    }
    return existing ? this.docsLinking(rowid) : [];
  }

  /** Forgets a deleted term or person; returns the testimonies that still name the person (to re-read). */
  removeEntity(id: string): string[] {
    const row = this.statement('SELECT rowid, kind FROM entities WHERE id = ?').get(id) as { rowid: number; kind: EntityKind } | undefined;
    if (row === undefined) return [];
    this.statement("UPDATE entities SET version = 0, names = '', label_en = NULL, label_ar = NULL WHERE rowid = ?").run(row.rowid);
    this.statement('DELETE FROM entity_keys WHERE entity = ?').run(row.rowid);
    if (row.kind !== 'person') {
      this.vocabulary = null;
      return [];
    }
    return this.docsLinking(row.rowid);
  }

  private vocabularyMatcher(): VocabularyMatcher {
    if (!this.vocabulary) {
      const rows = this.statement("SELECT rowid, names FROM entities WHERE kind != 'person' AND version > 0").raw().all() as [number, string][];
      this.vocabulary = new VocabularyMatcher(rows.map(([rowid, names]) => ({ rowid, keys: names.length > 0 ? names.split('\n') : [] })));
    }
    return this.vocabulary;
  }

  /** The version of one entity the index holds; undefined when unknown, removed or a placeholder. */
  entityVersion(id: string): number | undefined {
    const version = this.statement('SELECT version FROM entities WHERE id = ?').pluck().get(id) as number | undefined;
    return version !== undefined && version > 0 ? version : undefined;
  }

  /** id → version of every entity the index holds (placeholders excluded). */
  entityVersions(): Map<string, number> {
    const rows = this.statement('SELECT id, version FROM entities WHERE version > 0').raw().all() as [string, number][];
    return new Map(rows);
  }

  // ---- testimonies ----

  private mediaCount(testimonyId: string): number {
    return this.statement('SELECT count(*) FROM media WHERE doc = ?').pluck().get(testimonyId) as number;
  }

  upsertDocument(document: IndexDocument): void {
    const facts = this.loadFacts();
    const facilities = document.facilityIds.map((id) => this.entityRowid(id, 'facility'));
    const units = document.perpetratorUnitIds.map((id) => this.entityRowid(id, 'perpetratorUnit'));
    const violations = document.violationIds.map((id) => this.entityRowid(id, 'violation'));
    const persons = document.personIds.map((id) => this.entityRowid(id, 'person'));
    const personNames = persons.flatMap((rowid) => {
      const names = this.entityByRowid(rowid)?.names ?? '';
      return names.length > 0 ? names.split('\n') : [];
    });
    const columns = indexColumnTokens(document, personNames, [...new Set([...facilities, ...units, ...violations])].map(vocabularyLinkToken));
    const stored: StoredAttributes = {
      f: facilities, u: units, v: violations, p: persons,
      l: document.language.toLowerCase(), s: document.status,
      c: document.consentWithdrawn ? [] : [...document.consentScopes],
      ...(document.period?.from ? { pf: document.period.from } : {}),
      ...(document.period?.to ? { pt: document.period.to } : {}),
      ...(document.interviewDate ? { i: document.interviewDate } : {}),
    };
    const json = JSON.stringify(stored);
    let rowid = this.statement('SELECT rowid FROM docs WHERE id = ?').pluck().get(document.id) as number | undefined;
    if (rowid === undefined) {
      rowid = Number(this.statement('INSERT INTO docs (id, version, reference, attributes) VALUES (?, ?, ?, ?)')
        .run(document.id, document.version, document.reference, json).lastInsertRowid);
    } else {
      this.statement('UPDATE docs SET version = ?, reference = ?, attributes = ? WHERE rowid = ?').run(document.version, document.reference, json, rowid);
    }
    this.postings.put(rowid, INDEX_COLUMNS.map((column) => columns[column]), INDEX_MARKERS.barrier);
    facts.set(rowid, factOf(stored));
    facts.setMedia(rowid, this.mediaCount(document.id));
    this.referenceOrder = null;
  }

  removeDocument(testimonyId: string): boolean {
    const rowid = this.statement('SELECT rowid FROM docs WHERE id = ?').pluck().get(testimonyId) as number | undefined;
    if (rowid === undefined) return false;
    this.loadFacts().delete(rowid);
    this.postings.remove(rowid);
    this.statement('DELETE FROM docs WHERE rowid = ?').run(rowid);
    this.statement('DELETE FROM media WHERE doc = ?').run(testimonyId);
    this.referenceOrder = null;
    return true;
  }

  /** id → version of every testimony in the index. */
  documentVersions(): Map<string, number> {
    return new Map(this.statement('SELECT id, version FROM docs').raw().all() as [string, number][]);
  }

  /** Person ids linked from a testimony (to find persons a testimony delete took with it). */
  personIdsOf(testimonyId: string): string[] {
    const row = this.statement('SELECT attributes FROM docs WHERE id = ?').pluck().get(testimonyId) as string | undefined;
    if (row === undefined) return [];
    const stored = JSON.parse(row) as StoredAttributes;
    return stored.p.map((rowid) => this.entityByRowid(rowid)?.id).filter((id): id is string => id !== undefined);
  }

  // ---- media (only for the has-media filter) ----

  setMedia(mediaId: string, testimonyId: string): void {
    const previous = this.statement('SELECT doc FROM media WHERE id = ?').pluck().get(mediaId) as string | undefined;
    if (previous === testimonyId) return;
    this.statement('INSERT INTO media (id, doc) VALUES (?, ?) ON CONFLICT (id) DO UPDATE SET doc = excluded.doc').run(mediaId, testimonyId);
    this.refreshMediaCount(testimonyId);
    if (previous !== undefined) this.refreshMediaCount(previous);
  }

  removeMedia(mediaId: string): void {
    const doc = this.statement('SELECT doc FROM media WHERE id = ?').pluck().get(mediaId) as string | undefined;
    if (doc === undefined) return;
    this.statement('DELETE FROM media WHERE id = ?').run(mediaId);
    this.refreshMediaCount(doc);
  }

  hasMedia(mediaId: string): boolean {
    return this.statement('SELECT 1 FROM media WHERE id = ?').pluck().get(mediaId) !== undefined;
  }

  mediaIds(): Set<string> {
    return new Set(this.statement('SELECT id FROM media').pluck().all() as string[]);
  }

  private refreshMediaCount(testimonyId: string): void {
    const rowid = this.statement('SELECT rowid FROM docs WHERE id = ?').pluck().get(testimonyId) as number | undefined;
    if (rowid !== undefined) this.loadFacts().setMedia(rowid, this.mediaCount(testimonyId));
  }

  // ---- persistence ----

  /** Drops dead postings and sorts the terms: a smaller snapshot and faster prefix queries after a rebuild. */
  optimize(): void {
    this.postings.compact();
  }

  /**
   * The whole index as bytes, to be sealed into a snapshot: the length of the SQLite tables (8
   * bytes, little-endian), the tables, then the postings. Plaintext: the caller must wipe it.
   */
  serialize(): Buffer {
    // The facet columns go in packed, so opening the snapshot needs no per-testimony parsing.
    if (this.facts) this.statement('INSERT INTO facts (singleton, packed) VALUES (1, ?) ON CONFLICT (singleton) DO UPDATE SET packed = excluded.packed').run(this.facts.pack());
    const tables = this.db.serialize();
    const postings = this.postings.serialize();
    const bytes = Buffer.allocUnsafeSlow(8 + tables.length + postings.length);
    bytes.writeBigUInt64LE(BigInt(tables.length), 0);
    bytes.set(tables, 8);
    bytes.set(postings, 8 + tables.length);
    tables.fill(0);
    postings.fill(0);
    return bytes;
  }

  close(): void {
    this.facts = null;
    this.statements.clear();
    this.postings.clear();
    // Words and names from decrypted testimonies must not outlive the unlocked vault in memory.
    forgetSpanWords();
    forgetHighlightSkeletons();
    forgetIndexSkeletons();
    if (this.db.open) this.db.close();
  }

  // ---- queries ----

  /**
   * The facet columns: unpacked from the snapshot (written by `serialize` from these very columns,
   * so exact for the docs table it was sealed with), or rebuilt from `docs` if there is no blob.
   */
  private loadFacts(): DocumentFacts {
    if (this.facts) return this.facts;
    const packed = this.statement('SELECT packed FROM facts WHERE singleton = 1').pluck().get() as Uint8Array | undefined;
    this.facts = (packed ? DocumentFacts.unpack(packed) : null) ?? this.factsFromDocs();
    return this.facts;
  }

  private factsFromDocs(): DocumentFacts {
    const facts = DocumentFacts.empty();
    for (const [rowid, json] of this.statement('SELECT rowid, attributes FROM docs').raw().iterate() as Iterable<[number, string]>) {
      facts.set(rowid, factOf(JSON.parse(json) as StoredAttributes));
    }
    for (const [rowid, count] of this.statement('SELECT d.rowid, count(*) FROM media m JOIN docs d ON d.id = m.doc GROUP BY d.rowid').raw().iterate() as Iterable<[number, number]>) {
      facts.setMedia(rowid, count);
    }
    return facts;
  }

  private lookupVariants = (key: string): EntityMatch[] => {
    const rows = this.statement('SELECT e.kind, e.names FROM entity_keys k JOIN entities e ON e.rowid = k.entity WHERE k.key = ?').raw().all(key) as [EntityKind, string][];
    return rows.map(([kind, names]) => ({ kind, keys: names.split('\n') }));
  };

  private resolveTermFilter(values: readonly string[] | undefined, kind: EntityKind, what: string): Set<number> | null {
    if (values === undefined) return null;
    const rowids = new Set<number>();
    for (const value of values) {
      const byId = this.statement('SELECT rowid FROM entities WHERE id = ? AND kind = ?').pluck().get(value, kind) as number | undefined;
      if (byId !== undefined) {
        rowids.add(byId);
        continue;
      }
      const byName = this.statement('SELECT e.rowid FROM entity_keys k JOIN entities e ON e.rowid = k.entity WHERE k.key = ? AND e.kind = ?')
        .pluck().all(searchTokens(value).join(' '), kind) as number[];
      if (byName.length === 0) throw new VaultError('INVALID_INPUT', `no ${what} is called "${value}"; list them with the vocabulary command`);
      for (const rowid of byName) rowids.add(rowid);
    }
    return rowids;
  }

  private compileFilter(filters: SearchFilters, facts: DocumentFacts): RowFilter | null {
    // The facts do not change during one search: their arrays are read once, here.
    const passes: RowFilter[] = [];
    const anyOf = (wanted: Set<number> | null, kind: LinkKind) => {
      if (!wanted) return;
      // A mask indexed by entity rowid, long enough for every linked rowid: the browse path tests
      // every testimony (100k) with it, and a read past the end of a typed array is slow in V8.
      const mask = new Uint8Array(Math.max(this.maxEntityRowid(), ...wanted) + 1);
      for (const rowid of wanted) mask[rowid] = 1;
      const links = facts.linkBuffer;
      const starts = facts.linkStarts;
      passes.push((rows, ok) => keepLinked(rows, ok, links, starts, kind, mask));
    };
    anyOf(this.resolveTermFilter(filters.facilities, 'facility', 'facility'), LINK.facility);
    anyOf(this.resolveTermFilter(filters.perpetratorUnits, 'perpetratorUnit', 'perpetrator unit'), LINK.unit);
    anyOf(this.resolveTermFilter(filters.violations, 'violation', 'violation type'), LINK.violation);
    const day = (date: string) => Number(date.slice(0, 4)) * 10_000 + Number(date.slice(5, 7)) * 100 + Number(date.slice(8, 10));
    const overlaps = (range: { from?: string | undefined; to?: string | undefined } | undefined, low: Uint32Array, high: Uint32Array) => {
      if (!range || (range.from === undefined && range.to === undefined)) return;
      const from = range.from === undefined ? 0 : day(partialDateBounds(range.from)[0]);
      const to = range.to === undefined ? 99_999_999 : day(partialDateBounds(range.to)[1]);
      // 0 means "not recorded", which never overlaps anything.
      passes.push((rows, ok) => keepOverlapping(rows, ok, low, high, from, to));
    };
    overlaps(filters.period, facts.periodLow, facts.periodHigh);
    overlaps(filters.interviewDate, facts.interviewLow, facts.interviewHigh);
    if (filters.languages) {
      const wanted = filters.languages;
      const codes = Uint8Array.from(facts.languages, (language) => (wanted.some((w) => language === w || language.startsWith(`${w}-`)) ? 1 : 0));
      const languages = facts.language;
      passes.push((rows, ok) => keepCoded(rows, ok, languages, codes));
    }
    if (filters.consentScopes) {
      const mask = filters.consentScopes.reduce((bits, scope) => bits | (1 << CONSENT_SCOPES.indexOf(scope)), 0);
      const scopes = facts.scopes;
      passes.push((rows, ok) => keepScoped(rows, ok, scopes, mask));
    }
    if (filters.hasMedia !== undefined) {
      const wanted = filters.hasMedia;
      const media = facts.media;
      passes.push((rows, ok) => keepWithMedia(rows, ok, media, wanted));
    }
    if (filters.statuses) {
      const wanted = filters.statuses;
      const codes = Uint8Array.from(TESTIMONY_STATUSES, (status) => (wanted.includes(status) ? 1 : 0));
      const statuses = facts.status;
      passes.push((rows, ok) => keepCoded(rows, ok, statuses, codes));
    }
    if (passes.length === 0) return null;
    return (rows, ok) => {
      for (const pass of passes) pass(rows, ok);
    };
  }

  private maxEntityRowid(): number {
    return (this.statement('SELECT max(rowid) FROM entities').pluck().get() as number | null) ?? 0;
  }

  private browseOrder(): Uint32Array {
    this.referenceOrder ??= Uint32Array.from(this.statement('SELECT rowid FROM docs ORDER BY reference, rowid').pluck().all() as number[]);
    return this.referenceOrder;
  }

  private evaluate(request: SearchRequest, wanted: number): Evaluation {
    const parsed = parseSearchQuery(request.query);
    const { node, expansions } = parsed && request.expandVariants ? expandQuery(parsed, this.lookupVariants, MAX_KEY_TOKENS) : { node: parsed, expansions: [] };
    const facts = this.loadFacts();
    const filter = this.compileFilter(request.filters, facts);
    if (node === null) {
      // An empty query lists everything the filters let through, by reference.
      const order = this.browseOrder();
      const ok = new Uint8Array(order.length).fill(1);
      keepPresent(order, ok, facts);
      filter?.(order, ok);
      const { matched } = keptRows(order, ok);
      return { node, expansions, matched, top: Array.from(matched.subarray(0, wanted), (rowid) => ({ rowid, score: 0 })) };
    }
    const vocabulary = this.vocabularyMatcher();
    const tree = compileMatchTree(node, { tolerant: request.tolerant, links: (tokens, prefix) => vocabulary.linksFor(tokens, prefix, request.tolerant) });
    const { rowids, scores } = this.postings.match(tree, wanted > 0);
    const { matched, kept } = filterRows(rowids, filter);
    const top = scores === null ? [] : bestScored(rowids, scores, kept, wanted);
    return { node, expansions, matched, top };
  }

  private termBuckets(counts: ReadonlyMap<number, number>): FacetBucket[] {
    const buckets: FacetBucket[] = [];
    for (const [rowid, count] of counts) {
      const entity = this.entityByRowid(rowid);
      if (!entity) continue;
      buckets.push({ value: entity.id, count, ...(entity.label_en ? { labelEn: entity.label_en } : {}), ...(entity.label_ar ? { labelAr: entity.label_ar } : {}) });
    }
    return buckets.sort((a, b) => b.count - a.count || (a.value < b.value ? -1 : 1));
  }

  private facetsOf(matched: Uint32Array): SearchFacets {
    const facts = this.loadFacts();
    // Counters indexed by entity rowid (grown as needed, cleared through the list of touched ones),
    // so counting 50k hits allocates nothing per hit.
    const maxEntity = this.maxEntityRowid();
    if (this.termCounters.length <= maxEntity) this.termCounters = new Uint32Array(maxEntity + 1024);
    const termBuckets = countTermLinks(matched, facts, this.termCounters);
    const { years, unknownYears, interviewYears, unknownInterviews, languages, scopes, statuses, withMedia } = countAttributes(matched, facts);
    const byCount = (list: { value: string; count: number }[]) => list.filter((b) => b.count > 0).sort((a, b) => b.count - a.count || (a.value < b.value ? -1 : 1));
    const yearBuckets = (counts: Uint32Array, unknown: number) => [
      ...[...counts].flatMap((count, slot) => (count > 0 ? [{ value: String(FACET_FIRST_YEAR + slot), count }] : [])),
      ...(unknown > 0 ? [{ value: 'unknown', count: unknown }] : []),
    ];
    return {
      facility: this.termBuckets(termBuckets[LINK.facility]),
      perpetratorUnit: this.termBuckets(termBuckets[LINK.unit]),
      violation: this.termBuckets(termBuckets[LINK.violation]),
      year: yearBuckets(years, unknownYears),
      interviewYear: yearBuckets(interviewYears, unknownInterviews),
      language: byCount(facts.languages.map((value, code) => ({ value, count: languages[code] ?? 0 }))),
      consentScope: byCount(CONSENT_SCOPES.map((value, i) => ({ value, count: scopes[i] ?? 0 }))),
      hasMedia: byCount([{ value: 'true', count: withMedia }, { value: 'false', count: matched.length - withMedia }]),
      status: byCount(TESTIMONY_STATUSES.map((value, i) => ({ value, count: statuses[i] ?? 0 }))),
    };
  }

  /**
   * Runs a search: total and facets over the whole result set, the page of hits ranked by bm25,
   * each with a snippet built from text the `snippets` source decrypts for that hit only (a field
   * only when the snippet reads it).
   */
  search(request: SearchRequest, snippets: SnippetSource, options: { facets?: boolean } = {}): SearchResult {
    const evaluation = this.evaluate(request, request.offset + request.limit);
    const isMatch = highlightMatcher(evaluation.node, request.tolerant);
    const hits: SearchHit[] = evaluation.top.slice(request.offset).flatMap(({ rowid, score }) => {
      const doc = this.statement('SELECT id, reference FROM docs WHERE rowid = ?').get(rowid) as { id: string; reference: string } | undefined;
      if (!doc) return [];
      return snippets(doc.id, (fields): SearchHit[] => [
        { id: doc.id, reference: doc.reference, title: fields.title, score: score === 0 ? 0 : Math.round(-score * 1e6) / 1e6, snippet: evaluation.node === null ? leadSnippet(fields) : buildSnippet(fields, isMatch) },
      ]);
    });
    return {
      total: evaluation.matched.length,
      hits,
      facets: options.facets === false ? NO_FACETS : this.facetsOf(evaluation.matched),
      expansions: evaluation.expansions,
    };
  }

  /** Ids of every testimony in the result set, unranked (to select them all, e.g. for an export). */
  matchingIds(request: SearchRequest): string[] {
    const ids = new Map(this.statement('SELECT rowid, id FROM docs').raw().all() as [number, string][]);
    return Array.from(this.evaluate(request, 0).matched, (rowid) => ids.get(rowid)).filter((id): id is string => id !== undefined);
  }

  /** Testimony counts by facility × violation × year and by perpetrator unit × year, over a search result. */
  analytics(request: SearchRequest): SearchAnalytics {
    const { matched } = this.evaluate(request, 0);
    const facts = this.loadFacts();
    const facilityViolationYear = new Map<string, number>();
    const unitYear = new Map<string, number>();
    const bump = (map: Map<string, number>, key: string) => map.set(key, (map.get(key) ?? 0) + 1);
    for (const rowid of matched) {
      const low = facts.periodLow[rowid] ?? 0;
      const years: number[] = [];
      if (low === 0) years.push(0);
      else for (let year = yearOf(low), last = Math.min(yearOf(facts.periodHigh[rowid] ?? 0), year + 199); year <= last; year += 1) years.push(year);
      const orNone = (list: Int32Array) => (list.length > 0 ? [...new Set(list)] : [0]);
      const facilities = orNone(facts.linked(rowid, LINK.facility));
      const violations = orNone(facts.linked(rowid, LINK.violation));
      const units = orNone(facts.linked(rowid, LINK.unit));
      for (const year of years) {
        for (const facility of facilities) for (const violation of violations) bump(facilityViolationYear, `${facility}|${violation}|${year}`);
        for (const unit of units) bump(unitYear, `${unit}|${year}`);
      }
    }
    const term = (rowid: number): AnalyticsTerm | null => {
      const entity = rowid === 0 ? undefined : this.entityByRowid(rowid);
      if (!entity) return null;
      return { id: entity.id, ...(entity.label_en ? { labelEn: entity.label_en } : {}), ...(entity.label_ar ? { labelAr: entity.label_ar } : {}) };
    };
    const cells = [...facilityViolationYear].map(([key, count]) => {
      const [facility, violation, year] = key.split('|').map(Number) as [number, number, number];
      return { facility: term(facility), violation: term(violation), year: year === 0 ? null : year, count };
    });
    const units = [...unitYear].map(([key, count]) => {
      const [unit, year] = key.split('|').map(Number) as [number, number];
      return { perpetratorUnit: term(unit), year: year === 0 ? null : year, count };
    });
    const label = (t: AnalyticsTerm | null) => (t ? (t.labelEn ?? t.labelAr ?? t.id) : '');
    cells.sort((a, b) => label(a.facility).localeCompare(label(b.facility)) || label(a.violation).localeCompare(label(b.violation)) || (a.year ?? 0) - (b.year ?? 0));
    units.sort((a, b) => label(a.perpetratorUnit).localeCompare(label(b.perpetratorUnit)) || (a.year ?? 0) - (b.year ?? 0));
    return { total: matched.length, facilityViolationYear: cells, unitYear: units };
  }
}
