import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureSodium, generateAgeIdentity } from '../../src/main/core/crypto/index.js';
import { REDACTABLE_FIELDS as CORE_FIELDS, REDACTION_CATEGORIES as CORE_CATEGORIES } from '../../src/main/core/redaction/redactionRules.js';
import { EXPORT_PROFILES as CORE_PROFILES } from '../../src/main/core/export/checkConsent.js';
import type { IpcHandlerTable } from '../../src/main/electron/ipcHandlers.js';
import type { ResearchHost } from '../../src/main/electron/researchHandlers.js';
import type { BundleView } from '../../src/shared/ipc/researchSchemas.js';
import type { JobStatus } from '../../src/shared/ipc/jobSchemas.js';
import { BundleViewSchema, EXPORT_PROFILES, ExportOutcomeSchema, REDACTABLE_FIELDS, REDACTION_CATEGORIES, type ExportOutcome } from '../../src/shared/ipc/researchSchemas.js';
import type { IpcResult } from '../../src/shared/ipc/result.js';
import { IPC_TEST_PASSPHRASE, ipcFixture, type IpcFixture } from './ipcFixtures.js';

function valueOf<T>(result: IpcResult<T>): T {
  if (!result.ok) throw new Error(`expected ok, got ${result.code}: ${result.message}`);
  return result.value;
}

/** The dialogs answer from this queue, like a user picking paths; null is "cancelled". */
const answers: { csv: (string | null)[]; exportFolder: (string | null)[]; bundle: (string | null)[]; identity: (string | null)[] } = { csv: [], exportFolder: [], bundle: [], identity: [] };
const host: ResearchHost = {
  appVersion: '0.1.0-test',
  chooseCsvPath: () => Promise.resolve(answers.csv.shift() ?? null),
  chooseExportFolder: () => Promise.resolve(answers.exportFolder.shift() ?? null),
  chooseBundleFolder: () => Promise.resolve(answers.bundle.shift() ?? null),
  chooseIdentityFile: () => Promise.resolve(answers.identity.shift() ?? null),
};

const WITNESS = 'Samir Youssef Qassem';
let fixture: IpcFixture;
let handlers: IpcHandlerTable;
let work: string;
let arabicId: string;
let englishId: string;
let publicOnlyId: string;
let photoId: string;

/** Starts bundle:open (the dialogs answer from the queues) and waits for the job's view. */
async function openBundle(expectedSigner?: string): Promise<BundleView> {
  const started = valueOf(await handlers['bundle:open'](expectedSigner === undefined ? {} : { expectedSigner }));
  if (!('jobId' in started)) throw new Error('expected a job');
  const status = await waitForJob(started.jobId);
  expect(status.state).toBe('done');
  return BundleViewSchema.parse(status.result);
}

async function waitForJob(jobId: string): Promise<JobStatus> {
  for (;;) {
    const status = valueOf(await handlers['job:status']({ jobId }));
    if (status.state !== 'running') return status;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

beforeAll(async () => {
  fixture = ipcFixture('tv-research-');
  fixture.ctx.research = host;
  handlers = fixture.handlers;
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'tv-research-out-'));
  valueOf(await handlers['vault:create']({ passphrase: IPC_TEST_PASSPHRASE }));
  arabicId = valueOf(await handlers['testimony:create']({
    reference: 'AR-1', title: 'شهادة من صَيْدْنايا', language: 'ar',
    transcript: 'نُقلتُ إلى صَيْدْنايا عام ٢٠١٤ وبقيتُ في المبنى الأحمر.',
    facilities: ['Sednaya Military Prison'], violations: ['torture'], period: { from: '2014', to: '2015' },
    consent: { scopes: ['icc'], anonymity: true, mediaUse: false },
  })).testimonyId;
  englishId = valueOf(await handlers['testimony:create']({
    reference: 'EN-1', title: 'Arrest in Homs', language: 'en',
    interviewee: { name: WITNESS, phone: '+963 933 410 552' },
    transcript: `I am ${WITNESS}. I was moved to Sednaya in 2014 and kept in the red building.`,
    facilities: ['Branch 215 (Raids Branch)'], perpetratorUnits: ['Military Intelligence Directorate'], violations: ['torture'], period: { from: '2012-10', to: '2013' },
    consent: { scopes: ['icc', 'ngo'], anonymity: true, mediaUse: true },
  })).testimonyId;
  publicOnlyId = valueOf(await handlers['testimony:create']({
    reference: 'PUB-1', title: 'Public statement', language: 'en', transcript: 'A statement about Sednaya for the press.',
    consent: { scopes: ['public'], anonymity: true, mediaUse: false },
  })).testimonyId;
});

afterAll(() => {
  fixture?.cleanup();
  if (work) fs.rmSync(work, { recursive: true, force: true });
});

describe('the research contract copies core’s closed lists', () => {
  it('has the same redaction categories, fields and profiles as core', () => {
    expect([...REDACTION_CATEGORIES]).toEqual([...CORE_CATEGORIES]);
    expect([...REDACTABLE_FIELDS]).toEqual([...CORE_FIELDS]);
    expect([...EXPORT_PROFILES]).toEqual([...CORE_PROFILES]);
  });
});

describe('search over IPC', () => {
  it('opens the index as a job, and rebuilds it on request', async () => {
    const opened = valueOf(await handlers['search:open'](undefined));
    const status = await waitForJob(opened.jobId);
    expect(status).toMatchObject({ state: 'done', kind: 'search:open', result: { documents: expect.any(Number) } });
    const rebuilt = await waitForJob(valueOf(await handlers['search:reindex'](undefined)).jobId);
    expect(rebuilt).toMatchObject({ state: 'done', result: { source: 'rebuilt', rebuildReason: 'requested' } });
    expect((rebuilt.result as { documents: number }).documents).toBeGreaterThanOrEqual(3);
  });

  it('finds the vocalised Arabic spelling, with highlights inside the snippet and facet counts', async () => {
    const result = valueOf(await handlers['search:query']({ query: 'صيدنايا', expandVariants: false }));
    expect(result.hits.map((hit) => hit.id)).toContain(arabicId);
    const hit = result.hits.find((candidate) => candidate.id === arabicId);
    expect(hit?.snippet.highlights.length).toBeGreaterThan(0);
    for (const mark of hit?.snippet.highlights ?? []) {
      expect(mark.end).toBeLessThanOrEqual(hit?.snippet.text.length ?? 0);
      expect(hit?.snippet.text.slice(mark.start, mark.end)).toMatch(/صَ?يْ?دْ?نايا/);
    }
    expect(result.facets.language.find((bucket) => bucket.value === 'ar')?.count).toBe(1);
  });

  it('expands an alias to the term’s other names and says so', async () => {
    const result = valueOf(await handlers['search:query']({ query: 'Saydnaya' }));
    expect(result.hits.map((hit) => hit.id).sort()).toEqual([arabicId, englishId, publicOnlyId].sort());
    expect(result.expansions.length).toBeGreaterThan(0);
    expect(result.expansions[0]?.variants.join(' ')).toMatch(/sednaya|صيدنايا/);
  });

  it('filters by facility and counts facets over the filtered result', async () => {
    const all = valueOf(await handlers['search:query']({ query: '' }));
    expect(all.total).toBe(3);
    const branch = all.facets.facility.find((bucket) => bucket.labelEn?.includes('215'));
    expect(branch?.count).toBe(1);
    const filtered = valueOf(await handlers['search:query']({ query: '', filters: { facilities: [branch?.value ?? ''] } }));
    expect(filtered.hits.map((hit) => hit.id)).toEqual([englishId]);
    // Period overlap: only the Arabic testimony (2014–2015) reaches into 2015.
    const late = valueOf(await handlers['search:query']({ query: '', filters: { period: { from: '2015' } } }));
    expect(late.hits.map((hit) => hit.id)).toEqual([arabicId]);
    const withMedia = valueOf(await handlers['search:query']({ query: '', filters: { hasMedia: true, languages: ['en'] } }));
    expect(withMedia.total).toBe(0);
    const ids = valueOf(await handlers['search:ids']({ query: 'building' }));
    expect(ids).toEqual([englishId]);
  });

  it('answers bad syntax with INVALID_INPUT and a sentence, and refuses hostile payloads before core', async () => {
    const bad = await handlers['search:query']({ query: '"unclosed phrase' });
    expect(bad).toMatchObject({ ok: false, code: 'INVALID_INPUT' });
    if (!bad.ok) expect(bad.message).toMatch(/^query: /);
    for (const payload of [{ query: 'x', limit: 100_000 }, { query: 'x', filters: { facilities: 'Sednaya' } }, { query: 'x', extra: 1 }, { query: 'x'.repeat(1001) }, null]) {
      expect(await handlers['search:query'](payload)).toMatchObject({ ok: false, code: 'INVALID_INPUT' });
    }
  });
});

describe('analytics', () => {
  it('counts facility × violation × year and writes a CSV without any record text', async () => {
    const analytics = valueOf(await handlers['search:analytics']({ query: '' }));
    expect(analytics.total).toBe(3);
    const cells2014 = analytics.facilityViolationYear.filter((cell) => cell.year === 2014 && cell.facility?.labelEn?.startsWith('Sednaya'));
    expect(cells2014.map((cell) => cell.count)).toEqual([1]);
    const csvPath = path.join(work, 'counts.csv');
    answers.csv.push(csvPath);
    const saved = valueOf(await handlers['analytics:save']({ request: { query: '' }, labels: 'en', minimumCount: 1 }));
    expect(saved).toMatchObject({ saved: true, fileName: 'counts.csv' });
    const csv = fs.readFileSync(csvPath, 'utf8');
    expect(csv.split('\r\n')[0]).toBe('table,facility,violation,perpetrator_unit,year,testimonies');
    expect(saved.rows).toBe(csv.trimEnd().split('\r\n').length - 1);
    for (const secret of ['AR-1', 'EN-1', WITNESS, 'red building', 'Arrest in Homs', arabicId]) expect(csv).not.toContain(secret);
    // Closing the dialog writes nothing.
    expect(valueOf(await handlers['analytics:save']({ request: { query: '' }, labels: 'ar', minimumCount: 2 }))).toEqual({ saved: false, rows: 0 });
  });
});

describe('export wizard channels, then opening the bundle', () => {
  const lawyer = { fileText: '', recipient: '' };
  let outcome: ExportOutcome;

  beforeAll(async () => {
    await ensureSodium();
    const identity = generateAgeIdentity(new Date());
    lawyer.fileText = identity.fileText;
    lawyer.recipient = identity.recipient;
    fs.writeFileSync(path.join(work, 'key.txt'), identity.fileText, { mode: 0o600 });
  });

  it('reports consent item by item', async () => {
    const review = valueOf(await handlers['export:review']({ testimonyIds: [englishId, publicOnlyId, arabicId], profile: 'icc' }));
    expect(review.map((item) => [item.reference, item.consent.ok])).toEqual([['EN-1', true], ['PUB-1', false], ['AR-1', true]]);
    expect(review[1]?.consent).toMatchObject({ ok: false, code: 'CONSENT_SCOPE' });
  });

  it('drafts a plan, fingerprints a marked span, previews it and saves it', async () => {
    const draft = valueOf(await handlers['redaction:draft']({ testimonyId: englishId }));
    expect(draft.source).toBe('suggested');
    expect(draft.plan.suggestions.some((suggestion) => suggestion.text === WITNESS && suggestion.decision === 'accept')).toBe(true);
    const view = valueOf(await handlers['testimony:get']({ id: englishId }));
    const start = view.transcript.indexOf('red building');
    const span = valueOf(await handlers['redaction:span']({ testimonyId: englishId, version: view.version, field: 'transcript', start, end: start + 'red building'.length }));
    expect(span.textSha256).toMatch(/^[0-9a-f]{64}$/);
    expect(await handlers['redaction:span']({ testimonyId: englishId, version: view.version, field: 'transcript', start: 0, end: 100_000 })).toMatchObject({ ok: false, code: 'INVALID_INPUT' });

    const service = fixture.ctx.state.service;
    if (!service) throw new Error('the vault should be open');
    const photo = await service.addMedia(englishId, path.resolve(import.meta.dirname, '../fixtures/photo-with-gps.jpg'), { custodian: 'test documenter' });
    photoId = photo.id;
    const plan = { ...draft.plan, spans: [{ ...span, reason: 'identifies the cell' }], imageRegions: [{ mediaId: photo.id, x: 10, y: 10, width: 40, height: 30, reason: 'a face' }] };
    const preview = valueOf(await handlers['redaction:preview']({ testimonyId: englishId, profile: 'icc', plan }));
    expect(preview.anonymised).toBe(true);
    expect(preview.transcript).not.toContain(WITNESS);
    expect(preview.transcript).not.toContain('red building');
    expect(preview.events.length).toBeGreaterThanOrEqual(2);
    // A stale span (its text changed) is refused with core's sentence, not INTERNAL.
    const stale = await handlers['redaction:preview']({ testimonyId: englishId, profile: 'icc', plan: { ...plan, spans: [{ ...span, textSha256: '0'.repeat(64) }] } });
    expect(stale).toMatchObject({ ok: false, code: 'INVALID_INPUT' });
    expect(valueOf(await handlers['redaction:save']({ testimonyId: englishId, plan }))).toEqual({ saved: true });
    expect(valueOf(await handlers['redaction:draft']({ testimonyId: englishId })).source).toBe('saved');
    expect(valueOf(await handlers['redaction:draft']({ testimonyId: englishId, fresh: true }))).toMatchObject({ source: 'suggested', plan: { spans: [] } });
  });

  it('stops on a consent refusal unless told to skip it, leaving nothing behind', async () => {
    const refusedDir = path.join(work, 'refused');
    answers.exportFolder.push(refusedDir);
    const started = valueOf(await handlers['export:start']({ testimonyIds: [englishId, publicOnlyId], profile: 'icc', recipients: [lawyer.recipient], skipRefused: false }));
    if (!('jobId' in started)) throw new Error('expected a job');
    const status = await waitForJob(started.jobId);
    const stopped = ExportOutcomeSchema.parse(status.result);
    expect(stopped).toMatchObject({ status: 'stopped', code: 'ITEMS_REFUSED' });
    expect(fs.existsSync(refusedDir)).toBe(false);
    expect(valueOf(await handlers['export:start']({ testimonyIds: [englishId], profile: 'icc', recipients: [lawyer.recipient], skipRefused: true }))).toEqual({ cancelled: true });
  });

  it('cancels a running export and leaves no folder behind', async () => {
    const cancelledDir = path.join(work, 'cancelled');
    answers.exportFolder.push(cancelledDir);
    const started = valueOf(await handlers['export:start']({ testimonyIds: [englishId, arabicId], profile: 'icc', recipients: [lawyer.recipient], skipRefused: true }));
    if (!('jobId' in started)) throw new Error('expected a job');
    expect(valueOf(await handlers['job:cancel']({ jobId: started.jobId }))).toEqual({ cancelled: true });
    const status = await waitForJob(started.jobId);
    expect(status).toMatchObject({ state: 'cancelled', error: { code: 'CANCELLED' } });
    expect(fs.existsSync(cancelledDir)).toBe(false);
  });

  it('seals a bundle as a job with progress, control numbers and the leak check passed', async () => {
    const bundleDir = path.join(work, 'bundle');
    answers.exportFolder.push(bundleDir);
    const started = valueOf(await handlers['export:start']({ testimonyIds: [englishId, arabicId, publicOnlyId], profile: 'icc', recipients: [lawyer.recipient], skipRefused: true }));
    if (!('jobId' in started)) throw new Error('expected a job');
    const status = await waitForJob(started.jobId);
    expect(status.state).toBe('done');
    outcome = ExportOutcomeSchema.parse(status.result);
    if (outcome.status !== 'sealed') throw new Error(`expected a sealed bundle, got ${outcome.code}`);
    expect(outcome.report.items.map((item) => item.controlNumber)).toEqual([expect.stringMatching(/^[A-Z][A-Z0-9]*-\d{6,}$/), expect.stringMatching(/-\d{6,}$/)]);
    expect(outcome.report.refused).toEqual([expect.objectContaining({ testimonyId: publicOnlyId, code: 'CONSENT_SCOPE' })]);
    expect(outcome.report.leaks).toEqual([]);
    const photo = outcome.report.items.flatMap((item) => item.media).find((media) => media.mediaId === photoId);
    expect(photo).toMatchObject({ status: 'included', file: expect.stringMatching(/^media\/.*\.jpg$/) });
    expect(photo?.transformations).toContain('1 marked region blacked out in the pixels');
    expect(outcome.report.folderName).toBe('bundle');
    expect(JSON.stringify(outcome)).not.toContain(work); // no full path crosses to the renderer
    expect(fs.readdirSync(bundleDir).sort()).toEqual(['README.txt', 'SHA256SUMS', 'manifest.json', 'manifest.json.minisig', 'payload.age', 'viewer.html']);
  });

  it('opens the bundle in memory: verified, decrypted, redacted, nothing written', async () => {
    if (outcome.status !== 'sealed' || !outcome.report.signer) throw new Error('needs the sealed bundle');
    const bundleDir = path.join(work, 'bundle');
    const before = fs.readdirSync(work).sort();
    answers.bundle.push(bundleDir);
    answers.identity.push(path.join(work, 'key.txt'));
    const view = await openBundle(outcome.report.signer.publicKey);
    expect(view).toMatchObject({ status: 'opened', decrypted: true, signerExpected: true, bundleId: outcome.report.bundleId, profile: 'icc' });
    expect(view.checks.every((check) => check.ok)).toBe(true);
    expect(view.testimonies.map((testimony) => testimony.controlNumber).sort()).toEqual(outcome.report.items.map((item) => item.controlNumber).sort());
    const english = view.testimonies.find((testimony) => testimony.language === 'en');
    expect(english?.transcript).not.toContain(WITNESS);
    expect(english?.transcript).not.toContain('red building');
    expect(fs.readdirSync(work).sort()).toEqual(before);
  });

  it('refuses a tampered bundle with the code of the failed check, and a wrong signer', async () => {
    const bundleDir = path.join(work, 'bundle');
    answers.bundle.push(bundleDir);
    answers.identity.push(path.join(work, 'key.txt'));
    const otherSigner = await openBundle('RWQf6LRCGA9i53mlYecO4IzT51TGPpvWucNSCh1CBM0QTaLn73Y7GFO3');
    expect(otherSigner).toMatchObject({ status: 'refused', refusal: { code: 'UNKNOWN_SIGNER' }, decrypted: false, testimonies: [] });

    // No identity chosen: verified, not decrypted.
    answers.bundle.push(bundleDir);
    expect(await openBundle()).toMatchObject({ status: 'verified', decrypted: false, testimonies: [] });

    const payload = path.join(bundleDir, 'payload.age');
    const bytes = fs.readFileSync(payload);
    bytes[bytes.length - 10] = (bytes[bytes.length - 10] ?? 0) ^ 1;
    fs.writeFileSync(payload, bytes);
    answers.bundle.push(bundleDir);
    answers.identity.push(path.join(work, 'key.txt'));
    const tampered = await openBundle();
    expect(tampered).toMatchObject({ status: 'refused', refusal: { code: expect.stringMatching(/MISMATCH/) }, decrypted: false, testimonies: [] });
    expect(valueOf(await handlers['bundle:open']({}))).toEqual({ cancelled: true });
  });
});
