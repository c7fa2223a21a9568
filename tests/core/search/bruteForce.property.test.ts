import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONSENT_SCOPES, TESTIMONY_STATUSES } from '../../../src/main/core/records/testimonySchema.js';
import type { IndexDocument, IndexEntity } from '../../../src/main/core/search/indexDocument.js';
import type { SearchIndex, SnippetSource } from '../../../src/main/core/search/SearchIndex.js';
import { parseSearchRequest, type SearchRequest, type SearchRequestInput } from '../../../src/main/core/search/searchRequest.js';
import type { SearchFacets } from '../../../src/main/core/search/searchResult.js';
import { seededRandom, type SeededRandom } from '../../helpers/seededRandom.js';
import { BruteForceSearch } from './bruteForceSearch.js';
import { memoryIndex, plainDocument } from './memoryIndex.js';

const DOCUMENT_COUNT = 3000;
const SEED = 20_251_126;

// Small pools, so that random queries hit often and phrases, prefixes and variants all occur.
const LATIN = ['prison', 'cell', 'guard', 'torture', 'night', 'door', 'bread', 'water', 'branch', 'the', 'and', 'was', 'in', 'with', 'café', 'Müller', 'homs', 'interrogation', 'interrogator'];
const NAMES = ['Mohamad', 'Muhammad', 'Mohammed', 'Mouhamad', 'Youssef', 'Yusuf', 'Darwich', 'Darwish', 'Qassem', 'Kassem', 'Omar', 'Umar', 'Sednaya', 'Saydnaya', 'Seidnaya', 'Abu', 'Ali'];
const ARABIC = ['صيدنايا', 'صَيْدْنايا', 'سجن', 'فرع', 'فلسطين', 'التعذيب', 'الشبح', 'يوسف', 'درويش', 'محمد', 'إبراهيم', 'ابراهيم', 'حماة', 'حماه', 'أبو', 'علي', 'ليلى'];
const DIGITS = ['2013', '2014', '٢٠١٤', '235', '۲۳۵'];
const TAGS = ['homs', 'aleppo', 'branch-215', 'missing person', 'حمص'];

const ENTITIES: IndexEntity[] = [
  { id: 'f-sed', kind: 'facility', version: 1, names: ['Sednaya Military Prison', 'سجن صيدنايا العسكري', 'Saydnaya', 'Sednaya', 'صيدنايا'], labelEn: 'Sednaya Military Prison' },
  { id: 'f-235', kind: 'facility', version: 1, names: ['Palestine Branch', 'فرع فلسطين', 'Branch 235'], labelEn: 'Palestine Branch' },
  { id: 'f-adra', kind: 'facility', version: 1, names: ['Adra', 'سجن عدرا'], labelEn: 'Adra' },
  { id: 'u-mi', kind: 'perpetratorUnit', version: 1, names: ['Military Intelligence', 'المخابرات العسكرية'], labelEn: 'Military Intelligence' },
  { id: 'u-af', kind: 'perpetratorUnit', version: 1, names: ['Air Force Intelligence', 'المخابرات الجوية'], labelEn: 'Air Force Intelligence' },
  { id: 'v-tor', kind: 'violation', version: 1, names: ['torture', 'التعذيب'], labelEn: 'torture' },
  { id: 'v-shb', kind: 'violation', version: 1, names: ['shabeh', 'الشبح'], labelEn: 'shabeh' },
  { id: 'v-dis', kind: 'violation', version: 1, names: ['enforced disappearance', 'الإخفاء القسري'], labelEn: 'enforced disappearance' },
  { id: 'p-yd', kind: 'person', version: 1, names: ['Youssef Darwich', 'Yusuf Darwish', 'يوسف درويش'] },
  { id: 'p-mq', kind: 'person', version: 1, names: ['Mohamad Qassem', 'محمد قاسم'] },
  { id: 'p-aa', kind: 'person', version: 1, names: ['Abu Ali', 'أبو علي'] },
  { id: 'p-ib', kind: 'person', version: 1, names: ['Ibrahim', 'إبراهيم'] },
];

function words(rng: SeededRandom, count: number): string {
  return Array.from({ length: count }, () => {
    const pool = rng.pick([LATIN, LATIN, NAMES, ARABIC, ARABIC, DIGITS]);
    const word = rng.pick(pool);
    // Case varies, so tolerant mode meets both capitalised (name-like) and lower-case words.
    return pool === LATIN && rng.chance(0.2) ? word.charAt(0).toUpperCase() + word.slice(1) : pool === NAMES && rng.chance(0.2) ? word.toLowerCase() : word;
  }).join(rng.chance(0.1) ? ', ' : ' ');
}

function partialDate(rng: SeededRandom): string {
  const year = rng.int(2010, 2020);
  return rng.pick([String(year), `${year}-${String(rng.int(1, 12)).padStart(2, '0')}`, `${year}-0${rng.int(1, 9)}-1${rng.int(0, 9)}`]);
}

function randomDocuments(): { documents: IndexDocument[]; media: Map<string, number> } {
  const rng = seededRandom(SEED);
  const pickSome = (kind: IndexEntity['kind'], max: number) => [...new Set(Array.from({ length: rng.int(0, max) }, () => rng.pick(ENTITIES.filter((e) => e.kind === kind)).id))];
  const media = new Map<string, number>();
  const documents = Array.from({ length: DOCUMENT_COUNT }, (_, i) => {
    const id = `doc-${i}`;
    if (rng.chance(0.1)) media.set(id, rng.int(1, 2));
    const from = rng.chance(0.8) ? partialDate(rng) : undefined;
    const to = rng.chance(0.6) ? partialDate(rng) : undefined;
    return plainDocument(id, {
      reference: `T-${rng.int(2015, 2024)}-${i}`,
      title: words(rng, rng.int(2, 5)),
      summary: words(rng, rng.int(0, 8)),
      transcript: words(rng, rng.int(10, 40)),
      tags: [...new Set(Array.from({ length: rng.int(0, 2) }, () => rng.pick(TAGS)))],
      facilityIds: pickSome('facility', 2),
      perpetratorUnitIds: pickSome('perpetratorUnit', 1),
      violationIds: pickSome('violation', 2),
      personIds: pickSome('person', 2),
      language: rng.pick(['en', 'ar', 'ar-SY', 'fr']),
      status: rng.pick(TESTIMONY_STATUSES),
      consentScopes: CONSENT_SCOPES.filter(() => rng.chance(0.3)),
      consentWithdrawn: rng.chance(0.1),
      ...(from || to ? { period: { ...(from ? { from } : {}), ...(to ? { to } : {}) } } : {}),
      ...(rng.chance(0.8) ? { interviewDate: partialDate(rng) } : {}),
    });
  });
  return { documents, media };
}

type QueryTree = { t: 'word'; w: string } | { t: 'prefix'; w: string } | { t: 'phrase'; ws: string[] } | { t: 'and' | 'or' | 'not'; a: QueryTree; b: QueryTree };

function render(tree: QueryTree, explicitAnd: boolean): string {
  switch (tree.t) {
    case 'word':
      return tree.w;
    case 'prefix':
      return `${tree.w}*`;
    case 'phrase':
      return `"${tree.ws.join(' ')}"`;
    case 'and':
      return `(${render(tree.a, explicitAnd)}${explicitAnd ? ' AND ' : ' '}${render(tree.b, explicitAnd)})`;
    case 'or':
      return `(${render(tree.a, explicitAnd)} OR ${render(tree.b, explicitAnd)})`;
    case 'not':
      return `(${render(tree.a, explicitAnd)} NOT ${render(tree.b, explicitAnd)})`;
  }
}

function queryArbitrary(documents: readonly IndexDocument[]): fc.Arbitrary<QueryTree> {
  const anyWord = fc.constantFrom(...LATIN, ...NAMES, ...ARABIC, ...DIGITS, 'Youssef Darwich', 'Branch 235', 'Abu Ali', 'Military Intelligence');
  const word = anyWord.map((w): QueryTree => ({ t: 'word', w }));
  const prefix = fc.tuple(fc.constantFrom(...LATIN, ...NAMES, ...ARABIC).filter((w) => [...w].length >= 3), fc.integer({ min: 2, max: 6 }))
    .map(([w, n]): QueryTree => ({ t: 'prefix', w: [...w].slice(0, Math.min(n, [...w].length)).join('') }));
  // Phrases taken from a real transcript, so they often occur.
  const phrase = fc.tuple(fc.integer({ min: 0, max: documents.length - 1 }), fc.integer({ min: 0, max: 30 }), fc.integer({ min: 2, max: 3 })).map(([d, at, n]): QueryTree => {
    const parts = (documents[d]?.transcript ?? '').split(/[ ,]+/).filter(Boolean);
    const start = Math.min(at, Math.max(0, parts.length - n));
    return { t: 'phrase', ws: parts.slice(start, start + n) };
  }).filter((tree) => tree.t === 'phrase' && tree.ws.length >= 2);
  const leaf = fc.oneof({ weight: 4, arbitrary: word }, { weight: 1, arbitrary: prefix }, { weight: 2, arbitrary: phrase });
  const { tree } = fc.letrec<{ tree: QueryTree }>((tie) => ({
    tree: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      leaf,
      fc.record({ t: fc.constantFrom('and' as const, 'or' as const, 'not' as const), a: tie('tree'), b: tie('tree') }) as fc.Arbitrary<QueryTree>,
    ),
  }));
  return tree;
}

const filtersArbitrary: fc.Arbitrary<SearchRequestInput['filters']> = fc.record(
  {
    facilities: fc.subarray(['f-sed', 'Branch 235', 'سجن عدرا'], { minLength: 1 }),
    perpetratorUnits: fc.subarray(['u-mi', 'Air Force Intelligence'], { minLength: 1 }),
    violations: fc.subarray(['torture', 'الشبح', 'v-dis'], { minLength: 1 }),
    period: fc.record({ from: fc.constantFrom('2012', '2014-06', '2016-03-01'), to: fc.constantFrom('2013', '2015-02', '2018-12-31') }, { requiredKeys: [] }),
    interviewDate: fc.record({ from: fc.constantFrom('2011', '2015-06'), to: fc.constantFrom('2016', '2019-12') }, { requiredKeys: [] }),
    languages: fc.subarray(['en', 'ar', 'ar-sy'], { minLength: 1 }),
    consentScopes: fc.subarray([...CONSENT_SCOPES], { minLength: 1 }),
    hasMedia: fc.boolean(),
    statuses: fc.subarray([...TESTIMONY_STATUSES], { minLength: 1 }),
  },
  { requiredKeys: [] },
);

function oracleFacets(matched: readonly IndexDocument[], media: ReadonlyMap<string, number>): Omit<SearchFacets, 'facility' | 'perpetratorUnit' | 'violation'> & Record<'facility' | 'perpetratorUnit' | 'violation', Record<string, number>> {
  const count = (values: string[]) => {
    const counts: Record<string, number> = {};
    for (const value of values) counts[value] = (counts[value] ?? 0) + 1;
    return counts;
  };
  const years = (document: IndexDocument) => {
    const from = document.period?.from ?? document.period?.to;
    const to = document.period?.to ?? document.period?.from;
    if (!from || !to) return ['unknown'];
    const first = Math.min(Number(from.slice(0, 4)), Number(to.slice(0, 4)));
    const last = Math.max(Number(from.slice(0, 4)), Number(to.slice(0, 4)));
    return Array.from({ length: last - first + 1 }, (_, i) => String(first + i));
  };
  const buckets = (counts: Record<string, number>) => Object.entries(counts).map(([value, n]) => ({ value, count: n })).sort((a, b) => b.count - a.count || (a.value < b.value ? -1 : 1));
  const byValue = (counts: Record<string, number>) => Object.entries(counts).map(([value, n]) => ({ value, count: n })).sort((a, b) => (a.value < b.value ? -1 : 1));
  return {
    facility: count(matched.flatMap((d) => [...d.facilityIds])),
    perpetratorUnit: count(matched.flatMap((d) => [...d.perpetratorUnitIds])),
    violation: count(matched.flatMap((d) => [...d.violationIds])),
    year: byValue(count(matched.flatMap(years))),
    interviewYear: byValue(count(matched.map((d) => d.interviewDate?.slice(0, 4) ?? 'unknown'))),
    language: buckets(count(matched.map((d) => d.language.toLowerCase()))),
    consentScope: buckets(count(matched.flatMap((d) => (d.consentWithdrawn ? [] : [...d.consentScopes])))),
    hasMedia: buckets(count(matched.map((d) => String((media.get(d.id) ?? 0) > 0)))),
    status: buckets(count(matched.map((d) => d.status))),
  };
}

describe(`search agrees with a brute-force scan of ${DOCUMENT_COUNT} random records (property)`, () => {
  let index: SearchIndex;
  let snippets: SnippetSource;
  let oracle: BruteForceSearch;
  let documents: IndexDocument[];
  let media: Map<string, number>;
  beforeAll(() => {
    ({ documents, media } = randomDocuments());
    ({ index, snippets } = memoryIndex(ENTITIES, documents));
    for (const [id, count] of media) for (let k = 0; k < count; k += 1) index.setMedia(`${id}-m${k}`, id);
    oracle = new BruteForceSearch(ENTITIES, documents, media);
  });
  afterAll(() => index.close());

  function check(request: SearchRequest): void {
    const expected = oracle.search(request, ENTITIES);
    expect(index.matchingIds(request).sort()).toEqual(expected.map((d) => d.id).sort());
    const result = index.search(request, snippets);
    expect(result.total).toBe(expected.length);
    // The page is the best-scored part of the same set, in score order.
    const expectedIds = new Set(expected.map((d) => d.id));
    expect(result.hits.every((hit) => expectedIds.has(hit.id))).toBe(true);
    expect(result.hits.length).toBe(Math.min(request.limit, expected.length));
    for (let i = 1; i < result.hits.length; i += 1) expect((result.hits[i - 1]?.score ?? 0) >= (result.hits[i]?.score ?? 0)).toBe(true);
    const facets = oracleFacets(expected, media);
    const asCounts = (buckets: { value: string; count: number }[]) => Object.fromEntries(buckets.map((b) => [b.value, b.count]));
    expect(asCounts(result.facets.facility)).toEqual(facets.facility);
    expect(asCounts(result.facets.perpetratorUnit)).toEqual(facets.perpetratorUnit);
    expect(asCounts(result.facets.violation)).toEqual(facets.violation);
    expect(result.facets.year).toEqual(facets.year);
    expect(result.facets.interviewYear).toEqual(facets.interviewYear);
    expect(result.facets.language).toEqual(facets.language);
    expect(result.facets.consentScope).toEqual(facets.consentScope);
    expect(result.facets.hasMedia).toEqual(facets.hasMedia);
    expect(result.facets.status).toEqual(facets.status);
  }

  it('for random queries: words, phrases, prefixes, AND/OR/NOT, variants, tolerant mode and filters', () => {
    fc.assert(
      fc.property(queryArbitrary(documents), fc.boolean(), fc.boolean(), fc.boolean(), fc.option(filtersArbitrary, { freq: 3 }), (tree, explicitAnd, tolerant, expandVariants, filters) => {
        check(parseSearchRequest({ query: render(tree, explicitAnd), tolerant, expandVariants, limit: 20, ...(filters ? { filters } : {}) }));
      }),
      { numRuns: 300, seed: SEED },
    );
  });

  it('for an empty query with random filters (browsing)', () => {
    fc.assert(
      fc.property(filtersArbitrary, (filters) => check(parseSearchRequest({ query: '', filters, limit: 10 }))),
      { numRuns: 80, seed: SEED },
    );
  });

  it('matched a meaningful share of the corpus (the property is not vacuous)', () => {
    const total = (query: string, tolerant = false) => index.matchingIds(parseSearchRequest({ query, tolerant })).length;
    expect(total('Saydnaya')).toBeGreaterThan(300);
    expect(total('Mouhamad', true)).toBeGreaterThan(total('Mouhamad'));
    expect(total('"Youssef Darwich"')).toBeGreaterThan(0);
    expect(total('interro*')).toBeGreaterThan(0);
  });
});
