import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { BlobOpenWorker, stopIdleBlobOpenWorkers } from '../../../src/main/core/crypto/BlobOpenWorker.js';
import { BlobSealWorker } from '../../../src/main/core/crypto/BlobSealWorker.js';
import {
  BLOB_CHUNK_BYTES, BLOB_HEADER_BYTES, BLOB_SEALED_CHUNK_BYTES, BlobOpener, BlobSealer, ensureSodium, generateKey, type SecretKey,
} from '../../../src/main/core/crypto/index.js';
import { errorCodeOf } from '../coreFixtures.js';

// The workers call libsodium below its wrapper, so they must produce and accept exactly the blobs
// BlobSealer and BlobOpener do (vaults hold both kinds): each is checked against the other here.
const CONTEXT = { vaultId: 'v'.repeat(32), blobId: 'b'.repeat(32) };
const BATCH_CHUNKS = 16;
const PLAIN_BATCH = BLOB_CHUNK_BYTES * BATCH_CHUNKS;
const SEALED_BATCH = BLOB_SEALED_CHUNK_BYTES * BATCH_CHUNKS;

/** Seals with the worker in 1 MiB batches, as intake does. */
async function sealInWorker(key: SecretKey, plain: Uint8Array): Promise<Buffer> {
  const sealer = await BlobSealWorker.start(key, CONTEXT, PLAIN_BATCH);
  try {
    const parts: Uint8Array[] = [sealer.header];
    let offset = 0;
    do {
      const length = Math.min(PLAIN_BATCH, plain.length - offset);
      const batch = new Uint8Array(PLAIN_BATCH);
      batch.set(plain.subarray(offset, offset + length));
      offset += length;
      parts.push((await sealer.seal(batch, length, offset === plain.length)).sealed.slice());
    } while (offset < plain.length);
    return Buffer.concat(parts);
  } finally {
    await sealer.close();
  }
}

/** Seals with BlobSealer chunk by chunk, the final tag on the last chunk (an empty one when asked). */
function sealOnThread(key: SecretKey, plain: Uint8Array, emptyFinal = false): Buffer {
  const sealer = new BlobSealer(key, CONTEXT);
  const parts: Uint8Array[] = [sealer.header];
  const chunks = Math.max(1, Math.ceil(plain.length / BLOB_CHUNK_BYTES));
  for (let i = 0; i < chunks; i += 1) {
    parts.push(sealer.sealChunk(plain.subarray(i * BLOB_CHUNK_BYTES, (i + 1) * BLOB_CHUNK_BYTES), !emptyFinal && i === chunks - 1));
  }
  if (emptyFinal) parts.push(sealer.sealChunk(new Uint8Array(0), true));
  return Buffer.concat(parts);
}

function openOnThread(key: SecretKey, sealed: Uint8Array): Buffer {
  const opener = new BlobOpener(key, sealed.subarray(0, BLOB_HEADER_BYTES), CONTEXT);
  const parts: Uint8Array[] = [];
  for (let offset = BLOB_HEADER_BYTES; offset < sealed.length; offset += BLOB_SEALED_CHUNK_BYTES) {
    parts.push(opener.openChunk(sealed.subarray(offset, Math.min(sealed.length, offset + BLOB_SEALED_CHUNK_BYTES))));
  }
  opener.finish();
  return Buffer.concat(parts);
}

/** Opens with the worker in 1 MiB batches, as openBlobChunks does. */
async function openInWorker(key: SecretKey, sealed: Uint8Array): Promise<Buffer> {
  const opener = await BlobOpenWorker.start(key, sealed.subarray(0, BLOB_HEADER_BYTES), CONTEXT, SEALED_BATCH);
  try {
    const parts: Uint8Array[] = [];
    for (let offset = BLOB_HEADER_BYTES; offset < sealed.length; offset += SEALED_BATCH) {
      const length = Math.min(SEALED_BATCH, sealed.length - offset);
      const batch = new Uint8Array(SEALED_BATCH);
      batch.set(sealed.subarray(offset, offset + length));
      parts.push((await opener.open(batch, length, offset + length >= sealed.length)).plain);
    }
    return Buffer.concat(parts);
  } finally {
    await opener.close();
  }
}

describe('blob sealing and opening workers', () => {
  let key: SecretKey;
  beforeAll(async () => {
    await ensureSodium();
    key = generateKey();
  });

  it.each([0, 1, BLOB_CHUNK_BYTES, PLAIN_BATCH, 2 * PLAIN_BATCH + 5, 3 * PLAIN_BATCH - 1])('a %i-byte blob sealed by the worker opens with BlobOpener, and the reverse', async (size) => {
    const plain = randomBytes(size);
    const byWorker = await sealInWorker(key, plain);
    expect(openOnThread(key, byWorker).equals(plain)).toBe(true);
    const byThread = sealOnThread(key, plain);
    expect(byWorker.length).toBe(byThread.length);
    expect((await openInWorker(key, byThread)).equals(plain)).toBe(true);
    expect((await openInWorker(key, byWorker)).equals(plain)).toBe(true);
  });

  it('keeps a worker that finished a blob for the next one (another key), but not one stopped mid-blob or after lock', async () => {
    const otherKey = generateKey();
    const first = sealOnThread(key, randomBytes(PLAIN_BATCH + 7));
    const second = sealOnThread(otherKey, randomBytes(2 * PLAIN_BATCH));
    const start = (k: SecretKey, sealed: Buffer) => BlobOpenWorker.start(k, sealed.subarray(0, BLOB_HEADER_BYTES), CONTEXT, SEALED_BATCH);
    const batch = (sealed: Buffer, index: number) => {
      const bytes = new Uint8Array(SEALED_BATCH);
      const piece = sealed.subarray(BLOB_HEADER_BYTES + index * SEALED_BATCH, BLOB_HEADER_BYTES + (index + 1) * SEALED_BATCH);
      bytes.set(piece);
      return { bytes, length: piece.length, isLast: BLOB_HEADER_BYTES + (index + 1) * SEALED_BATCH >= sealed.length };
    };
    const openAll = async (opener: BlobOpenWorker, sealed: Buffer) => {
      for (let index = 0; BLOB_HEADER_BYTES + index * SEALED_BATCH < sealed.length; index += 1) {
        const { bytes, length, isLast } = batch(sealed, index);
        await opener.open(bytes, length, isLast);
      }
      await opener.close();
    };
    stopIdleBlobOpenWorkers();
    const a = await start(key, first);
    await openAll(a, first);
    const b = await start(otherKey, second);
    expect(b.threadId).toBe(a.threadId);
    // The reused worker holds nothing of the first blob: the second key is the one it opens with.
    await openAll(b, second);
    const wrongKey = await start(key, second);
    expect(wrongKey.threadId).toBe(a.threadId);
    const { bytes, length, isLast } = batch(second, 0);
    expect(await errorCodeOf(() => wrongKey.open(bytes, length, isLast))).toBe('AUTH_FAILED');
    await wrongKey.close();
    // Stopped with a batch still in flight: that worker is not kept.
    const busy = await start(otherKey, second);
    const inFlight = busy.open(batch(second, 0).bytes, batch(second, 0).length, false);
    inFlight.catch(() => undefined);
    await busy.close();
    const fresh = await start(otherKey, second);
    expect(fresh.threadId).not.toBe(busy.threadId);
    await openAll(fresh, second);
    stopIdleBlobOpenWorkers();
    const afterLock = await start(otherKey, second);
    expect(afterLock.threadId).not.toBe(fresh.threadId);
    await afterLock.close();
  });

  it('decrypts into a spent batch handed back (taken from this thread), and into a new array when that one is too small', async () => {
    const plain = randomBytes(3 * PLAIN_BATCH);
    const sealed = sealOnThread(key, plain);
    const opener = await BlobOpenWorker.start(key, sealed.subarray(0, BLOB_HEADER_BYTES), CONTEXT, SEALED_BATCH);
    try {
      const batch = (index: number) => {
        const bytes = new Uint8Array(SEALED_BATCH);
        bytes.set(sealed.subarray(BLOB_HEADER_BYTES + index * SEALED_BATCH, BLOB_HEADER_BYTES + (index + 1) * SEALED_BATCH));
        return bytes;
      };
      const first = (await opener.open(batch(0), SEALED_BATCH, false)).plain;
      expect(Buffer.from(first).equals(plain.subarray(0, PLAIN_BATCH))).toBe(true);
      const second = (await opener.open(batch(1), SEALED_BATCH, false, first)).plain;
      // Transferred: this thread can no longer read the spent batch, and the next one fills its memory.
      expect(first.byteLength).toBe(0);
      expect(second.buffer.byteLength).toBe(PLAIN_BATCH);
      expect(Buffer.from(second).equals(plain.subarray(PLAIN_BATCH, 2 * PLAIN_BATCH))).toBe(true);
      const tooSmall = new Uint8Array(PLAIN_BATCH - 1);
      const third = (await opener.open(batch(2), SEALED_BATCH, true, tooSmall)).plain;
      expect(Buffer.from(third).equals(plain.subarray(2 * PLAIN_BATCH))).toBe(true);
      expect(third.buffer.byteLength).toBe(PLAIN_BATCH);
    } finally {
      await opener.close();
    }
  });

  it('opens blobs in a process run under tsx too, as the tvault CLI runs (its compiler adds helpers to copied source)', () => {
    const child = fileURLToPath(new URL('./openInWorkerChild.ts', import.meta.url));
    const run = spawnSync(process.execPath, ['--import', 'tsx', child], { encoding: 'utf8' });
    expect(run.stderr).toBe('');
    expect(run.stdout.trim()).toBe(String(3 * BLOB_CHUNK_BYTES + 100));
  });

  it('opens a stream that ends with an empty final chunk (as BlobWriter writes whole chunks)', async () => {
    const plain = randomBytes(PLAIN_BATCH);
    expect((await openInWorker(key, sealOnThread(key, plain, true))).equals(plain)).toBe(true);
  });

  describe('the opening worker refuses what BlobOpener refuses, with the same codes', () => {
    const plain = randomBytes(2 * PLAIN_BATCH + 1000);
    let sealed: Buffer = Buffer.alloc(0);
    beforeAll(() => {
      sealed = sealOnThread(key, plain);
    });
    const chunkAt = (i: number) => sealed.subarray(BLOB_HEADER_BYTES + i * BLOB_SEALED_CHUNK_BYTES, BLOB_HEADER_BYTES + (i + 1) * BLOB_SEALED_CHUNK_BYTES);

    it('opens the pristine stream (control)', async () => {
      expect((await openInWorker(key, sealed)).equals(plain)).toBe(true);
    });

    it('refuses a flipped byte anywhere: header, first, middle and last chunk', async () => {
      for (const offset of [5, BLOB_HEADER_BYTES + 3, BLOB_HEADER_BYTES + 20 * BLOB_SEALED_CHUNK_BYTES + 9, sealed.length - 1]) {
        const flipped = Buffer.from(sealed);
        flipped[offset] = (flipped[offset] ?? 0) ^ 0x01;
        expect(await errorCodeOf(() => openInWorker(key, flipped)), `offset ${offset}`).toBe('AUTH_FAILED');
      }
      const badMagic = Buffer.from(sealed);
      badMagic[0] = 0;
      expect(await errorCodeOf(() => openInWorker(key, badMagic))).toBe('AUTH_FAILED');
    });

    it('refuses a wrong key or another blob\'s context', async () => {
      expect(await errorCodeOf(() => openInWorker(generateKey(), sealed))).toBe('AUTH_FAILED');
      const opener = await BlobOpenWorker.start(key, sealed.subarray(0, BLOB_HEADER_BYTES), { ...CONTEXT, blobId: 'c'.repeat(32) }, SEALED_BATCH);
      try {
        const batch = new Uint8Array(SEALED_BATCH);
        batch.set(sealed.subarray(BLOB_HEADER_BYTES, BLOB_HEADER_BYTES + SEALED_BATCH));
        expect(await errorCodeOf(() => opener.open(batch, SEALED_BATCH, false))).toBe('AUTH_FAILED');
      } finally {
        await opener.close();
      }
    });

    it('refuses reordered chunks, a stream cut at a chunk boundary, and data after the final chunk', async () => {
      const reordered = Buffer.concat([sealed.subarray(0, BLOB_HEADER_BYTES), chunkAt(1), chunkAt(0), sealed.subarray(BLOB_HEADER_BYTES + 2 * BLOB_SEALED_CHUNK_BYTES)]);
      expect(await errorCodeOf(() => openInWorker(key, reordered))).toBe('AUTH_FAILED');
      const cut = sealed.subarray(0, BLOB_HEADER_BYTES + 20 * BLOB_SEALED_CHUNK_BYTES);
      expect(await errorCodeOf(() => openInWorker(key, cut))).toBe('STREAM_TRUNCATED');
      expect(() => openOnThread(key, cut)).toThrow(/truncated/);
      // A complete short stream, then a chunk of the longer one: a final tag followed by more data.
      const short = sealOnThread(key, plain.subarray(0, 3 * BLOB_CHUNK_BYTES));
      const trailing = Buffer.concat([short, chunkAt(3)]);
      expect(await errorCodeOf(() => openInWorker(key, trailing))).toBe('STREAM_TRAILING_DATA');
      expect(await errorCodeOf(() => openOnThread(key, trailing))).toBe('STREAM_TRAILING_DATA');
    });
  });
});
