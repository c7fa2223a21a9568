import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addTestimony, cli, expectFailure, initVault, makeTempDir, okJson, writeJson } from './cliHarness.js';

// search, stats and reindex over the real encrypted index of a vault holding three testimonies.
const temp = makeTempDir();
let dir = '';
let sampleId = '';
let arabicId = '';
let tadmorId = '';

type Hit = { id: string; reference: string; score: number; snippet: { text: string; highlights: { start: number; end: number }[]; marked: string } };
type Facets = Record<string, { value: string; count: number; labelEn?: string }[]>;

beforeAll(async () => {
  dir = await initVault(temp);
  sampleId = await addTestimony(dir);
  arabicId = await addTestimony(
    dir,
    writeJson(temp, 'arabic.json', {
      reference: 'AR-2014-0001',
      title: 'شهادة عن سجن صَيْدْنايا',
      language: 'ar',
      transcript: 'اعتُقِلتُ عام ٢٠١٤ ونُقلتُ إلى صَيْدْنايا. كان السجّان يضربنا كل ليلة.',
      facilities: ['صيدنايا'],
      violations: ['torture'],
      period: { from: '2014-02', to: '2015' },
      consent: { scopes: ['icc'], anonymity: true, mediaUse: false, date: '2024-05-01', withdrawn: false },
    }),
  );
  tadmorId = await addTestimony(
    dir,
    writeJson(temp, 'tadmor.json', { reference: 'EN-2019-0002', title: 'Tadmor in the eighties', language: 'en', transcript: 'Mohammed was held in Tadmor prison for years.', facilities: ['Tadmor'], period: { from: '1985', to: '1991' } }),
  );
});
afterAll(() => temp.remove());

describe('search', () => {
  it('finds Arabic with or without harakat, and by digits in either script, with a marked snippet', async () => {
    const { total, hits } = okJson(await cli(['search', dir, 'صيدنايا السجان', '--json'])) as { total: number; hits: Hit[] };
    expect(total).toBe(1);
    expect(hits[0]?.id).toBe(arabicId);
    expect(hits[0]?.snippet.marked).toContain('«السجّان»');
    const digits = okJson(await cli(['search', dir, '2014', '--json'])) as { hits: Hit[] };
    expect(digits.hits.map((hit) => hit.id).sort()).toEqual([sampleId, arabicId].sort());
  });

  it('widens a facility alias across scripts and says what it also searched', async () => {
    const run = okJson(await cli(['search', dir, 'Saydnaya', '--json'])) as { hits: Hit[]; expansions: { variants: string[] }[] };
    expect(run.hits.map((hit) => hit.id).sort()).toEqual([sampleId, arabicId].sort());
    expect(run.expansions.flatMap((expansion) => expansion.variants)).toContain('صيدنايا');
    // Without variants the term still matches through its link, but no other spelling is searched in the text.
    const narrow = okJson(await cli(['search', dir, 'Saydnaya', '--no-variants', '--json'])) as { expansions: unknown[] };
    expect(narrow.expansions).toEqual([]);
  });

  it('filters, counts facets over the whole result, ranks and pages', async () => {
    const all = okJson(await cli(['search', dir, '', '--json'])) as { total: number; facets: Facets };
    expect(all.total).toBe(3);
    const facility = all.facets['facility'] ?? [];
    expect(facility.find((bucket) => bucket.labelEn === 'Sednaya Military Prison')?.count).toBe(2);
    const filtered = okJson(await cli(['search', dir, '', '--facility', 'Saydnaya', '--from', '2015', '--to', '2015', '--language', 'ar', '--json'])) as { hits: Hit[] };
    expect(filtered.hits.map((hit) => hit.id)).toEqual([arabicId]);
    const consent = okJson(await cli(['search', dir, '', '--consent', 'ngo', '--json'])) as { hits: Hit[] };
    expect(consent.hits.map((hit) => hit.id)).toEqual([sampleId]);
    const paged = okJson(await cli(['search', dir, '', '--limit', '1', '--offset', '1', '--json'])) as { total: number; hits: Hit[] };
    expect(paged.total).toBe(3);
    expect(paged.hits).toHaveLength(1);
  });

  it('meets unrecorded spellings in tolerant mode only', async () => {
    expect((okJson(await cli(['search', dir, 'Muhamad', '--json'])) as { total: number }).total).toBe(0);
    const tolerant = okJson(await cli(['search', dir, 'Muhamad', '--tolerant', '--json'])) as { hits: Hit[] };
    expect(tolerant.hits.map((hit) => hit.id)).toEqual([tadmorId]);
  });

  it('prints hits, snippets and facets for people, and says when nothing matches', async () => {
    const human = await cli(['search', dir, '"German chair"']);
    expect(human.code).toBe(0);
    expect(human.stdout).toMatch(/^1 testimony matches.*\n +1 {2}SAMPLE-2025-0007 {2}\d+\.\d\d {2}Arrest at a Homs checkpoint/);
    expect(human.stdout).toContain('«German chair»');
    expect(human.stdout).toMatch(/^facility: .*Sednaya Military Prison 1/m);
    const none = await cli(['search', dir, 'Abu Ali Tadmur']);
    expect(none.stdout).toMatch(/^0 testimonies match/);
  });

  it('explains bad syntax and bad filters without an SQLite message, and never echoes a passphrase', async () => {
    for (const query of ['"unclosed', 'torture AND', '(a OR b', 'NOT']) {
      const message = expectFailure(await cli(['search', dir, query]), 'INVALID_INPUT');
      expect(message).not.toMatch(/sqlite|fts5|syntax error near/i);
    }
    expect(expectFailure(await cli(['search', dir, 'x', '--status', 'lost']), 'INVALID_INPUT')).toMatch(/statuses/);
    expect(expectFailure(await cli(['search', dir, 'x', '--from', 'last year']), 'INVALID_INPUT')).toMatch(/period/);
    expectFailure(await cli(['search', dir, 'x', '--has-media', '--no-media']), 'USAGE');
    expectFailure(await cli(['search', dir, 'x', '--limit', '0']), 'USAGE');
  });
});

describe('stats', () => {
  it('counts by facility × violation × year and unit × year, as CSV without personal data', async () => {
    const run = await cli(['stats', dir, '--csv']);
    expect(run.code).toBe(0);
    const lines = run.stdout.split('\r\n');
    expect(lines[0]).toBe('table,facility,violation,perpetrator_unit,year,testimonies');
    // The Arabic testimony (Sednaya, torture, 2014–2015) and the sample (Sednaya, torture, 2012–2016) share 2014 and 2015.
    expect(lines).toContain('facility_violation_year,Sednaya Military Prison,torture,,2014,2');
    expect(lines).toContain('unit_year,,,Military Intelligence Directorate,2013,1');
    for (const personal of ['Samir', 'Qassem', 'سمير', 'SAMPLE-2025-0007', sampleId, '0933', 'Mohammed', 'Abu Ali']) expect(run.stdout).not.toContain(personal);
  });

  it('restricts to a query, hides small cells on request, and prints Arabic labels', async () => {
    const json = okJson(await cli(['stats', dir, '--query', 'Tadmor', '--json'])) as { total: number };
    expect(json.total).toBe(1);
    const csv = await cli(['stats', dir, '--csv', '--labels', 'ar', '--min-count', '2']);
    expect(csv.stdout).toContain('facility_violation_year,سجن صيدنايا العسكري');
    expect(csv.stdout).not.toMatch(/,1\r\n/);
  });
});

describe('reindex', () => {
  it('rebuilds and seals the index; a damaged snapshot is rebuilt on the next search, never fatal', async () => {
    const run = okJson(await cli(['reindex', dir, '--json'])) as { documents: number; snapshotBytes: number };
    expect(run.documents).toBe(3);
    const snapshot = path.join(dir, 'index.snapshot');
    expect(fs.statSync(snapshot).size).toBe(run.snapshotBytes);
    const bytes = fs.readFileSync(snapshot);
    const middle = bytes.length >> 1;
    bytes.writeUInt8(bytes.readUInt8(middle) ^ 0xff, middle);
    fs.writeFileSync(snapshot, bytes);
    const after = okJson(await cli(['search', dir, 'Tadmor', '--json'])) as { hits: Hit[] };
    expect(after.hits.map((hit) => hit.id)).toEqual([tadmorId]);
    expect(Buffer.compare(fs.readFileSync(snapshot), bytes)).not.toBe(0);
  });
});
