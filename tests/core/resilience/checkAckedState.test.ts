import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemPlatform } from '../../../src/main/core/platform.js';
import { VaultService } from '../../../src/main/core/VaultService.js';
import { testimonyDigest, type AckLine } from '../../helpers/ackLog.js';
import { checkAckedState } from '../../helpers/checkAckedState.js';
import { makeTempDir } from '../../helpers/makeTempDir.js';

// The crash loop is only as strong as this checker: each case plants one kind of damage and expects it named.
describe('checkAckedState (the crash loop verifier) can fail', () => {
  const work = makeTempDir('tv-acked-');
  let service: VaultService;
  let testimonyId: string;
  let mediaId: string;
  let blobId: string;
  let baseline: AckLine[];
  const fields = { reference: 'AC-1', title: 'Transfer to the branch', language: 'en', transcript: 'He was moved at night.', summary: '', tags: ['transfer'] };

  beforeAll(async () => {
    service = await VaultService.create(path.join(work.path, 'vault'), 'checker test: several words', systemPlatform());
    testimonyId = service.addTestimony(fields).testimonyId;
    const source = path.join(work.path, 'evidence.bin');
    const bytes = randomBytes(200_000);
    fs.writeFileSync(source, bytes);
    const media = await service.addMedia(testimonyId, source, { custodian: 'test' });
    mediaId = media.id;
    blobId = media.blobId;
    baseline = [
      { k: 'begin', seq: 1, pending: { op: 'add', digest: testimonyDigest(fields) } },
      { k: 'ack', seq: 1, acked: { op: 'add', id: testimonyId, version: 1, digest: testimonyDigest(fields) } },
      { k: 'begin', seq: 2, pending: { op: 'attach', testimonyId, sha256: media.sha256, size: media.sizeBytes } },
      { k: 'ack', seq: 2, acked: { op: 'attach', id: mediaId, testimonyId, sha256: media.sha256, size: media.sizeBytes } },
    ];
  });
  afterAll(() => {
    service.lock();
    work.remove();
  });

  it('passes an intact vault', async () => {
    const report = await checkAckedState(service, baseline);
    expect(report.problems).toEqual([]);
    expect(report.counts).toMatchObject({ ackedOps: 2, liveTestimonies: 1, liveMedia: 1, blobRows: 1, blobFiles: 1, blobBytesChecked: 200_000 });
  });

  it('names an acked testimony that is missing, altered, or deleted yet present', async () => {
    const ghost = 'f'.repeat(32);
    const report = await checkAckedState(service, [
      ...baseline,
      { k: 'ack', seq: 3, acked: { op: 'add', id: ghost, version: 1, digest: 'x' } },
      { k: 'ack', seq: 4, acked: { op: 'edit', id: testimonyId, version: 1, digest: testimonyDigest({ ...fields, title: 'Another title' }) } },
    ]);
    expect(report.problems.sort()).toEqual([`testimony ${ghost} was acked but is missing`, `testimony ${testimonyId} v1 does not hold the acked fields`].sort());
    const deleted = await checkAckedState(service, [...baseline, { k: 'ack', seq: 3, acked: { op: 'deleteTestimony', id: testimonyId } }]);
    expect(deleted.problems).toEqual([`testimony ${testimonyId} was deleted (acked) but is still there`, `media ${mediaId} was deleted (acked) but is still there`]);
  });

  it('resolves an in-doubt edit as applied or not, and names an impossible head', async () => {
    const digest = testimonyDigest({ ...fields, title: 'Edited' });
    const notApplied = await checkAckedState(service, [...baseline, { k: 'begin', seq: 3, pending: { op: 'edit', id: testimonyId, version: 2, digest } }]);
    expect(notApplied.problems).toEqual([]);
    expect(notApplied.resolutions).toEqual([{ seq: 3, op: 'edit', applied: false }]);
    const impossible = await checkAckedState(service, [...baseline, { k: 'begin', seq: 3, pending: { op: 'edit', id: testimonyId, version: 5, digest } }]);
    expect(impossible.problems).toEqual([`in-doubt edit of ${testimonyId}: head v1, expected v4 or later`]);
  });

  it('names stray files in blobs/ and a blob whose content changed', async () => {
    const blobDir = path.join(work.path, 'vault', 'blobs');
    fs.writeFileSync(path.join(blobDir, '.incoming-leftover'), 'x');
    fs.writeFileSync(path.join(blobDir, 'a'.repeat(32)), 'x');
    const stray = await checkAckedState(service, baseline);
    expect(stray.problems.sort()).toEqual([`blobs/${'a'.repeat(32)}: an orphan file survived the open`, 'blobs/.incoming-leftover: an unfinished intake survived the open'].sort());
    fs.rmSync(path.join(blobDir, '.incoming-leftover'));
    fs.rmSync(path.join(blobDir, 'a'.repeat(32)));

    const blobFile = path.join(blobDir, blobId);
    const sealed = fs.readFileSync(blobFile);
    sealed[100_000] = (sealed[100_000] ?? 0) ^ 0x01;
    fs.writeFileSync(blobFile, sealed);
    const tampered = await checkAckedState(service, baseline);
    expect(tampered.problems).toEqual([`media ${mediaId} blob ${blobId}: AUTH_FAILED: blob chunk 1 failed authentication`]);
  });

  it('names a half-written record version', async () => {
    service.sessionForCore.db.prepare("DELETE FROM record_fields WHERE record_id = ? AND field = 'title'").run(testimonyId);
    const report = await checkAckedState(service, baseline);
    expect(report.problems).toContain(`testimony ${testimonyId} does not decrypt completely: AUTH_FAILED: record ${testimonyId} v1 has missing or extra fields`);
  });
});
