import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exporterPublicKey } from '../../../src/main/core/export/exporterPublicKey.js';
import { addTrustedSender } from '../../../src/main/core/merge/trustedSenders.js';
import type { SearchRequestInput } from '../../../src/main/core/search/searchRequest.js';
import { createTestVault, errorCodeOf, reopen, type VaultFixture } from '../coreFixtures.js';
import { lawyerKey } from '../export/exportFixtures.js';
import { transferTo } from '../merge/mergeFixtures.js';

/**
 * The index as the app and the CLI use it, through VaultService only: opened by the first search,
 * kept current by every change the service makes, sealed by close(), reused by the next unlock.
 */
describe('VaultService search: follows every change, seals on close, reopens from the snapshot', () => {
  let fixture: VaultFixture;
  let work: string;
  const service = () => fixture.service;
  const ids = async (request: SearchRequestInput | string) => (await service().search(typeof request === 'string' ? { query: request, limit: 100 } : { limit: 100, ...request })).hits.map((hit) => hit.id).sort();
  const snapshotFile = () => path.join(fixture.dir, 'index.snapshot');

  beforeAll(async () => {
    fixture = await createTestVault();
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'tv-service-search-'));
  });
  afterAll(() => {
    fixture.cleanup();
    fs.rmSync(work, { recursive: true, force: true });
  });

  it('finds a testimony added before and after the index opened, and forgets edited-out words', async () => {
    const before = service().addTestimony({ reference: 'T-1', title: 'Before the index', language: 'en', transcript: 'The guards used the tyre.' }).testimonyId;
    expect(await ids('tyre')).toEqual([before]);
    const after = service().addTestimony({ reference: 'T-2', title: 'بعد الفهرس', language: 'ar', transcript: 'نُقِلْتُ إلى صَيْدْنايا عام ٢٠١٤', facilities: ['Sednaya'] }).testimonyId;
    expect(await ids('صيدنايا')).toEqual([after]);
    expect(await ids('Saydnaya')).toEqual([after]);
    service().updateTestimony(before, { transcript: 'The guards used the German chair.' });
    expect(await ids('tyre')).toEqual([]);
    expect(await ids('"german chair"')).toEqual([before]);
  });

  it('follows persons, vocabulary, media and deletes', async () => {
    const withPerson = service().addTestimony({
      reference: 'T-3', title: 'A missing brother', language: 'en', transcript: 'My brother was taken at night.',
      persons: [{ name: 'Yousef Darwish', aliases: ['يوسف درويش'], role: 'missing' }],
    });
    const personId = withPerson.personIds[0] ?? '';
    expect(await ids('يوسف درويش')).toEqual([withPerson.testimonyId]);
    service().updatePerson(personId, { name: 'Yousef Darwish', aliases: ['يوسف درويش', 'Youssef Darwich'] });
    expect(await ids('Youssef Darwich')).toEqual([withPerson.testimonyId]);

    const registered = service().addPerson({ name: 'Khaled Al-Sheikh', aliases: ['خالد الشيخ'] });
    expect(await ids('خالد الشيخ')).toEqual([]);
    service().linkTestimonyPersons(withPerson.testimonyId, { intervieweeId: null, persons: [{ personId: personId, role: 'missing' }, { personId: registered, role: 'witness' }] });
    expect(await ids('خالد الشيخ')).toEqual([withPerson.testimonyId]);

    const term = service().addVocabularyTerm({ scheme: 'facility', labelEn: 'Branch 999', aliases: ['The Lighthouse'] });
    const linked = service().addTestimony({ reference: 'T-4', title: 'Lighthouse', language: 'en', transcript: 'Held for a month.', facilities: [term.labelEn ?? ''] }).testimonyId;
    expect(await ids('"the lighthouse"')).toEqual([linked]);

    const file = path.join(work, 'note.txt');
    fs.writeFileSync(file, 'a small attachment');
    expect(await ids({ query: '', filters: { hasMedia: true } })).toEqual([]);
    const media = await service().addMedia(linked, file, { custodian: 'team' });
    expect(await ids({ query: '', filters: { hasMedia: true } })).toEqual([linked]);
    service().deleteMedia(media.id);
    expect(await ids({ query: '', filters: { hasMedia: true } })).toEqual([]);

    service().deleteTestimony(withPerson.testimonyId);
    expect(await ids('Youssef Darwich')).toEqual([]);
    expect(await ids('brother')).toEqual([]);
  });

  it('lists every match for an export, beyond a page, and counts analytics over the same set', async () => {
    const all = await service().searchIds({ query: '', limit: 1 });
    expect(all.sort()).toEqual(await ids(''));
    expect(all.length).toBeGreaterThan(1);
    const analytics = await service().searchAnalytics({ query: 'صيدنايا' });
    expect(analytics.total).toBe(1);
    expect(analytics.facilityViolationYear).toEqual([{ facility: expect.objectContaining({ labelEn: 'Sednaya Military Prison' }), violation: null, year: null, count: 1 }]);
  });

  it('refuses a bad request before touching the index, with the field named', async () => {
    expect(await errorCodeOf(() => service().search({ query: 'x', limit: -1 }))).toBe('INVALID_INPUT');
    expect(await errorCodeOf(() => service().search({ query: '"open' }))).toBe('INVALID_INPUT');
    expect(await errorCodeOf(() => service().search({ query: 'x', filters: { colour: 'red' } }))).toBe('INVALID_INPUT');
  });

  it('seals on close, and the next unlock answers from the snapshot without rebuilding', async () => {
    const expected = await ids('Saydnaya OR tyre OR chair OR lighthouse');
    await service().close();
    expect(service().isLocked).toBe(true);
    expect(fs.statSync(snapshotFile()).size).toBeGreaterThan(0);
    fixture.service = await reopen(fixture.dir);
    const report = await service().openSearch();
    expect(report.source).toBe('snapshot');
    expect(report.caughtUp.documents).toBe(0);
    expect(await ids('Saydnaya OR tyre OR chair OR lighthouse')).toEqual(expected);
  });

  it('catches up on changes made while no index was open, and after a plain lock that did not seal', async () => {
    const sealed = fs.readFileSync(snapshotFile());
    // A command that never searched: the index is not open, so nothing is updated now...
    const added = service().addTestimony({ reference: 'T-5', title: 'Later', language: 'en', transcript: 'Scabies in the dormitory.' }).testimonyId;
    service().lock();
    expect(Buffer.compare(fs.readFileSync(snapshotFile()), sealed)).toBe(0);
    // ...and the next open applies it from the records.
    fixture.service = await reopen(fixture.dir);
    const report = await service().openSearch();
    expect(report).toMatchObject({ source: 'snapshot', caughtUp: { documents: 1 } });
    expect(await ids('scabies')).toEqual([added]);
  });

  it('takes in a merged transfer bundle while the index is open', async () => {
    const field = await createTestVault();
    try {
      const archiveKey = lawyerKey(work, 'archive.txt');
      addTrustedSender(service().sessionForCore, exporterPublicKey(field.service.sessionForCore).publicKey, 'field');
      const sent = field.service.addTestimony({ reference: 'F-1', title: 'From the field', language: 'en', transcript: 'Falaqa on the soles of the feet.' }).testimonyId;
      const outDir = path.join(work, 'transfer');
      await transferTo(field.service, { recipients: [archiveKey.recipient], outDir });
      expect(await ids('falaqa')).toEqual([]);
      await service().mergeTransferBundle(outDir, { identityText: archiveKey.identityText });
      expect(await ids('falaqa')).toEqual([sent]);
    } finally {
      field.cleanup();
    }
  });

  it('builds in slices that let the event loop run, and a cancelled build leaves nothing half-open', async () => {
    service().sessionForCore.db.transaction(() => {
      for (let n = 0; n < 450; n += 1) service().addTestimony({ reference: `BULK-${n}`, title: `Bulk ${n}`, language: 'en', transcript: `Testimony number ${n} about the cell.` });
    })();
    const cancelled = new AbortController();
    let turns = 0;
    const ticker = setInterval(() => (turns += 1), 0);
    const reindexing = errorCodeOf(() => service().reindex({ signal: cancelled.signal }));
    // Runs between the first slice and the second: only possible if the build gives the loop back.
    setImmediate(() => cancelled.abort());
    const code = await reindexing;
    clearInterval(ticker);
    expect(code).toBe('CANCELLED');
    expect(turns).toBeGreaterThan(0);
    // The next search opens a fresh index (the snapshot is still the last sealed one) and sees everything.
    expect((await service().search({ query: 'cell', limit: 0 })).total).toBe(450);
  });

  it('rebuilds on reindex, and refuses to search once locked', async () => {
    const before = (await service().searchIds({ query: '' })).sort();
    const report = await service().reindex();
    expect(report).toMatchObject({ source: 'rebuilt', written: true });
    expect(report.documents).toBe(before.length);
    expect((await service().searchIds({ query: '' })).sort()).toEqual(before);
    service().lock();
    expect(await errorCodeOf(() => service().search({ query: 'x' }))).toBe('VAULT_LOCKED');
  });
});
