import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BLOB_CHUNK_BYTES, BLOB_CHUNK_OVERHEAD, BLOB_HEADER_BYTES, BLOB_SEALED_CHUNK_BYTES } from '../../../src/main/core/crypto/index.js';
import { WORKER_SEALING_MIN_BYTES } from '../../../src/main/core/media/intakeMedia.js';
import { openBlobChunks, WORKER_OPENING_MIN_BYTES } from '../../../src/main/core/media/readMedia.js';
import { readRecord, updateRecord } from '../../../src/main/core/records/recordStore.js';
import { createTestVault, type VaultFixture, errorCodeOf, reopen, sampleTestimony, tempFolder } from '../coreFixtures.js';

describe('media intake and retrieval', () => {
  let fixture: VaultFixture;
  let files: ReturnType<typeof tempFolder>;
  let testimonyId: string;

  beforeAll(async () => {
    fixture = await createTestVault();
    files = tempFolder('tv-media-');
    testimonyId = fixture.service.addTestimony(sampleTestimony()).testimonyId;
  });
  afterAll(() => {
    fixture.cleanup();
    files.cleanup();
  });

  function writeSource(name: string, bytes: Uint8Array): string {
    const file = path.join(files.dir, name);
    fs.writeFileSync(file, bytes);
    return file;
  }
  const blobFile = (blobId: string) => path.join(fixture.dir, 'blobs', blobId);

  it.each([0, 1, BLOB_CHUNK_BYTES - 1, BLOB_CHUNK_BYTES, BLOB_CHUNK_BYTES + 1, 5 * 1024 * 1024 + 3])('round-trips %i bytes with its SHA-256 and custody data', async (size) => {
    const bytes = randomBytes(size);
    const source = writeSource(`source-${size}.bin`, bytes);
    const media = await fixture.service.addMedia(testimonyId, source, { custodian: 'Documentation team A' });
    expect(media).toMatchObject({ testimonyId, originalName: `source-${size}.bin`, sizeBytes: size, custodian: 'Documentation team A', deduplicated: false });
    expect(media.sha256).toBe(createHash('sha256').update(bytes).digest('hex'));
    expect(fs.readFileSync(source).equals(bytes)).toBe(true); // the original is never altered
    const out = path.join(files.dir, `out-${size}.bin`);
    await fixture.service.exportMedia(media.id, out);
    expect(fs.readFileSync(out).equals(bytes)).toBe(true);
    // Buffer.equals, not toEqual: a deep compare of 5 MiB element by element takes half a minute.
    expect(Buffer.from((await fixture.service.readMediaBytes(media.id, 10 * 1024 * 1024)).bytes).equals(bytes)).toBe(true);
    // The blob file is named by a random id and holds no plaintext.
    expect(path.basename(blobFile(media.blobId))).toMatch(/^[0-9a-f]{32}$/);
    if (size >= 64) expect(fs.readFileSync(blobFile(media.blobId)).includes(bytes.subarray(0, 64))).toBe(false);
  });

  it('deduplicates identical files by hash and keeps the blob until its last user is deleted', async () => {
    const bytes = randomBytes(200_000);
    const first = await fixture.service.addMedia(testimonyId, writeSource('a.jpg', bytes), { custodian: 'A' });
    const second = await fixture.service.addMedia(testimonyId, writeSource('b.jpg', bytes), { custodian: 'B' });
    expect(second.deduplicated).toBe(true);
    expect(second.blobId).toBe(first.blobId);
    expect(second.originalName).toBe('b.jpg');
    fixture.service.deleteMedia(first.id);
    expect(fs.existsSync(blobFile(first.blobId))).toBe(true);
    expect((await fixture.service.readMediaBytes(second.id, 1e6)).bytes.length).toBe(200_000);
    fixture.service.deleteMedia(second.id);
    expect(fs.existsSync(blobFile(first.blobId))).toBe(false);
    expect(await errorCodeOf(() => fixture.service.getMedia(second.id))).toBe('NOT_FOUND');
  });

  it('refuses a missing source, a directory, an unknown testimony, and an existing output file', async () => {
    expect(await errorCodeOf(() => fixture.service.addMedia(testimonyId, path.join(files.dir, 'nope.bin'), { custodian: 'A' }))).toBe('FILE_NOT_FOUND');
    expect(await errorCodeOf(() => fixture.service.addMedia(testimonyId, files.dir, { custodian: 'A' }))).toBe('INVALID_INPUT');
    expect(await errorCodeOf(() => fixture.service.addMedia('f'.repeat(32), writeSource('x.bin', randomBytes(10)), { custodian: 'A' }))).toBe('NOT_FOUND');
    const media = await fixture.service.addMedia(testimonyId, writeSource('keep.bin', randomBytes(10)), { custodian: 'A' });
    const existing = writeSource('existing.bin', Buffer.from('do not overwrite'));
    expect(await errorCodeOf(() => fixture.service.exportMedia(media.id, existing))).toBe('INVALID_INPUT');
    expect(fs.readFileSync(existing, 'utf8')).toBe('do not overwrite');
    expect(await errorCodeOf(() => fixture.service.exportMedia(media.id, path.join(files.dir, 'no-such-folder', 'out.bin')))).toBe('IO_ERROR');
    expect(await errorCodeOf(() => fixture.service.listMedia('f'.repeat(32)))).toBe('NOT_FOUND');
  });

  it('cancels an intake cleanly: no record, no blob, no temp file', async () => {
    const before = fs.readdirSync(path.join(fixture.dir, 'blobs')).sort();
    const count = fixture.service.listMedia().length;
    const controller = new AbortController();
    const source = writeSource('big.bin', randomBytes(3 * 1024 * 1024));
    const outcome = errorCodeOf(() =>
      fixture.service.addMedia(testimonyId, source, { custodian: 'A', signal: controller.signal, onProgress: ({ done }) => done > 1024 * 1024 && controller.abort() }),
    );
    expect(await outcome).toBe('CANCELLED');
    expect(fs.readdirSync(path.join(fixture.dir, 'blobs')).sort()).toEqual(before);
    expect(fixture.service.listMedia().length).toBe(count);
  });

  it('reports progress up to the file size', async () => {
    const seen: number[] = [];
    await fixture.service.addMedia(testimonyId, writeSource('progress.bin', randomBytes(300_000)), { custodian: 'A', onProgress: ({ done }) => seen.push(done) });
    expect(seen.at(-1)).toBe(300_000);
    expect(seen).toEqual([...seen].sort((a, b) => a - b));
  });

  describe('blobs altered on disk', () => {
    let media: Awaited<ReturnType<typeof fixture.service.addMedia>>;
    let pristine: Buffer;
    beforeAll(async () => {
      media = await fixture.service.addMedia(testimonyId, writeSource('evidence.mp4', randomBytes(3 * BLOB_CHUNK_BYTES + 1000)), { custodian: 'A' });
      pristine = fs.readFileSync(blobFile(media.blobId));
    });

    async function problemsWith(bytes: Uint8Array): Promise<string[]> {
      fs.writeFileSync(blobFile(media.blobId), bytes);
      try {
        return (await fixture.service.verify()).problems.filter((p) => p.where.includes(media.blobId)).map((p) => p.problem);
      } finally {
        fs.writeFileSync(blobFile(media.blobId), pristine);
      }
    }

    it('is clean when untouched (control)', async () => {
      expect(await problemsWith(pristine)).toEqual([]);
    });

    it('detects byte flips at sampled offsets across header and every chunk', async () => {
      const offsets = new Set<number>([0, 3, 4, BLOB_HEADER_BYTES - 1, BLOB_HEADER_BYTES, pristine.length - 1]);
      for (let i = 0; i < 40; i += 1) offsets.add(Math.floor((i / 40) * pristine.length));
      for (const offset of offsets) {
        const flipped = Buffer.from(pristine);
        flipped[offset] = (flipped[offset] ?? 0) ^ 0x01;
        expect(await problemsWith(flipped), `offset ${offset}`).not.toEqual([]);
      }
    });

    it('detects truncation, trailing garbage and reordered chunks', async () => {
      expect((await problemsWith(pristine.subarray(0, pristine.length - 1))).join()).toMatch(/bytes; \d+ were written|truncated/);
      expect(await problemsWith(pristine.subarray(0, BLOB_HEADER_BYTES + BLOB_SEALED_CHUNK_BYTES))).not.toEqual([]);
      expect(await problemsWith(Buffer.concat([pristine, Buffer.from('trailing')]))).not.toEqual([]);
      const chunk = (i: number) => pristine.subarray(BLOB_HEADER_BYTES + i * BLOB_SEALED_CHUNK_BYTES, BLOB_HEADER_BYTES + (i + 1) * BLOB_SEALED_CHUNK_BYTES);
      const reordered = Buffer.concat([pristine.subarray(0, BLOB_HEADER_BYTES), chunk(1), chunk(0), pristine.subarray(BLOB_HEADER_BYTES + 2 * BLOB_SEALED_CHUNK_BYTES)]);
      expect(reordered.length).toBe(pristine.length);
      expect(await problemsWith(reordered)).not.toEqual([]);
    });

    it('detects a blob swapped for another blob of the vault', async () => {
      const other = await fixture.service.addMedia(testimonyId, writeSource('other.bin', randomBytes(100)), { custodian: 'A' });
      expect(await problemsWith(fs.readFileSync(blobFile(other.blobId)))).not.toEqual([]);
    });

    it('refuses to export tampered media and leaves no partial output', async () => {
      const flipped = Buffer.from(pristine);
      flipped[BLOB_HEADER_BYTES + 2 * BLOB_SEALED_CHUNK_BYTES + 5] = (flipped[BLOB_HEADER_BYTES + 2 * BLOB_SEALED_CHUNK_BYTES + 5] ?? 0) ^ 0xff;
      fs.writeFileSync(blobFile(media.blobId), flipped);
      const out = path.join(files.dir, 'tampered-out.mp4');
      expect(await errorCodeOf(() => fixture.service.exportMedia(media.id, out))).toBe('AUTH_FAILED');
      expect(fs.existsSync(out)).toBe(false);
      fs.writeFileSync(blobFile(media.blobId), pristine);
    });
  });

  describe('large files, sealed in a worker thread', () => {
    const MIB = 1024 * 1024;
    const sha256Of = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');
    const blobEntries = () => fs.readdirSync(path.join(fixture.dir, 'blobs')).sort();

    // Just over the threshold with a short last chunk, and a whole number of 1 MiB batches (the
    // final tag then sits on a full chunk, decided only when the next read returns nothing).
    it.each([WORKER_SEALING_MIN_BYTES + 3, WORKER_SEALING_MIN_BYTES + MIB])('round-trips %i bytes, with progress, dedup and a clean verify', async (size) => {
      const bytes = randomBytes(size);
      const source = writeSource(`large-${size}.wav`, bytes);
      const seen: number[] = [];
      const media = await fixture.service.addMedia(testimonyId, source, { custodian: 'A', onProgress: ({ done }) => seen.push(done) });
      expect(media).toMatchObject({ sizeBytes: size, sha256: sha256Of(bytes), deduplicated: false });
      expect(seen.at(-1)).toBe(size);
      expect(seen).toEqual([...seen].sort((a, b) => a - b));
      const sealed = fs.readFileSync(blobFile(media.blobId));
      expect(sealed.length).toBe(BLOB_HEADER_BYTES + size + Math.ceil(size / BLOB_CHUNK_BYTES) * BLOB_CHUNK_OVERHEAD);
      for (const offset of [0, Math.floor(size / 2), size - 64]) expect(sealed.includes(bytes.subarray(offset, offset + 64)), `plaintext at ${offset}`).toBe(false);
      const out = path.join(files.dir, `large-out-${size}.wav`);
      await fixture.service.exportMedia(media.id, out);
      expect(fs.readFileSync(out).equals(bytes)).toBe(true);
      fs.rmSync(out);
      expect((await fixture.service.verify()).problems).toEqual([]);
      const again = await fixture.service.addMedia(testimonyId, source, { custodian: 'A' });
      expect(again).toMatchObject({ deduplicated: true, blobId: media.blobId });
      expect(blobEntries().filter((name) => name.startsWith('.'))).toEqual([]);
    });

    it('writes a final tag that verify requires: a flipped last chunk or a dropped last chunk is reported', async () => {
      const media = await fixture.service.addMedia(testimonyId, writeSource('large-tamper.wav', randomBytes(WORKER_SEALING_MIN_BYTES + 5000)), { custodian: 'A' });
      const pristine = fs.readFileSync(blobFile(media.blobId));
      const problems = async (bytes: Uint8Array) => {
        fs.writeFileSync(blobFile(media.blobId), bytes);
        try {
          return (await fixture.service.verify()).problems.filter((p) => p.where.includes(media.blobId));
        } finally {
          fs.writeFileSync(blobFile(media.blobId), pristine);
        }
      };
      expect(await problems(pristine)).toEqual([]);
      const flipped = Buffer.from(pristine);
      flipped[pristine.length - 20] = (flipped[pristine.length - 20] ?? 0) ^ 0x01;
      expect(await problems(flipped)).not.toEqual([]);
      const lastChunkStart = BLOB_HEADER_BYTES + Math.floor((pristine.length - BLOB_HEADER_BYTES) / BLOB_SEALED_CHUNK_BYTES) * BLOB_SEALED_CHUNK_BYTES;
      expect(await problems(pristine.subarray(0, lastChunkStart))).not.toEqual([]);
    });

    it('cancels mid-way: no record, no blob, no temp file, and the next intake works', async () => {
      const before = blobEntries();
      const count = fixture.service.listMedia().length;
      const controller = new AbortController();
      const source = writeSource('large-cancel.wav', randomBytes(WORKER_SEALING_MIN_BYTES + 4 * MIB));
      const outcome = await errorCodeOf(() =>
        fixture.service.addMedia(testimonyId, source, { custodian: 'A', signal: controller.signal, onProgress: ({ done }) => done > 4 * MIB && controller.abort() }),
      );
      expect(outcome).toBe('CANCELLED');
      expect(blobEntries()).toEqual(before);
      expect(fixture.service.listMedia().length).toBe(count);
      const media = await fixture.service.addMedia(testimonyId, source, { custodian: 'A' });
      expect(media.sha256).toBe(sha256Of(fs.readFileSync(source)));
    });
  });

  it('sweeps half-written and orphaned blob files on open, and verify is clean after', async () => {
    const blobDir = path.join(fixture.dir, 'blobs');
    fs.writeFileSync(path.join(blobDir, '.incoming-deadbeef'), randomBytes(100));
    fs.writeFileSync(path.join(blobDir, 'ab'.repeat(16)), randomBytes(100));
    const report = await fixture.service.verify();
    expect(report.problems.map((p) => p.where)).toEqual(expect.arrayContaining(['blobs/.incoming-deadbeef', `blobs/${'ab'.repeat(16)}`]));
    fixture.service.lock();
    fixture.service = await reopen(fixture.dir);
    expect(fs.existsSync(path.join(blobDir, '.incoming-deadbeef'))).toBe(false);
    expect(fs.existsSync(path.join(blobDir, 'ab'.repeat(16)))).toBe(false);
    expect((await fixture.service.verify()).problems).toEqual([]);
  });

  it('reuses a large blob\'s pieces once the next is asked for: a piece kept past that is emptied or zeroed, never left holding plaintext', async () => {
    const bytes = randomBytes(WORKER_OPENING_MIN_BYTES + 3 * BLOB_CHUNK_BYTES + 11);
    const media = await fixture.service.addMedia(testimonyId, writeSource('pieces.bin', bytes), { custodian: 'A' });
    const kept: Uint8Array[] = [];
    const copies: Buffer[] = [];
    let sha256 = '';
    for await (const piece of openBlobChunks(fixture.service.sessionForCore, media.blobId, { onSha256: (digest) => (sha256 = digest) })) {
      kept.push(piece);
      copies.push(Buffer.from(piece));
    }
    expect(Buffer.concat(copies).equals(bytes)).toBe(true);
    expect(sha256).toBe(media.sha256);
    // Each piece was handed back to the worker (emptied here) or zeroed when the blob was done: the
    // loop asking past the last piece released that one too.
    expect(kept.length).toBeGreaterThan(3);
    expect(kept.filter((piece) => piece.byteLength > 0 && piece.some((byte) => byte !== 0))).toEqual([]);
    expect(kept.some((piece) => piece.byteLength === 0)).toBe(true);
    expect(kept.some((piece) => piece.byteLength > 0)).toBe(true);
  });

  it.each([
    ['on this thread', 3 * 1024 * 1024 + 5],
    ['in the opening worker', WORKER_OPENING_MIN_BYTES + 1],
  ])('catches a media record whose intake SHA-256 no longer matches its blob (hashed %s), in export and verify', async (_where, size) => {
    const media = await fixture.service.addMedia(testimonyId, writeSource(`intake-${size}.bin`, randomBytes(size)), { custodian: 'A' });
    const session = fixture.service.sessionForCore;
    const fields = readRecord(session, media.id, 'media').fields;
    updateRecord(session, media.id, 'media', { ...fields, sha256: 'f'.repeat(64) });
    try {
      const out = path.join(files.dir, `mismatch-${size}.bin`);
      expect(await errorCodeOf(() => fixture.service.exportMedia(media.id, out))).toBe('AUTH_FAILED');
      expect(fs.existsSync(out)).toBe(false);
      expect((await fixture.service.verify()).problems).toContainEqual({ where: `media ${media.id}`, problem: 'content does not match the SHA-256 taken at intake' });
    } finally {
      updateRecord(session, media.id, 'media', fields);
    }
    expect((await fixture.service.verify()).problems).toEqual([]);
  });
});
