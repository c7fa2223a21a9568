import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analyticsCsv } from '../../../src/main/core/search/analyticsCsv.js';
import type { IndexDocument, IndexEntity } from '../../../src/main/core/search/indexDocument.js';
import { markSnippet } from '../../../src/main/core/search/markSnippet.js';
import { SearchIndex, type SnippetSource } from '../../../src/main/core/search/SearchIndex.js';
import { parseSearchRequest, type SearchRequestInput } from '../../../src/main/core/search/searchRequest.js';
import { errorCodeOf } from '../coreFixtures.js';
import { memoryIndex, plainDocument } from './memoryIndex.js';

const ENTITIES: IndexEntity[] = [
  { id: 'f-sed', kind: 'facility', version: 1, names: ['Sednaya Military Prison', 'سجن صيدنايا العسكري', 'Saydnaya', 'Sednaya', 'Seidnaya', 'صيدنايا'], labelEn: 'Sednaya Military Prison', labelAr: 'سجن صيدنايا العسكري' },
  { id: 'f-235', kind: 'facility', version: 1, names: ['Palestine Branch', 'فرع فلسطين', 'Branch 235'], labelEn: 'Palestine Branch', labelAr: 'فرع فلسطين' },
  { id: 'u-mi', kind: 'perpetratorUnit', version: 1, names: ['Military Intelligence Directorate', 'شعبة المخابرات العسكرية', 'Military Intelligence'], labelEn: 'Military Intelligence Directorate', labelAr: 'شعبة المخابرات العسكرية' },
  { id: 'u-af', kind: 'perpetratorUnit', version: 1, names: ['Air Force Intelligence', 'المخابرات الجوية'], labelEn: 'Air Force Intelligence', labelAr: 'المخابرات الجوية' },
  { id: 'v-tor', kind: 'violation', version: 1, names: ['torture', 'التعذيب'], labelEn: 'torture', labelAr: 'التعذيب' },
  { id: 'v-shb', kind: 'violation', version: 1, names: ['suspension (shabeh)', 'الشبح', 'shabeh'], labelEn: 'suspension (shabeh)', labelAr: 'الشبح' },
  { id: 'p-yd', kind: 'person', version: 1, names: ['Youssef Darwich', 'Yousef Darwish', 'يوسف درويش'] },
  { id: 'p-aa', kind: 'person', version: 1, names: ['Abu Ali', 'أبو علي'] },
];

const DOCUMENTS: IndexDocument[] = [
  plainDocument('d1', {
    title: 'Held in Sednaya', transcript: 'I was held in Sednaya for two years. Youssef Darwich was with me.',
    facilityIds: ['f-sed'], perpetratorUnitIds: ['u-mi'], violationIds: ['v-tor'], personIds: ['p-yd'],
    period: { from: '2012-10', to: '2014-03' }, interviewDate: '2020-05-01', consentScopes: ['icc', 'ngo'], status: 'verified',
  }),
  plainDocument('d2', {
    language: 'ar', title: 'شهادة', transcript: 'نقلوني إلى صَيْدْنايا عام ٢٠١٤ وهناك رأيت يوسف درويش',
    facilityIds: ['f-sed', 'f-235'], perpetratorUnitIds: ['u-af'], violationIds: ['v-shb', 'v-tor'],
    period: { from: '2014' }, interviewDate: '2021', consentScopes: ['un-mechanism'],
  }),
  plainDocument('d3', {
    transcript: 'Branch 235 interrogation. The guard Abu Ali used the shabeh.',
    facilityIds: ['f-235'], perpetratorUnitIds: ['u-mi'], violationIds: ['v-shb'], personIds: ['p-aa'],
    period: { from: '2011' }, interviewDate: '2019-11', consentScopes: ['icc'], consentWithdrawn: true, status: 'in-review',
  }),
  plainDocument('d4', { language: 'en-GB', transcript: 'Mohamad Kassem was arrested in Homs in 2013.', consentScopes: ['public'], status: 'archived' }),
  plainDocument('d5', {
    language: 'ar', transcript: 'التعذيب في فرع فلسطين', facilityIds: ['f-235'], violationIds: ['v-tor'],
    period: { from: '2016-01', to: '2016-02' }, interviewDate: '2023-01-15', status: 'verified',
  }),
  plainDocument('d6', { transcript: 'Muhammad Qasim, a neighbour, disappeared.', tags: ['homs', 'missing person'], period: { from: '2012', to: '2013' } }),
  plainDocument('d7', { transcript: 'Later I was transferred to Seidnaya.', period: { to: '2015' }, interviewDate: '2022-02' }),
];

describe('search index: matching, variants, filters, facets and analytics on a hand-checked corpus', () => {
  let index: SearchIndex;
  let snippets: SnippetSource;
  beforeAll(() => {
    ({ index, snippets } = memoryIndex(ENTITIES, DOCUMENTS));
    index.setMedia('m1', 'd1');
  });
  afterAll(() => index.close());

  const run = (request: SearchRequestInput) => index.search(parseSearchRequest({ limit: 50, ...request }), snippets);
  const ids = (request: SearchRequestInput) => run(request).hits.map((hit) => hit.id).sort();

  it.each([
    ['Saydnaya', ['d1', 'd2', 'd7']],
    ['صيدنايا', ['d1', 'd2', 'd7']],
    ['صَيْدْنايا', ['d1', 'd2', 'd7']],
    ['SEDNAYA military PRISON', ['d1', 'd2', 'd7']],
    ['Youssef Darwich', ['d1', 'd2']],
    ['Yousef Darwish', ['d1', 'd2']],
    ['يوسف درويش', ['d1', 'd2']],
    ['"yousef darwish"', ['d1', 'd2']],
    ['Darwish', ['d1']],
    ['military', ['d1', 'd2', 'd3']],
    ['intellig*', ['d1', 'd2', 'd3']],
    ['"military prison"', ['d1', 'd2']],
    ['العسكرية', ['d1', 'd3']],
    ['torture', ['d1', 'd2', 'd5']],
    ['التعذيب', ['d1', 'd2', 'd5']],
    ['Abu Ali', ['d3']],
    ['أبو علي', ['d3']],
    ['Branch 235', ['d2', 'd3', 'd5']],
    ['homs', ['d4', 'd6']],
    ['"missing person"', ['d6']],
    ['"homs missing"', []],
    ['interro*', ['d3']],
    ['torture NOT Saydnaya', ['d5']],
    ['(torture OR shabeh) 2014', ['d2']],
    ['٢٠١٣', ['d4']],
    ['Mohamad Kassem', ['d4']],
    ['Mouhamad', []],
  ])('%s finds %j', (query, expected) => {
    expect(ids({ query })).toEqual(expected);
  });

  it('expands a name to every recorded variant across scripts, and says so', () => {
    expect(run({ query: 'Saydnaya' }).expansions).toEqual([
      { matched: 'saydnaya', kinds: ['facility'], variants: ['sednaya', 'sednaya military prison', 'seidnaya', 'سجن صيدنايا العسكري', 'صيدنايا'] },
    ]);
    expect(run({ query: 'Youssef Darwich torture' }).expansions.map((e) => e.matched)).toEqual(['youssef darwich', 'torture']);
    // Without expansion only the literal word matches, in text or in the names of linked records.
    expect(ids({ query: 'Saydnaya', expandVariants: false })).toEqual(['d1', 'd2']);
    expect(ids({ query: 'Yousef Darwish', expandVariants: false })).toEqual(['d1']);
  });

  it('tolerant mode meets unrecorded Latin spellings by consonant skeleton', () => {
    expect(ids({ query: 'Mohamad Kassem', tolerant: true })).toEqual(['d4', 'd6']);
    expect(ids({ query: 'Mouhamad', tolerant: true })).toEqual(['d4', 'd6']);
    expect(ids({ query: '"Muhamad Kasim"', tolerant: true })).toEqual(['d4', 'd6']);
    expect(ids({ query: 'Seydnaia', tolerant: true })).toEqual(['d1', 'd2', 'd7']);
  });

  it.each<[string, SearchRequestInput['filters'], string[]]>([
    ['facility by alias', { facilities: ['Saydnaya'] }, ['d1', 'd2']],
    ['facility by id', { facilities: ['f-235'] }, ['d2', 'd3', 'd5']],
    ['two facilities (any of)', { facilities: ['f-235', 'صيدنايا'] }, ['d1', 'd2', 'd3', 'd5']],
    ['perpetrator unit', { perpetratorUnits: ['Military Intelligence'] }, ['d1', 'd3']],
    ['violation in Arabic', { violations: ['التعذيب'] }, ['d1', 'd2', 'd5']],
    ['period overlapping 2014', { period: { from: '2014', to: '2014' } }, ['d1', 'd2']],
    ['period from June 2013 on', { period: { from: '2013-06' } }, ['d1', 'd2', 'd5', 'd6', 'd7']],
    ['period up to December 2011', { period: { to: '2011-12' } }, ['d3']],
    ['interview date range', { interviewDate: { from: '2020', to: '2021-06' } }, ['d1', 'd2']],
    ['language en (and en-GB)', { languages: ['en'] }, ['d1', 'd3', 'd4', 'd6', 'd7']],
    ['language en-gb only', { languages: ['en-gb'] }, ['d4']],
    ['consent scope (withdrawn grants none)', { consentScopes: ['icc'] }, ['d1']],
    ['two consent scopes', { consentScopes: ['public', 'un-mechanism'] }, ['d2', 'd4']],
    ['has media', { hasMedia: true }, ['d1']],
    ['has no media', { hasMedia: false }, ['d2', 'd3', 'd4', 'd5', 'd6', 'd7']],
    ['status', { statuses: ['draft'] }, ['d2', 'd6', 'd7']],
    ['several dimensions (all must hold)', { violations: ['torture'], languages: ['ar'], statuses: ['verified'] }, ['d5']],
  ])('filter: %s', (_name, filters, expected) => {
    expect(ids({ query: '', filters })).toEqual(expected);
  });

  it('combines a query with filters, and totals the whole result set whatever the page size', () => {
    expect(ids({ query: 'torture', filters: { languages: ['ar'] } })).toEqual(['d2', 'd5']);
    const page = run({ query: 'torture', limit: 1, offset: 1 });
    expect(page.total).toBe(3);
    expect(page.hits).toHaveLength(1);
    const all = run({ query: 'torture' }).hits.map((hit) => hit.id);
    expect(page.hits[0]?.id).toBe(all[1]);
    expect(run({ query: 'torture', limit: 0 })).toMatchObject({ total: 3, hits: [] });
  });

  it('refuses an unknown vocabulary filter value clearly', async () => {
    expect(await errorCodeOf(() => run({ filters: { facilities: ['Nowhere'] } }))).toBe('INVALID_INPUT');
    expect(() => run({ filters: { facilities: ['Nowhere'] } })).toThrow('no facility is called "Nowhere"');
    expect(() => parseSearchRequest({ query: 'x', limit: -1 })).toThrow(/invalid search: limit/);
    expect(() => parseSearchRequest({ query: 'x', filters: { period: { from: '2014-13' } } })).toThrow(/period\.from/);
  });

  it('counts facets over the whole result set, per dimension', () => {
    const { facets, total } = run({ query: 'torture', limit: 1 });
    expect(total).toBe(3);
    expect(facets.facility).toEqual([
      { value: 'f-235', count: 2, labelEn: 'Palestine Branch', labelAr: 'فرع فلسطين' },
      { value: 'f-sed', count: 2, labelEn: 'Sednaya Military Prison', labelAr: 'سجن صيدنايا العسكري' },
    ]);
    expect(facets.perpetratorUnit.map((b) => [b.value, b.count])).toEqual([['u-af', 1], ['u-mi', 1]]);
    expect(facets.violation.map((b) => [b.value, b.count])).toEqual([['v-tor', 3], ['v-shb', 1]]);
    expect(facets.year).toEqual([{ value: '2012', count: 1 }, { value: '2013', count: 1 }, { value: '2014', count: 2 }, { value: '2016', count: 1 }]);
    expect(facets.interviewYear).toEqual([{ value: '2020', count: 1 }, { value: '2021', count: 1 }, { value: '2023', count: 1 }]);
    expect(facets.language).toEqual([{ value: 'ar', count: 2 }, { value: 'en', count: 1 }]);
    expect(facets.consentScope).toEqual([{ value: 'icc', count: 1 }, { value: 'ngo', count: 1 }, { value: 'un-mechanism', count: 1 }]);
    expect(facets.hasMedia).toEqual([{ value: 'false', count: 2 }, { value: 'true', count: 1 }]);
    expect(facets.status).toEqual([{ value: 'verified', count: 2 }, { value: 'draft', count: 1 }]);
    const everything = run({ query: '' }).facets;
    expect(everything.year.find((b) => b.value === 'unknown')).toEqual({ value: 'unknown', count: 1 });
    expect(everything.interviewYear.find((b) => b.value === 'unknown')).toEqual({ value: 'unknown', count: 2 });
  });

  it('ranks by bm25 (a title hit above a transcript hit) and browses by reference when the query is empty', () => {
    const hits = run({ query: 'sednaya', expandVariants: false }).hits;
    expect(hits[0]?.id).toBe('d1');
    expect(hits[0]?.score).toBeGreaterThan(hits[1]?.score ?? Infinity);
    expect(run({ query: '' }).hits.map((hit) => hit.reference)).toEqual(['REF-d1', 'REF-d2', 'REF-d3', 'REF-d4', 'REF-d5', 'REF-d6', 'REF-d7']);
    expect(run({ query: '' }).hits.every((hit) => hit.score === 0)).toBe(true);
  });

  it('highlights the matched words in the original text, harakat and all, as plain text ranges', () => {
    const arabic = run({ query: 'Saydnaya' }).hits.find((hit) => hit.id === 'd2');
    expect(arabic?.snippet.field).toBe('transcript');
    expect(arabic?.snippet.highlights.map((h) => arabic.snippet.text.slice(h.start, h.end))).toEqual(['صَيْدْنايا']);
    expect(markSnippet(arabic?.snippet ?? { field: 'title', text: '', highlights: [], clippedStart: false, clippedEnd: false })).toBe('نقلوني إلى «صَيْدْنايا» عام ٢٠١٤ وهناك رأيت يوسف درويش');
    const phrase = run({ query: 'Youssef Darwich' }).hits.find((hit) => hit.id === 'd1');
    expect(phrase && markSnippet(phrase.snippet)).toBe('I was held in Sednaya for two years. «Youssef Darwich» was with me.');
    const tolerant = run({ query: 'Mouhamad', tolerant: true }).hits.find((hit) => hit.id === 'd6');
    expect(tolerant && markSnippet(tolerant.snippet)).toBe('«Muhammad» Qasim, a neighbour, disappeared.');
    const excluded = run({ query: 'torture NOT Saydnaya' }).hits[0];
    expect(excluded && markSnippet(excluded.snippet)).toBe('«التعذيب» في فرع فلسطين');
  });

  it('counts analytics by facility × violation × year and unit × year, a multi-year period in each year', () => {
    const analytics = index.analytics(parseSearchRequest({ query: 'torture' }));
    expect(analytics.total).toBe(3);
    const cells = analytics.facilityViolationYear.map((c) => `${c.facility?.id ?? '-'}|${c.violation?.id ?? '-'}|${c.year ?? '-'}=${c.count}`).sort();
    expect(cells).toEqual([
      'f-235|v-shb|2014=1', 'f-235|v-tor|2014=1', 'f-235|v-tor|2016=1',
      'f-sed|v-shb|2014=1', 'f-sed|v-tor|2012=1', 'f-sed|v-tor|2013=1', 'f-sed|v-tor|2014=2',
    ]);
    expect(analytics.unitYear.map((c) => `${c.perpetratorUnit?.id ?? '-'}|${c.year ?? '-'}=${c.count}`).sort()).toEqual([
      '-|2016=1', 'u-af|2014=1', 'u-mi|2012=1', 'u-mi|2013=1', 'u-mi|2014=1',
    ]);
    const all = index.analytics(parseSearchRequest({ query: '' }));
    expect(all.total).toBe(7);
    expect(all.facilityViolationYear.find((c) => c.facility === null && c.violation === null && c.year === null)?.count).toBe(1);
  });

  it('writes the analytics as CSV with vocabulary labels and counts only', () => {
    const csv = analyticsCsv(index.analytics(parseSearchRequest({ query: '' })));
    const lines = csv.trimEnd().split('\r\n');
    expect(lines[0]).toBe('table,facility,violation,perpetrator_unit,year,testimonies');
    expect(lines).toContain('facility_violation_year,Sednaya Military Prison,torture,,2014,2');
    expect(lines).toContain('facility_violation_year,(not recorded),(not recorded),,unknown,1');
    expect(lines).toContain('unit_year,,,Military Intelligence Directorate,2011,1');
    expect(lines).toContain('facility_violation_year,Palestine Branch,suspension (shabeh),,2014,1');
    for (const personal of ['Darwich', 'Darwish', 'درويش', 'Abu Ali', 'REF-', 'd1', 'f-sed', 'Kassem', 'held', 'نقلوني']) expect(csv).not.toContain(personal);
    const arabic = analyticsCsv(index.analytics(parseSearchRequest({ query: 'torture' })), { labels: 'ar', minimumCount: 2 });
    expect(arabic.trimEnd().split('\r\n')).toEqual(['table,facility,violation,perpetrator_unit,year,testimonies', 'facility_violation_year,سجن صيدنايا العسكري,التعذيب,,2014,2']);
  });

  it('neutralises spreadsheet formulas in labels', () => {
    const csv = analyticsCsv({ total: 1, facilityViolationYear: [{ facility: { id: 'x', labelEn: '=HYPERLINK("http://x")' }, violation: null, year: 2014, count: 1 }], unitYear: [] });
    expect(csv).toContain(`"'=HYPERLINK(""http://x"")"`);
  });
});

describe('search index: incremental changes', () => {
  it('follows entity edits, document removal and media changes', () => {
    const { index, snippets } = memoryIndex(ENTITIES, DOCUMENTS);
    const ids = (query: string, extra: SearchRequestInput = {}) => index.search(parseSearchRequest({ query, limit: 50, ...extra }), snippets).hits.map((h) => h.id).sort();
    try {
      expect(ids('Yusuf Darwish')).toEqual([]);
      const person = ENTITIES.find((entity) => entity.id === 'p-yd') as IndexEntity;
      const stale = index.upsertEntity({ ...person, version: 2, names: [...person.names, 'Yusuf Darwish'] });
      expect(stale).toEqual(['d1']);
      index.upsertDocument(DOCUMENTS[0] as IndexDocument);
      expect(ids('Yusuf Darwish')).toEqual(['d1', 'd2']);
      expect(index.upsertEntity({ ...person, version: 3, names: [...person.names, 'Yusuf Darwish'] })).toEqual([]);
      expect(index.entityVersion('p-yd')).toBe(3);

      // A term's names live once in the index: renaming it re-indexes no testimony.
      const palestine = ENTITIES.find((entity) => entity.id === 'f-235') as IndexEntity;
      expect(ids('Falastin')).toEqual([]);
      expect(index.upsertEntity({ ...palestine, version: 2, names: [...palestine.names, "Far' Falastin"] })).toEqual([]);
      expect(ids('Falastin')).toEqual(['d2', 'd3', 'd5']);
      expect(ids('Falastin', { tolerant: true })).toEqual(['d2', 'd3', 'd5']);
      expect(ids('Filastin', { tolerant: true })).toEqual(['d2', 'd3', 'd5']);

      expect(index.removeDocument('d7')).toBe(true);
      expect(ids('Saydnaya')).toEqual(['d1', 'd2']);
      expect(index.removeEntity('p-aa')).toEqual(['d3']);
      index.upsertDocument(DOCUMENTS[2] as IndexDocument);
      // The transcript still says "Abu Ali"; only the linked person's Arabic name is gone.
      expect(ids('Abu Ali')).toEqual(['d3']);
      expect(ids('أبو علي')).toEqual([]);

      // A failed transaction leaves the index (text, facets, bm25 totals) as it was.
      const before = index.search(parseSearchRequest({ query: 'Saydnaya OR homs', limit: 50 }), snippets);
      expect(() => index.transaction(() => {
        index.upsertDocument({ ...(DOCUMENTS[0] as IndexDocument), version: 9, transcript: 'Vanished text', facilityIds: [], status: 'archived' });
        index.removeDocument('d2');
        throw new Error('interrupted');
      })).toThrow('interrupted');
      expect(index.search(parseSearchRequest({ query: 'Saydnaya OR homs', limit: 50 }), snippets)).toEqual(before);
      expect(ids('vanished')).toEqual([]);

      index.setMedia('m2', 'd4');
      expect(ids('', { filters: { hasMedia: true } })).toEqual(['d4']);
      index.removeMedia('m2');
      expect(ids('', { filters: { hasMedia: true } })).toEqual([]);
      index.upsertDocument({ ...(DOCUMENTS[3] as IndexDocument), version: 2, transcript: 'Nothing about Homs now.' });
      expect(ids('kassem')).toEqual([]);
      expect(index.documentVersions().get('d4')).toBe(2);
    } finally {
      index.close();
    }
  });

  it('keeps bm25 exact through edits and deletes (the totals a contentless delete leaves behind are corrected)', () => {
    const scores = (index: SearchIndex, snippets: SnippetSource) =>
      index.search(parseSearchRequest({ query: 'Saydnaya OR torture OR homs', limit: 50 }), snippets).hits.map((hit) => `${hit.id}:${hit.score}`);
    const edited = memoryIndex(ENTITIES, DOCUMENTS);
    const finalDocuments = DOCUMENTS.filter((document) => document.id !== 'd6').map((document) => ({ ...document, version: 2, transcript: `${document.transcript} Homs again.` }));
    try {
      // Many edits in one transaction and some on their own, then a delete.
      edited.index.transaction(() => {
        for (let round = 0; round < 3; round += 1) for (const document of DOCUMENTS) edited.index.upsertDocument({ ...document, transcript: `${document.transcript} round ${round}` });
      });
      for (const document of finalDocuments) edited.index.upsertDocument(document);
      edited.index.removeDocument('d6');
      const fresh = memoryIndex(ENTITIES, finalDocuments);
      try {
        const freshSnippets: SnippetSource = (id, use) => fresh.snippets(id, use);
        const editedSnippets: SnippetSource = (id, use) => {
          const document = finalDocuments.find((candidate) => candidate.id === id) as IndexDocument;
          return use({ title: document.title, summary: document.summary, transcript: document.transcript });
        };
        expect(scores(edited.index, editedSnippets)).toEqual(scores(fresh.index, freshSnippets));
      } finally {
        fresh.index.close();
      }
    } finally {
      edited.index.close();
    }
  });
});

describe('search index: opening a decrypted snapshot', () => {
  it('takes the plaintext: the tables are wiped once SQLite has them, the postings on close, everything when refused', async () => {
    const source = memoryIndex(ENTITIES, DOCUMENTS);
    const plaintext = source.index.serialize();
    const damaged = Buffer.from(plaintext);
    source.index.close();
    const tablesEnd = 8 + Number(plaintext.readBigUInt64LE(0));
    const reopened = SearchIndex.fromSerialized(plaintext);
    try {
      expect(plaintext.subarray(0, tablesEnd).every((byte) => byte === 0)).toBe(true);
      expect(plaintext.subarray(tablesEnd).some((byte) => byte !== 0)).toBe(true);
      expect(reopened.search(parseSearchRequest({ query: 'Saydnaya', limit: 50 }), source.snippets).hits.map((hit) => hit.id).sort()).toEqual(['d1', 'd2', 'd7']);
    } finally {
      reopened.close();
    }
    expect(plaintext.every((byte) => byte === 0)).toBe(true);
    damaged.writeUInt32LE(0, tablesEnd);
    expect(await errorCodeOf(() => SearchIndex.fromSerialized(damaged))).toBe('VAULT_CORRUPT');
    expect(damaged.every((byte) => byte === 0)).toBe(true);
  });
});
