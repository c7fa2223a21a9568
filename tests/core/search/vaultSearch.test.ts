import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Platform } from '../../../src/main/core/platform.js';
import { forgetHighlightSkeletons } from '../../../src/main/core/search/highlightMatcher.js';
import { forgetIndexSkeletons } from '../../../src/main/core/search/indexColumns.js';
import { markSnippet } from '../../../src/main/core/search/markSnippet.js';
import { forgetSpanWords } from '../../../src/main/core/search/searchTokenSpans.js';
import { normalizeText } from '../../../src/main/core/search/normalizeText.js';
import { VaultSearch } from '../../../src/main/core/search/VaultSearch.js';
import { VaultService } from '../../../src/main/core/VaultService.js';
import { randomArabicCanary, randomCanary } from '../../helpers/randomCanary.js';
import { scanForCanary } from '../../helpers/scanForCanary.js';
import { sampleTestimony, tempFolder, TEST_PASSPHRASE } from '../coreFixtures.js';

/** Keeps what core logs, so the test can show no record text reaches a log. */
function recordingPlatform(): { platform: Platform; logged: string[] } {
  const logged: string[] = [];
  const keep = (level: string) => (event: string, details?: Record<string, string | number | boolean>) => {
    logged.push(JSON.stringify([level, event, details ?? null]));
  };
  return { platform: { now: () => new Date(), logger: { info: keep('info'), warn: keep('warn') } }, logged };
}

describe('search through a real vault: build, follow changes, seal, lock, reopen, and no plaintext on disk', () => {
  const folder = tempFolder('tv-search-');
  const dir = path.join(folder.dir, 'vault');
  const { platform, logged } = recordingPlatform();
  const canaryLatin = randomCanary();
  const canaryArabic = randomArabicCanary();
  const canaryName = randomCanary();
  let service: VaultService;
  let search: VaultSearch;
  let sampleId: string;
  let arabicId: string;
  let intervieweeId: string;

  const ids = (request: object) => search.search({ limit: 50, ...request }).hits.map((hit) => hit.id).sort();

  beforeAll(async () => {
    service = await VaultService.create(dir, TEST_PASSPHRASE, platform);
    const sample = service.addTestimony(sampleTestimony());
    sampleId = sample.testimonyId;
    intervieweeId = sample.intervieweeId ?? '';
    arabicId = service.addTestimony({
      reference: 'AR-0001', title: 'شهادة من حمص', language: 'ar', transcript: `اعتقلت في حمص ونُقلت إلى صَيْدْنايا في ٢٠١٤. ${canaryArabic}`,
      facilities: ['صيدنايا'], violations: ['الشبح'], period: { from: '2014' }, consent: { scopes: ['icc'] }, status: 'verified',
      persons: [{ name: 'Yousef Darwish', aliases: ['Youssef Darwich', 'يوسف درويش', canaryName], role: 'missing' }],
    }).testimonyId;
    service.addTestimony({ reference: 'EN-0002', title: 'Canary record', language: 'en', transcript: `The word ${canaryLatin} is only here.`, summary: 'Nothing else' });
    const events: string[] = [];
    search = await VaultSearch.open(service.sessionForCore, { onProgress: (event) => events.push(event.phase) });
    expect(search.openReport).toMatchObject({ source: 'rebuilt', rebuildReason: 'missing', documents: 3 });
    expect(events).toContain('search.rebuild');
  });
  afterAll(() => {
    search.close();
    if (!service.isLocked) service.lock();
    folder.cleanup();
  });

  it('finds records across scripts, spellings and linked names', () => {
    expect(ids({ query: 'Saydnaya' })).toEqual([sampleId, arabicId].sort());
    expect(ids({ query: 'صَيْدْنايا' })).toEqual([sampleId, arabicId].sort());
    expect(ids({ query: '2014' })).toEqual([sampleId, arabicId].sort());
    expect(ids({ query: 'سمير يوسف قاسم' })).toEqual([sampleId]);
    expect(ids({ query: 'Sameer Yusuf Kassem' })).toEqual([sampleId]);
    expect(ids({ query: 'Youssef Darwich' })).toEqual([arabicId]);
    expect(ids({ query: 'shabeh' })).toEqual([arabicId]);
    expect(ids({ query: 'SAMPLE-2025-0007' })).toEqual([sampleId]);
    expect(ids({ query: 'Sednaya', filters: { consentScopes: ['icc'], languages: ['ar'] } })).toEqual([arabicId]);
    const hit = search.search({ query: 'German chair' }).hits[0];
    expect(hit).toMatchObject({ id: sampleId, reference: 'SAMPLE-2025-0007', title: 'Arrest at a Homs checkpoint and detention in Branch 215' });
    expect(hit && markSnippet(hit.snippet)).toContain('used the «German chair» and electric shocks');
  });

  it('follows edits, new persons and terms, media and deletes through recordsChanged', async () => {
    const version = service.updateTestimony(sampleId, { transcript: 'Rewritten: the Zyxwvut checkpoint.' }).version;
    expect(version).toBe(2);
    expect(ids({ query: 'zyxwvut' })).toEqual([]);
    search.recordsChanged([sampleId]);
    expect(ids({ query: 'zyxwvut' })).toEqual([sampleId]);
    expect(ids({ query: '"German chair"' })).toEqual([]);

    const person = service.getPerson(intervieweeId);
    service.updatePerson(intervieweeId, { name: person.name, aliases: [...person.aliases, 'Abu Samir'] });
    search.recordsChanged([intervieweeId]);
    expect(ids({ query: 'Abu Samir' })).toEqual([sampleId]);

    const term = service.addVocabularyTerm({ scheme: 'facility', labelEn: 'Kafr Sousa Branch', aliases: ['Kafr Souseh'] });
    search.recordsChanged([term.id]);
    const added = service.addTestimony({ reference: 'EN-0003', title: 'Kafr Souseh', language: 'en', facilities: ['Kafr Souseh', 'Brand New Facility'] });
    search.recordsChanged([added.testimonyId]);
    expect(ids({ query: 'Kafr Sousa Branch' })).toEqual([added.testimonyId]);
    // A term created by the import itself is picked up from the testimony.
    expect(ids({ query: '', filters: { facilities: ['Brand New Facility'] } })).toEqual([added.testimonyId]);

    const mediaFile = path.join(folder.dir, 'note.txt');
    fs.writeFileSync(mediaFile, 'an attachment');
    const media = await service.addMedia(arabicId, mediaFile, { custodian: 'team' });
    search.recordsChanged([media.id]);
    expect(ids({ query: '', filters: { hasMedia: true } })).toEqual([arabicId]);
    service.deleteMedia(media.id);
    search.recordsChanged([media.id]);
    expect(ids({ query: '', filters: { hasMedia: true } })).toEqual([]);

    const doomed = service.addTestimony({ reference: 'EN-0004', title: 'To delete', language: 'en', transcript: 'Plover', persons: [{ name: 'Nobody Else', role: 'witness' }] });
    search.recordsChanged([doomed.testimonyId]);
    expect(ids({ query: 'plover' })).toEqual([doomed.testimonyId]);
    expect(ids({ query: 'Nobody Else' })).toEqual([doomed.testimonyId]);
    service.deleteTestimony(doomed.testimonyId);
    // The delete shredded the person only this testimony named; the index forgets both.
    expect(search.recordsChanged([doomed.testimonyId])).toMatchObject({ removedDocuments: 1, removedEntities: 1 });
    expect(ids({ query: 'plover' })).toEqual([]);
    expect(ids({ query: 'Nobody Else' })).toEqual([]);
  });

  it('never writes plaintext: the canaries are in no file of the vault folder or the temp dir, nor in any log', async () => {
    expect(ids({ query: canaryLatin })).toHaveLength(1);
    expect(ids({ query: canaryArabic })).toEqual([arabicId]);
    expect(ids({ query: canaryName })).toEqual([arabicId]);
    await search.saveSnapshot();
    // Both the written forms and the normalised forms the index holds (lower case, split at the hyphen).
    const canaries = [canaryLatin, canaryArabic, canaryName, normalizeText(canaryLatin), canaryLatin.slice(7).toLowerCase(), canaryArabic.slice(5), canaryName.slice(7).toLowerCase()];
    const scan = await scanForCanary([dir, os.tmpdir()], canaries);
    expect(scan.hits.map((hit) => `${hit.path} (${hit.encoding})`)).toEqual([]);
    expect(scan.scanned).toContain(path.join(dir, 'index.snapshot'));
    expect(scan.scanned).toContain(path.join(dir, 'vault.db'));
    for (const line of logged) for (const canary of canaries) expect(line).not.toContain(canary);
    expect(logged.some((line) => line.includes('search.snapshot.written'))).toBe(true);
  });

  it('seals the index, locks, reopens from the snapshot and answers the same', async () => {
    const queries = [{ query: 'Saydnaya' }, { query: 'Abu Samir' }, { query: 'Kafr Sousa Branch' }, { query: 'Mouhamad OR Yusuf', tolerant: true }, { query: '', filters: { statuses: ['verified'] } }];
    const before = JSON.stringify(queries.map((query) => search.search(query)));
    await search.saveSnapshot();
    // Searching cached words and skeletons of decrypted text; closing the index drops them all.
    expect(forgetSpanWords()).toBeGreaterThan(0);
    expect(search.search({ query: 'Mouhamad OR Yusuf', tolerant: true }).total).toBeGreaterThan(0);
    search.close();
    expect([forgetSpanWords(), forgetHighlightSkeletons(), forgetIndexSkeletons()]).toEqual([0, 0, 0]);
    service.lock();
    expect(() => search.search({ query: 'x' })).toThrow('the vault is locked');

    service = await VaultService.open(dir, TEST_PASSPHRASE, platform);
    search = await VaultSearch.open(service.sessionForCore);
    expect(search.openReport).toMatchObject({ source: 'snapshot', caughtUp: { documents: 0, entities: 0, media: 0 } });
    expect(JSON.stringify(queries.map((query) => search.search(query)))).toBe(before);

    // tvault reindex from a locked state: open ignoring the snapshot, then seal the result.
    const fresh = await VaultSearch.open(service.sessionForCore, { rebuild: true });
    expect(fresh.openReport).toMatchObject({ source: 'rebuilt', rebuildReason: 'requested', documents: 4 });
    expect(JSON.stringify(queries.map((query) => fresh.search(query)))).toBe(before);
    fresh.close();
  });
});
