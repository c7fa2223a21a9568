import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { isVaultError } from '../../../src/main/core/errors.js';
import type { Platform } from '../../../src/main/core/platform.js';
import { VaultService } from '../../../src/main/core/VaultService.js';
import { makeTempDir, type TempDir } from '../../helpers/makeTempDir.js';
import { randomArabicCanary, randomCanary, withIndexFragments } from '../../helpers/randomCanary.js';
import { scanForCanary, type CanaryScan } from '../../helpers/scanForCanary.js';

/** Ids of the testimonies a search finds, through the encrypted in-memory index. */
async function hitIds(service: VaultService, query: string): Promise<string[]> {
  return (await service.search({ query, limit: 100 })).hits.map((hit) => hit.id);
}

const PASSPHRASE = 'canary sweep: several unrelated words';

/** A platform whose logger keeps what it is told, so the test can prove logs carry no record text. */
function recordingPlatform(): { platform: Platform; logged: string[] } {
  const logged: string[] = [];
  const keep = (level: string) => (event: string, details?: Record<string, string | number | boolean>) => {
    logged.push(JSON.stringify([level, event, details ?? null]));
  };
  return { platform: { now: () => new Date(), logger: { info: keep('info'), warn: keep('warn') } }, logged };
}

/** Names each canary after the field that holds it, so a hit says which field leaked. */
function makeCanaries() {
  return {
    title: randomCanary(),
    titleArabic: randomArabicCanary(),
    transcript: randomCanary(),
    transcriptArabic: randomArabicCanary(),
    summary: randomCanary(),
    tag: randomCanary(),
    tagArabic: randomArabicCanary(),
    intervieweeName: randomArabicCanary(),
    intervieweeNameLatin: randomCanary(),
    phone: randomCanary(),
    // Email local parts are lowercase in practice; the scan looks for exactly this form.
    email: randomCanary().toLowerCase(),
    alias: randomArabicCanary(),
    mediaBytes: randomCanary(),
    mediaBytesArabic: randomArabicCanary(),
    mediaFileName: randomCanary(),
    custodian: randomCanary(),
    editTitle: randomCanary(),
    editTranscriptArabic: randomArabicCanary(),
    editPhone: randomCanary(),
  };
}

function expectNoHits(scan: CanaryScan, moment: string): void {
  // Print field names and paths only (never the canary values) if this ever fails.
  expect(scan.hits.map((hit) => `${moment}: ${hit.path} (${hit.encoding})`)).toEqual([]);
}

// The sweep reads the whole shared temp dir, whose size other processes decide: the runner's guard
// is set high so a busy machine cannot fail the test; nothing here asserts a duration.
const SWEEP_TIMEOUT_MS = 600_000;

describe('canary sweep: no testimony plaintext reaches the disk', () => {
  const dirs: TempDir[] = [];
  const services: VaultService[] = [];
  afterEach(() => {
    // A failed assertion must not leave the vault open (and its folder half-removed) behind.
    for (const service of services.splice(0)) if (!service.isLocked) service.lock();
    for (const dir of dirs.splice(0)) dir.remove();
  });

  it('the scan can fail: a planted canary in the test temp area is found (positive control)', { timeout: SWEEP_TIMEOUT_MS }, async () => {
    const work = makeTempDir('tv-canary-control-');
    dirs.push(work);
    const canary = randomCanary();
    const arabic = randomArabicCanary();
    const planted = path.join(work.path, 'planted.txt');
    fs.writeFileSync(planted, `prefix ${canary} middle ${arabic}`, 'utf8');
    const plantedUtf16 = path.join(work.path, 'planted-utf16.txt');
    fs.writeFileSync(plantedUtf16, Buffer.from(arabic, 'utf16le'));

    const found = await scanForCanary([os.tmpdir()], [canary, arabic]);
    expect(found.hits.map((hit) => `${path.basename(hit.path)}:${hit.encoding}`).sort()).toEqual([
      'planted-utf16.txt:utf16le',
      'planted.txt:utf8',
      'planted.txt:utf8',
    ]);

    fs.rmSync(planted);
    fs.rmSync(plantedUtf16);
    expect((await scanForCanary([os.tmpdir()], [canary, arabic])).hits).toEqual([]);
  });

  it('create, edit, search, read, delete and lock leave no canary in the vault folder or the temp dir', { timeout: SWEEP_TIMEOUT_MS }, async () => {
    const work = makeTempDir('tv-canary-');
    dirs.push(work);
    const vaultDir = path.join(work.path, 'vault');
    const c = makeCanaries();
    const allCanaries = Object.values(c);
    // Also the random tokens a search index would keep, so a plaintext index cannot slip past.
    const needles = withIndexFragments(allCanaries);
    const { platform, logged } = recordingPlatform();
    const service = await VaultService.create(vaultDir, PASSPHRASE, platform);
    services.push(service);

    // Invalid input that carries a canary: the error must name the field, never echo the value.
    let rejection: unknown;
    try {
      service.addTestimony({ reference: 'CS-0', title: 't', language: 'ar', interviewee: { name: 'x', email: `${c.email} not an email` } });
    } catch (error) {
      rejection = error;
    }
    expect(isVaultError(rejection) && rejection.code === 'INVALID_INPUT').toBe(true);
    expect(needles.filter((needle) => String((rejection as Error).message).includes(needle))).toEqual([]);

    // A long transcript spans many SQLite pages, so WAL frames hold more than one small cell.
    const filler = 'قال الشاهد إنه احتجز في القبو لمدة ثلاثة أسابيع. '.repeat(2000);
    const transcript = `${filler}${c.transcript} ${c.transcriptArabic}\n${filler}`;
    const added = service.addTestimony({
      reference: 'CS-1',
      title: `Detention at ${c.title} ${c.titleArabic}`,
      language: 'ar',
      transcript,
      summary: `Summary ${c.summary}`,
      tags: [c.tag, c.tagArabic],
      interviewee: { name: `${c.intervieweeName} ${c.intervieweeNameLatin}`, phone: `+963 ${c.phone}`, email: `${c.email}@example.org`, aliases: [c.alias] },
      persons: [{ name: 'Unit commander', aliases: [c.alias], role: 'perpetrator' }],
    });
    const testimonyId = added.testimonyId;
    const intervieweeId = added.intervieweeId;
    if (intervieweeId === undefined) throw new Error('the interviewee was not created');

    // The media file holds canaries in its bytes and its name; the source is the user's and is removed before scanning.
    const mediaBytes = Buffer.concat([
      randomBytes(200_000), Buffer.from(c.mediaBytes, 'utf8'), randomBytes(70_000), Buffer.from(c.mediaBytesArabic, 'utf16le'), randomBytes(10_000),
    ]);
    const sourcePath = path.join(work.path, `${c.mediaFileName}.bin`);
    fs.writeFileSync(sourcePath, mediaBytes);
    const media = await service.addMedia(testimonyId, sourcePath, { custodian: `Field team ${c.custodian}` });
    fs.rmSync(sourcePath);

    expect(await hitIds(service, c.title)).toEqual([testimonyId]);
    const edited = service.updateTestimony(testimonyId, { title: `Edited ${c.editTitle}`, transcript: `${transcript}\n${c.editTranscriptArabic}` });
    expect(edited.version).toBe(2);
    service.updatePerson(intervieweeId, { name: c.intervieweeName, phone: `+963 ${c.editPhone}`, email: `${c.email}@example.org`, aliases: [c.alias] });

    // Search reads the head version: the edited title is found, the replaced one no longer is.
    expect(await hitIds(service, c.title)).toEqual([]);
    for (const query of [c.transcriptArabic, c.tagArabic, c.editTitle, c.editTranscriptArabic, `${c.summary} ${c.tag}`]) {
      expect(await hitIds(service, query)).toEqual([testimonyId]);
    }

    const head = service.getTestimony(testimonyId);
    expect(head.title).toBe(`Edited ${c.editTitle}`);
    expect(head.transcript).toBe(`${transcript}\n${c.editTranscriptArabic}`);
    expect(head.summary).toBe(`Summary ${c.summary}`);
    expect(head.tags).toEqual([c.tag, c.tagArabic]);
    expect(head.interviewee?.phone).toBe(`+963 ${c.editPhone}`);
    expect(head.interviewee?.email).toBe(`${c.email}@example.org`);
    expect(head.persons.flatMap((person) => person.aliases)).toEqual([c.alias]);
    expect(service.getTestimony(testimonyId, 1).title).toBe(`Detention at ${c.title} ${c.titleArabic}`);
    expect(service.getPerson(intervieweeId, 1).phone).toBe(`+963 ${c.phone}`);
    const readBack = await service.readMediaBytes(media.id, 10 * 1024 * 1024);
    expect(Buffer.compare(Buffer.from(readBack.bytes), mediaBytes)).toBe(0);
    expect(readBack.media.originalName).toBe(`${c.mediaFileName}.bin`);

    // While open, the WAL holds the newest pages: it must exist and be scanned, not skipped.
    const paths = { db: path.join(vaultDir, 'vault.db'), wal: path.join(vaultDir, 'vault.db-wal'), blob: path.join(vaultDir, 'blobs', media.blobId) };
    expect(fs.statSync(paths.wal).size).toBeGreaterThan(0);
    const whileOpen = await scanForCanary([vaultDir, os.tmpdir()], needles);
    expect(whileOpen.scanned).toEqual(expect.arrayContaining([paths.db, paths.wal, paths.blob]));
    expectNoHits(whileOpen, 'open, records live');

    const deleted = service.deleteTestimony(testimonyId);
    expect(deleted).toEqual({ mediaDeleted: 1, personsDeleted: 2 });
    expect(await hitIds(service, c.editTitle)).toEqual([]);
    expect(service.listPersons()).toEqual([]);
    expect(fs.existsSync(paths.blob)).toBe(false);
    const afterDelete = await scanForCanary([vaultDir, os.tmpdir()], needles);
    expect(afterDelete.scanned).toEqual(expect.arrayContaining([paths.db, paths.wal]));
    expectNoHits(afterDelete, 'open, after delete');

    // The normal lock seals the search index: the snapshot file must hold no canary either.
    await service.close();
    expect(fs.existsSync(path.join(vaultDir, 'index.snapshot'))).toBe(true);
    const afterLock = await scanForCanary([vaultDir, os.tmpdir()], needles);
    expect(afterLock.scanned).toContain(paths.db);
    expectNoHits(afterLock, 'after lock');

    expect(needles.filter((needle) => logged.some((line) => line.includes(needle)))).toEqual([]);
    expect(logged.length).toBeGreaterThan(0);
  });
});
