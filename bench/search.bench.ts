/**
 * Search at scale, in one run:
 *   npx tsx bench/search.bench.ts [--docs 100000] [--seed 42] [--runs 5] [--no-rg] [--keep] [--work DIR]
 * (--work DIR keeps the vault there and, on a later run with the same DIR, skips the import.)
 * 1. generates a reproducible synthetic corpus (bench/searchCorpus.ts) and imports it into a real
 *    vault through VaultService.addTestimony (batched transactions) and addMedia;
 * 2. builds the encrypted index from the vault and seals the snapshot (build time, snapshot size);
 * 3. in a fresh process: unlocks (KDF timed apart), opens the index, first result, then p50/p95 per
 *    query type, and the process's peak RSS;
 * 4. in another fresh process: the same corpus in a plaintext FTS5 table that keeps its own text, the
 *    same MATCH expressions, facets in SQL and FTS5's snippet(): the ratio ours / plaintext; and in a
 *    third, this same engine built from the plaintext with snippets from memory: the ratio ours /
 *    same-engine-without-encryption, the cost of the encryption alone;
 * 5. `rg -c` over the plaintext corpus written to a temp dir, for the term queries.
 * Prints one JSON object and writes bench/results/search.json (git-ignored).
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import Database from 'better-sqlite3';
import { systemPlatform } from '../src/main/core/platform.js';
import { compileMatchExpression } from '../src/main/core/search/compileMatchExpression.js';
import { expandQuery, type EntityMatch } from '../src/main/core/search/expandQuery.js';
import { INDEX_COLUMNS, INDEX_COLUMN_WEIGHTS, indexColumnTokens } from '../src/main/core/search/indexColumns.js';
import type { IndexDocument, IndexEntity } from '../src/main/core/search/indexDocument.js';
import { matchKey } from '../src/main/core/search/normalizeText.js';
import { parseSearchQuery } from '../src/main/core/search/parseSearchQuery.js';
import { partialDateBounds, periodBounds, yearsOf } from '../src/main/core/search/partialDateBounds.js';
import { parseSearchRequest, type SearchRequest, type SearchRequestInput } from '../src/main/core/search/searchRequest.js';
import { SearchIndex, type SnippetSource } from '../src/main/core/search/SearchIndex.js';
import { searchTokens } from '../src/main/core/search/searchTokens.js';
import { snapshotFilePath } from '../src/main/core/search/snapshotFile.js';
import { VaultSearch } from '../src/main/core/search/VaultSearch.js';
import { VaultService } from '../src/main/core/VaultService.js';
import { MIB, peakRssBytes, resetPeakRss, round } from './benchSupport.js';
import { generateSearchCorpus, seedVocabularyEntities, syntheticIndexInput, syntheticTestimony } from './searchCorpus.js';

const PASSPHRASE = 'bench: several unrelated words for the search vault';
const RESULTS_DIR = fileURLToPath(new URL('./results/', import.meta.url));
const LIMIT = 20;

export type QueryType = 'singleTerm' | 'twoTerm' | 'phrase' | 'prefix' | 'aliasExpanded' | 'filteredFaceted' | 'tolerant';

/** The queries of each type; every one is run `runs` times, interleaved, after one warm-up pass. */
export const BENCH_QUERIES: Record<QueryType, SearchRequestInput[]> = {
  // From very frequent (prison, guards, السجان: ~40% of testimonies) through mid (15–20%) to rare (3–4%).
  singleTerm: ['prison', 'guards', 'blanket', 'scabies', 'basement', 'bribe', 'السجان', 'القمل', 'المهجع', 'هربت'].map((query) => ({ query })),
  twoTerm: ['guards night', 'cell blanket', 'hunger thirst', 'lice scabies', 'bread water', 'السجان الزنزانة', 'المحقق الكهرباء', 'الخبز الماء'].map((query) => ({ query })),
  phrase: ['"electric shocks"', '"German chair"', '"flying carpet"', '"handed to"', '"الكرسي الألماني"', '"تحت الأرض"', '"الشرطة العسكرية"', '"in cell"'].map((query) => ({ query })),
  prefix: ['tor*', 'interr*', 'sca*', 'bla*', 'tra*', 'الز*', 'السج*', 'المخ*'].map((query) => ({ query })),
  aliasExpanded: ['Saydnaya', 'Youssef Darwich', 'Branch 235', 'Tadmor', 'State Security', 'صيدنايا', 'shabeh', 'Mohamad Qassem', 'falaqa', 'يوسف درويش'].map((query) => ({ query })),
  filteredFaceted: [
    { query: 'torture', filters: { facilities: ['Saydnaya'], period: { from: '2013', to: '2015' } } },
    { query: 'الزنزانة', filters: { languages: ['ar'], statuses: ['verified'] } },
    { query: 'السجان', filters: { violations: ['electric shocks'] } },
    { query: 'guards', filters: { consentScopes: ['icc'], hasMedia: false } },
    { query: 'Homs', filters: { perpetratorUnits: ['Air Force Intelligence'], interviewDate: { from: '2020' } } },
    { query: '', filters: { facilities: ['Branch 235'], period: { from: '2012', to: '2012' } } },
  ],
  tolerant: ['Mouhamad Darwich', 'Youcef', 'Khaalid Kasim', 'Oumar'].map((query) => ({ query, tolerant: true })),
};
const QUERY_TYPES = Object.keys(BENCH_QUERIES) as QueryType[];

type Latency = { p50Ms: number; p95Ms: number; meanMs: number; samples: number };
type QueryPhase = { latency: Record<QueryType, Latency>; totals: Record<string, number>; peakRssMiB: number };

const rssMiB = () => round(process.resourceUsage().maxRSS / 1024, 0);
const log = (line: string) => process.stderr.write(`[search bench] ${line}\n`);

function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)] ?? 0;
}

function summarise(samples: number[]): Latency {
  const sorted = [...samples].sort((a, b) => a - b);
  return { p50Ms: round(percentile(sorted, 0.5)), p95Ms: round(percentile(sorted, 0.95)), meanMs: round(sorted.reduce((a, b) => a + b, 0) / Math.max(1, sorted.length)), samples: sorted.length };
}

const keyOf = (request: SearchRequestInput) => JSON.stringify(request);

/** Runs every query once (warm-up, recording totals), then `runs` interleaved rounds, timing each call. */
function measure(runs: number, run: (request: SearchRequestInput) => number): { latency: Record<QueryType, Latency>; totals: Record<string, number> } {
  const totals: Record<string, number> = {};
  for (const type of QUERY_TYPES) for (const request of BENCH_QUERIES[type]) totals[keyOf(request)] = run(request);
  const samples = Object.fromEntries(QUERY_TYPES.map((type) => [type, [] as number[]])) as Record<QueryType, number[]>;
  for (let round = 0; round < runs; round += 1) {
    for (const type of QUERY_TYPES) {
      for (const request of BENCH_QUERIES[type]) {
        const started = performance.now();
        run(request);
        samples[type].push(performance.now() - started);
      }
    }
  }
  return { latency: Object.fromEntries(QUERY_TYPES.map((type) => [type, summarise(samples[type])])) as Record<QueryType, Latency>, totals };
}

function currentPeakRssMiB(): number | null {
  const bytes = peakRssBytes();
  return bytes === undefined ? null : round(bytes / MIB, 0);
}

// ---- phase: ours (child process) ----

async function oursPhase(vaultDir: string, runs: number): Promise<QueryPhase & Record<string, unknown>> {
  const unlockStarted = performance.now();
  const service = await VaultService.open(vaultDir, PASSPHRASE, systemPlatform());
  const unlockMs = performance.now() - unlockStarted;
  const canReset = resetPeakRss();
  const openStarted = performance.now();
  const search = await VaultSearch.open(service.sessionForCore);
  const openMs = performance.now() - openStarted;
  const first = search.search({ query: 'Saydnaya', limit: LIMIT });
  const firstResultMs = performance.now() - openStarted;
  const measured = measure(runs, (request) => search.search({ limit: LIMIT, ...request }).total);
  const searchPeak = canReset ? currentPeakRssMiB() : null;
  search.close();
  service.lock();
  return {
    unlockWithKdfMs: round(unlockMs, 0),
    openIndexMs: round(openMs, 0),
    unlockToFirstResultMs: round(firstResultMs, 0),
    firstResultTotal: first.total,
    openReport: search.openReport,
    ...measured,
    searchPhasePeakRssMiB: searchPeak,
    peakRssMiB: rssMiB(),
  };
}

// ---- phase: plaintext FTS5 baseline (child process) ----

type PlainDoc = { document: IndexDocument; media: boolean };

function plainFacetRows(document: IndexDocument, media: boolean): [string, string][] {
  const period = periodBounds(document.period);
  return [
    ...document.facilityIds.map((id): [string, string] => ['facility', id]),
    ...document.perpetratorUnitIds.map((id): [string, string] => ['perpetratorUnit', id]),
    ...document.violationIds.map((id): [string, string] => ['violation', id]),
    ...(period ? yearsOf(period).map((year): [string, string] => ['year', String(year)]) : [['year', 'unknown'] as [string, string]]),
    ['interviewYear', document.interviewDate?.slice(0, 4) ?? 'unknown'],
    ['language', document.language],
    ...(document.consentWithdrawn ? [] : document.consentScopes.map((scope): [string, string] => ['consentScope', scope])),
    ['hasMedia', String(media)],
    ['status', document.status],
  ];
}

/**
 * The plaintext baseline: what a naive implementation without encryption would do. The FTS5 table
 * keeps its own copy of the (same, normalised) text, snippets come from FTS5's snippet(), facets and
 * filters are SQL over a facet table. Same tokens and MATCH expressions as ours, so totals agree.
 */
class PlaintextBaseline {
  private readonly db = new Database(':memory:');
  private readonly byKey = new Map<string, EntityMatch[]>();
  private maxKeyTokens = 1;
  private readonly entities: IndexEntity[] = [];

  constructor() {
    this.db.pragma('temp_store = MEMORY');
    this.db.exec(`
      CREATE VIRTUAL TABLE fts USING fts5(${INDEX_COLUMNS.join(', ')}, tokenize = 'ascii', prefix = '3');
      CREATE TABLE docs (rowid INTEGER PRIMARY KEY, id TEXT, reference TEXT, period_low TEXT, period_high TEXT, interview_low TEXT, interview_high TEXT);
      CREATE TABLE facets (doc INTEGER NOT NULL, dim TEXT NOT NULL, value TEXT NOT NULL);
    `);
  }

  addEntity(entity: IndexEntity): void {
    this.entities.push(entity);
    const keys = [...new Set(entity.names.map((name) => searchTokens(name).join(' ')).filter(Boolean))];
    for (const key of keys) {
      this.maxKeyTokens = Math.max(this.maxKeyTokens, Math.min(12, key.split(' ').length));
      const list = this.byKey.get(key) ?? [];
      list.push({ kind: entity.kind, keys });
      this.byKey.set(key, list);
    }
  }

  load(documents: Iterable<PlainDoc>, namesOf: (id: string) => readonly string[]): void {
    const insertFts = this.db.prepare(`INSERT INTO fts (rowid, ${INDEX_COLUMNS.join(', ')}) VALUES (?, ${INDEX_COLUMNS.map(() => '?').join(', ')})`);
    const insertDoc = this.db.prepare('INSERT INTO docs VALUES (?, ?, ?, ?, ?, ?, ?)');
    const insertFacet = this.db.prepare('INSERT INTO facets VALUES (?, ?, ?)');
    this.db.transaction(() => {
      let rowid = 0;
      for (const { document, media } of documents) {
        rowid += 1;
        const linked = [...document.facilityIds, ...document.perpetratorUnitIds, ...document.violationIds, ...document.personIds].flatMap(namesOf);
        const columns = indexColumnTokens(document, linked.map((name) => searchTokens(name).join(' ')));
        insertFts.run(rowid, ...INDEX_COLUMNS.map((column) => columns[column].join(' ')));
        const period = periodBounds(document.period);
        const interview = document.interviewDate ? partialDateBounds(document.interviewDate) : null;
        insertDoc.run(rowid, document.id, document.reference, period?.[0] ?? null, period?.[1] ?? null, interview?.[0] ?? null, interview?.[1] ?? null);
        for (const [dim, value] of plainFacetRows(document, media)) insertFacet.run(rowid, dim, value);
      }
    })();
    this.db.exec('CREATE INDEX facets_by_doc ON facets (doc); CREATE INDEX facets_by_value ON facets (dim, value, doc);');
    this.db.exec("INSERT INTO fts (fts) VALUES ('optimize')");
  }

  get sizeBytes(): number {
    return (this.db.pragma('page_count', { simple: true }) as number) * (this.db.pragma('page_size', { simple: true }) as number);
  }

  private termIds(values: readonly string[], kind: IndexEntity['kind']): string[] {
    return this.entities.filter((entity) => entity.kind === kind && values.some((value) => entity.names.some((name) => matchKey(name) === matchKey(value)))).map((entity) => entity.id);
  }

  search(request: SearchRequest): number {
    const parsed = parseSearchQuery(request.query);
    const node = parsed && request.expandVariants ? expandQuery(parsed, (key) => this.byKey.get(key) ?? [], this.maxKeyTokens).node : parsed;
    const conditions: string[] = [];
    const parameters: unknown[] = [];
    const facetIn = (dim: string, values: readonly string[]) => {
      conditions.push(`X.rowid IN (SELECT doc FROM facets WHERE dim = ? AND value IN (${values.map(() => '?').join(', ')}))`);
      parameters.push(dim, ...values);
    };
    const f = request.filters;
    if (f.facilities) facetIn('facility', this.termIds(f.facilities, 'facility'));
    if (f.perpetratorUnits) facetIn('perpetratorUnit', this.termIds(f.perpetratorUnits, 'perpetratorUnit'));
    if (f.violations) facetIn('violation', this.termIds(f.violations, 'violation'));
    if (f.languages) facetIn('language', f.languages);
    if (f.consentScopes) facetIn('consentScope', f.consentScopes);
    if (f.statuses) facetIn('status', f.statuses);
    if (f.hasMedia !== undefined) facetIn('hasMedia', [String(f.hasMedia)]);
    for (const [range, low, high] of [[f.period, 'period_low', 'period_high'], [f.interviewDate, 'interview_low', 'interview_high']] as const) {
      if (!range) continue;
      conditions.push(`X.rowid IN (SELECT rowid FROM docs WHERE ${high} >= ? AND ${low} <= ?)`);
      parameters.push(range.from ? partialDateBounds(range.from)[0] : '0000', range.to ? partialDateBounds(range.to)[1] : '9999');
    }
    const where = conditions.length > 0 ? ` AND ${conditions.join(' AND ')}` : '';
    const weights = INDEX_COLUMNS.map((column) => INDEX_COLUMN_WEIGHTS[column]).join(', ');
    let total: number;
    if (node === null) {
      const base = `FROM docs X WHERE 1 = 1${where}`;
      total = this.db.prepare(`SELECT count(*) ${base}`).pluck().get(...parameters) as number;
      this.db.prepare(`SELECT X.rowid, X.reference ${base} ORDER BY X.reference LIMIT ${LIMIT}`).all(...parameters);
      this.db.prepare(`SELECT dim, value, count(*) FROM facets WHERE doc IN (SELECT X.rowid ${base}) GROUP BY dim, value`).all(...parameters);
      return total;
    }
    const match = compileMatchExpression(node, { tolerant: request.tolerant });
    const base = `FROM fts X WHERE fts MATCH ?${where}`;
    total = this.db.prepare(`SELECT count(*) ${base}`).pluck().get(match, ...parameters) as number;
    this.db.prepare(`SELECT X.rowid, bm25(fts, ${weights}) AS score, snippet(fts, -1, '«', '»', '…', 24) ${base} ORDER BY score LIMIT ${LIMIT}`).all(match, ...parameters);
    this.db.prepare(`SELECT dim, value, count(*) FROM facets WHERE doc IN (SELECT X.rowid ${base}) GROUP BY dim, value`).all(match, ...parameters);
    return total;
  }
}

function plainPhase(docs: number, seed: number, runs: number): QueryPhase & Record<string, unknown> {
  const started = performance.now();
  const baseline = new PlaintextBaseline();
  const vocabulary = seedVocabularyEntities();
  const names = new Map<string, readonly string[]>();
  for (const term of vocabulary) {
    baseline.addEntity(term);
    names.set(term.id, term.names);
  }
  const documents: PlainDoc[] = [];
  for (const testimony of generateSearchCorpus({ seed, count: docs })) {
    const { document, persons } = syntheticIndexInput(testimony, vocabulary);
    for (const person of persons) {
      baseline.addEntity(person);
      names.set(person.id, person.names);
    }
    documents.push({ document, media: testimony.hasMedia });
  }
  baseline.load(documents, (id) => names.get(id) ?? []);
  documents.length = 0;
  const buildSeconds = (performance.now() - started) / 1000;
  const measured = measure(runs, (request) => baseline.search(parseSearchRequest({ limit: LIMIT, ...request })));
  return { buildSeconds: round(buildSeconds, 1), databaseBytes: baseline.sizeBytes, databaseMiB: round(baseline.sizeBytes / MIB, 1), ...measured, peakRssMiB: rssMiB() };
}

/**
 * The second baseline: this same engine built straight from the plaintext corpus, with snippet text
 * from memory instead of decrypted from the vault. Ours / this is the cost of the encryption alone.
 */
function enginePhase(docs: number, seed: number, runs: number): QueryPhase & Record<string, unknown> {
  const started = performance.now();
  const index = SearchIndex.create();
  const vocabulary = seedVocabularyEntities();
  const texts = new Map<string, { title: string; summary: string; transcript: string }>();
  index.transaction(() => {
    for (const term of vocabulary) index.upsertEntity(term);
    for (const testimony of generateSearchCorpus({ seed, count: docs })) {
      const { document, persons } = syntheticIndexInput(testimony, vocabulary);
      for (const person of persons) index.upsertEntity(person);
      index.upsertDocument(document);
      if (testimony.hasMedia) index.setMedia(`media-${testimony.index}`, document.id);
      texts.set(document.id, { title: document.title, summary: document.summary, transcript: document.transcript });
    }
  });
  index.optimize();
  const buildSeconds = (performance.now() - started) / 1000;
  const snippets: SnippetSource = (id, use) => use(texts.get(id) ?? { title: '', summary: '', transcript: '' });
  const measured = measure(runs, (request) => index.search(parseSearchRequest({ limit: LIMIT, ...request }), snippets).total);
  return { buildSeconds: round(buildSeconds, 1), ...measured, peakRssMiB: rssMiB() };
}

// ---- parent: corpus, import, build, ripgrep ----

function runChild(args: readonly string[]): Promise<Record<string, unknown>> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url), ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
    let stdout = '';
    child.stdout.on('data', (data: Buffer) => {
      stdout += data.toString();
    });
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) return reject(new Error(`bench child ${args.join(' ')} exited with ${code}`));
      try {
        resolve(JSON.parse(stdout.trim().split('\n').at(-1) ?? '{}') as Record<string, unknown>);
      } catch (error) {
        reject(error);
      }
    });
  });
}

function timeRg(args: readonly string[]): Promise<number> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn('rg', args, { stdio: ['ignore', 'ignore', 'ignore'] });
    child.on('error', reject);
    // rg exits 1 when nothing matches; only 2 is an error.
    child.on('close', (code) => (code === 2 ? reject(new Error(`rg ${args.join(' ')} failed`)) : resolve(performance.now() - started)));
  });
}

/** rg patterns for the term queries: literal words and phrases, prefixes as regexes, aliases as alternatives. */
function rgPatterns(): Record<'singleTerm' | 'phrase' | 'prefix' | 'aliasExpanded', string[][]> {
  const vocabulary = seedVocabularyEntities();
  const words = (requests: SearchRequestInput[]) => requests.map((request) => ['-F', '-i', (request.query ?? '').replace(/"/g, '')]);
  return {
    singleTerm: words(BENCH_QUERIES.singleTerm),
    phrase: words(BENCH_QUERIES.phrase),
    prefix: BENCH_QUERIES.prefix.map((request) => ['-i', `\\b${(request.query ?? '').replace('*', '')}`]),
    aliasExpanded: BENCH_QUERIES.aliasExpanded.map((request) => {
      const key = matchKey(request.query ?? '');
      const term = vocabulary.find((candidate) => candidate.names.some((name) => matchKey(name) === key));
      const names = term ? term.names : [request.query ?? ''];
      return ['-F', '-i', ...names.flatMap((name) => ['-e', name])];
    }),
  };
}

export type SearchBenchOptions = { docs: number; seed: number; runs: number; ripgrep: boolean; keep?: boolean; write?: boolean; workDir?: string };
type ImportReport = { seconds: number; docsPerSecond: number; textBytes: number; arabic: number; media: number; docs: number; seed: number };

async function importCorpus(vaultDir: string, work: string, options: SearchBenchOptions): Promise<ImportReport> {
  const service = await VaultService.create(vaultDir, PASSPHRASE, systemPlatform());
  const mediaFile = path.join(work, 'attachment.txt');
  fs.writeFileSync(mediaFile, 'a small attachment for the has-media filter');
  const importStarted = performance.now();
  let textBytes = 0;
  let arabic = 0;
  let media = 0;
  const batch = 1000;
  try {
    for (let first = 0; first < options.docs; first += batch) {
      const withMedia: string[] = [];
      service.sessionForCore.db.transaction(() => {
        for (let index = first; index < Math.min(options.docs, first + batch); index += 1) {
          const testimony = syntheticTestimony(options.seed, index);
          textBytes += Buffer.byteLength(testimony.input.transcript) + Buffer.byteLength(testimony.input.title) + Buffer.byteLength(testimony.input.summary);
          if (testimony.language === 'ar') arabic += 1;
          const { testimonyId } = service.addTestimony(testimony.input);
          if (testimony.hasMedia) withMedia.push(testimonyId);
        }
      })();
      for (const testimonyId of withMedia) await service.addMedia(testimonyId, mediaFile, { custodian: 'bench' });
      media += withMedia.length;
      const done = Math.min(options.docs, first + batch);
      if (done % 10_000 === 0 || done === options.docs) log(`imported ${done} (${round(done / ((performance.now() - importStarted) / 1000), 0)}/s)`);
    }
  } finally {
    service.lock();
  }
  const seconds = (performance.now() - importStarted) / 1000;
  return { seconds: round(seconds, 1), docsPerSecond: round(options.docs / seconds, 0), textBytes, arabic, media, docs: options.docs, seed: options.seed };
}

export async function runSearchBenchmark(options: SearchBenchOptions): Promise<Record<string, unknown>> {
  const work = options.workDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'tv-bench-search-'));
  fs.mkdirSync(work, { recursive: true });
  const vaultDir = path.join(work, 'vault');
  const importFile = path.join(work, 'import.json');
  const loadStart = os.loadavg();
  try {
    // 1. Import (or reuse the vault a previous run with the same --work imported).
    let imported: ImportReport;
    const previous = fs.existsSync(importFile) ? (JSON.parse(fs.readFileSync(importFile, 'utf8')) as ImportReport) : undefined;
    if (previous && previous.docs === options.docs && previous.seed === options.seed) {
      imported = previous;
      log(`reusing the vault in ${work}`);
    } else {
      fs.rmSync(vaultDir, { recursive: true, force: true });
      imported = await importCorpus(vaultDir, work, options);
      fs.writeFileSync(importFile, JSON.stringify(imported));
    }
    const { textBytes, arabic, media } = imported;
    fs.rmSync(snapshotFilePath(vaultDir), { force: true });
    const service = await VaultService.open(vaultDir, PASSPHRASE, systemPlatform());

    // 2. Build from the vault and seal.
    const buildStarted = performance.now();
    const search = await VaultSearch.open(service.sessionForCore, {
      onProgress: ({ done, total, phase }) => {
        if (total && done % 50_000 === 0) log(`${phase} ${done}/${total}`);
      },
    });
    const buildSeconds = (performance.now() - buildStarted) / 1000;
    const sealStarted = performance.now();
    const snapshot = await search.saveSnapshot();
    const sealSeconds = (performance.now() - sealStarted) / 1000;
    const vaultDbBytes = fs.statSync(path.join(vaultDir, 'vault.db')).size;
    search.close();
    service.lock();
    log(`index built in ${round(buildSeconds, 1)} s; snapshot ${round(snapshot.bytes / MIB, 1)} MiB sealed in ${round(sealSeconds, 1)} s`);

    // 3 and 4. Fresh processes for the query phases.
    const ours = await runChild(['--phase', 'ours', '--vault', vaultDir, '--runs', String(options.runs)]);
    log('ours measured');
    const plain = await runChild(['--phase', 'plain', '--docs', String(options.docs), '--seed', String(options.seed), '--runs', String(options.runs)]);
    log('plaintext FTS5 baseline measured');
    const engine = await runChild(['--phase', 'engine', '--docs', String(options.docs), '--seed', String(options.seed), '--runs', String(options.runs)]);
    log('same engine without encryption measured');

    // 5. ripgrep over the plaintext corpus (synthetic text, in this temp dir, removed at the end).
    let ripgrep: Record<string, unknown> = { skipped: true };
    if (options.ripgrep) {
      const corpusDir = path.join(work, 'plaintext-corpus');
      fs.mkdirSync(corpusDir);
      const writeStarted = performance.now();
      for (const testimony of generateSearchCorpus({ seed: options.seed, count: options.docs })) {
        const { title, summary, transcript } = testimony.input;
        fs.writeFileSync(path.join(corpusDir, `${testimony.index}.txt`), `${title}\n${summary}\n${transcript}\n`);
      }
      const latency: Record<string, Latency> = {};
      for (const [type, patterns] of Object.entries(rgPatterns())) {
        const samples: number[] = [];
        for (const pattern of patterns) for (let r = 0; r < 3; r += 1) samples.push(await timeRg(['-c', ...pattern, corpusDir]));
        latency[type] = summarise(samples);
      }
      ripgrep = { corpusWriteSeconds: round((performance.now() - writeStarted) / 1000, 1), note: 'rg -c (literal, case-insensitive; prefixes as \\bprefix; aliases as -e alternatives) over one file per testimony; no normalisation, ranking, facets or snippets', latency };
      fs.rmSync(corpusDir, { recursive: true, force: true });
    }

    const oursLatency = ours.latency as Record<QueryType, Latency>;
    const ratioTo = (other: Record<QueryType, Latency>) => Object.fromEntries(QUERY_TYPES.map((type) => [type, {
      p50: round(oursLatency[type].p50Ms / Math.max(0.001, other[type].p50Ms)),
      p95: round(oursLatency[type].p95Ms / Math.max(0.001, other[type].p95Ms)),
    }]));
    const ratio = ratioTo(plain.latency as Record<QueryType, Latency>);
    const encryptionRatio = ratioTo(engine.latency as Record<QueryType, Latency>);
    const oursTotals = ours.totals as Record<string, number>;
    const plainTotals = plain.totals as Record<string, number>;
    const engineTotals = engine.totals as Record<string, number>;
    const mismatches = Object.keys(oursTotals).filter((key) => oursTotals[key] !== plainTotals[key] || oursTotals[key] !== engineTotals[key])
      .map((key) => ({ query: key, ours: oursTotals[key], plaintext: plainTotals[key], sameEngine: engineTotals[key] }));
    const worstP95 = Math.max(...QUERY_TYPES.map((type) => oursLatency[type].p95Ms));
    const worstRatio = Math.max(...QUERY_TYPES.map((type) => (ratio[type] as { p95: number }).p95));
    const result = {
      machine: { cpus: os.cpus().length, memoryGiB: round(os.totalmem() / 1024 ** 3, 1), node: process.version, loadAverageAtStart: loadStart.map((l) => round(l)), loadAverageAtEnd: os.loadavg().map((l) => round(l)) },
      corpus: { docs: options.docs, seed: options.seed, textMiB: round(textBytes / MIB, 1), arabicShare: round(arabic / options.docs), mediaAttached: media },
      import: { seconds: imported.seconds, docsPerSecond: imported.docsPerSecond, vaultDbMiB: round(vaultDbBytes / MIB, 1), path: 'VaultService.addTestimony, 1000 per transaction' },
      index: { buildSeconds: round(buildSeconds, 1), snapshotBytes: snapshot.bytes, snapshotMiB: round(snapshot.bytes / MIB, 1), sealSeconds: round(sealSeconds, 2) },
      ours,
      plaintext: plain,
      sameEngineWithoutEncryption: engine,
      ratioOursToPlaintext: ratio,
      ratioOursToSameEngineWithoutEncryption: encryptionRatio,
      ripgrep,
      consistency: { queries: Object.keys(oursTotals).length, mismatches },
      goals: {
        p95Ms: { goal: 25, worst: worstP95, met: worstP95 <= 25 },
        ratio: { goal: 1.1, worstP95Ratio: worstRatio, met: worstRatio <= 1.1 },
        unlockToFirstResultMs: { goal: 2000, measured: ours.unlockToFirstResultMs, met: (ours.unlockToFirstResultMs as number) <= 2000 },
        peakRssMiB: { goal: 1536, measured: ours.peakRssMiB, met: (ours.peakRssMiB as number) <= 1536 },
      },
    };
    if (options.write !== false) {
      fs.mkdirSync(RESULTS_DIR, { recursive: true });
      fs.writeFileSync(path.join(RESULTS_DIR, 'search.json'), `${JSON.stringify(result, null, 2)}\n`);
    }
    return result;
  } finally {
    if (!options.keep && !options.workDir) fs.rmSync(work, { recursive: true, force: true });
    else log(`kept ${work} (snapshot: ${snapshotFilePath(vaultDir)})`);
  }
}

function argument(argv: readonly string[], name: string, fallback: number): number {
  const index = argv.indexOf(name);
  if (index === -1) return fallback;
  const value = Number(argv[index + 1]);
  if (!Number.isInteger(value) || value < 1) throw new Error(`${name} takes a positive whole number`);
  return value;
}

async function main(argv: readonly string[]): Promise<void> {
  const phaseIndex = argv.indexOf('--phase');
  const runs = argument(argv, '--runs', 5);
  if (phaseIndex !== -1) {
    const phase = argv[phaseIndex + 1];
    const docs = argument(argv, '--docs', 100_000);
    const seed = argument(argv, '--seed', 42);
    const result = phase === 'ours'
      ? await oursPhase(argv[argv.indexOf('--vault') + 1] ?? '', runs)
      : phase === 'engine' ? enginePhase(docs, seed, runs) : plainPhase(docs, seed, runs);
    process.stdout.write(`${JSON.stringify(result)}\n`);
    return;
  }
  const result = await runSearchBenchmark({
    docs: argument(argv, '--docs', 100_000),
    seed: argument(argv, '--seed', 42),
    runs,
    ripgrep: !argv.includes('--no-rg'),
    keep: argv.includes('--keep'),
    ...(argv.includes('--work') ? { workDir: path.resolve(argv[argv.indexOf('--work') + 1] ?? '') } : {}),
  });
  process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main(process.argv.slice(2)).catch((error: unknown) => {
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  });
}
