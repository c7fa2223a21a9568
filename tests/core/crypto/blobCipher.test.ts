import { randomBytes as nodeRandomBytes } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  BLOB_CHUNK_BYTES, BlobOpener, BlobSealer, ensureSodium, generateKey, type SecretKey,
} from '../../../src/main/core/crypto/index.js';
import { errorCodeOf } from '../coreFixtures.js';

// libsodium's randombytes_buf is slow for large buffers; test data only needs to be arbitrary.
const randomBytes = (size: number) => new Uint8Array(nodeRandomBytes(size));
const context = { vaultId: 'vault-a', blobId: 'blob-1' };

function sealAll(key: SecretKey, plaintext: Uint8Array): { header: Uint8Array; chunks: Uint8Array[] } {
  const sealer = new BlobSealer(key, context);
  const chunks: Uint8Array[] = [];
  let offset = 0;
  do {
    const piece = plaintext.subarray(offset, offset + BLOB_CHUNK_BYTES);
    offset += piece.length;
    const isFinal = piece.length < BLOB_CHUNK_BYTES || offset === plaintext.length;
    chunks.push(sealer.sealChunk(piece, isFinal && piece.length < BLOB_CHUNK_BYTES));
    if (isFinal && piece.length === BLOB_CHUNK_BYTES) chunks.push(sealer.sealChunk(new Uint8Array(0), true));
  } while (offset < plaintext.length);
  return { header: sealer.header, chunks };
}

function openAll(key: SecretKey, header: Uint8Array, chunks: Uint8Array[], blobContext = context): Uint8Array {
  const opener = new BlobOpener(key, header, blobContext);
  const parts = chunks.map((chunk) => opener.openChunk(chunk));
  opener.finish();
  return Buffer.concat(parts);
}

describe('blob streams (secretstream, 64 KiB chunks)', () => {
  beforeAll(ensureSodium);
  const key = () => generateKey();

  it.each([0, 1, BLOB_CHUNK_BYTES - 1, BLOB_CHUNK_BYTES, BLOB_CHUNK_BYTES + 1, 3 * BLOB_CHUNK_BYTES + 5])('round-trips %i bytes', (size) => {
    const k = key();
    const plaintext = randomBytes(size);
    const { header, chunks } = sealAll(k, plaintext);
    expect(Buffer.compare(openAll(k, header, chunks), plaintext)).toBe(0);
  });

  it('refuses a stream that never reaches the final tag (truncated)', async () => {
    const k = key();
    const { header, chunks } = sealAll(k, randomBytes(3 * BLOB_CHUNK_BYTES + 10));
    expect(await errorCodeOf(() => openAll(k, header, chunks.slice(0, -1)))).toBe('STREAM_TRUNCATED');
  });

  it('refuses data after the final chunk', async () => {
    const k = key();
    const { header, chunks } = sealAll(k, randomBytes(BLOB_CHUNK_BYTES + 10));
    expect(await errorCodeOf(() => openAll(k, header, [...chunks, randomBytes(40)]))).toBe('STREAM_TRAILING_DATA');
    expect(await errorCodeOf(() => openAll(k, header, [...chunks, chunks[0] as Uint8Array]))).toBe('STREAM_TRAILING_DATA');
  });

  it('refuses reordered, dropped and duplicated chunks', async () => {
    const k = key();
    const { header, chunks } = sealAll(k, randomBytes(4 * BLOB_CHUNK_BYTES + 10));
    const [c0, c1, c2, c3, c4] = chunks as [Uint8Array, Uint8Array, Uint8Array, Uint8Array, Uint8Array];
    expect(await errorCodeOf(() => openAll(k, header, [c1, c0, c2, c3, c4]))).toBe('AUTH_FAILED');
    expect(await errorCodeOf(() => openAll(k, header, [c0, c2, c3, c4]))).toBe('AUTH_FAILED');
    expect(await errorCodeOf(() => openAll(k, header, [c0, c0, c1, c2, c3, c4]))).toBe('AUTH_FAILED');
  });

  it('refuses a blob moved to another id or vault, and a bad header', async () => {
    const k = key();
    const { header, chunks } = sealAll(k, randomBytes(100));
    expect(await errorCodeOf(() => openAll(k, header, chunks, { ...context, blobId: 'blob-2' }))).toBe('AUTH_FAILED');
    expect(await errorCodeOf(() => openAll(k, header, chunks, { ...context, vaultId: 'vault-b' }))).toBe('AUTH_FAILED');
    const badMagic = new Uint8Array(header);
    badMagic[0] = 0;
    expect(await errorCodeOf(() => openAll(k, badMagic, chunks))).toBe('AUTH_FAILED');
  });
});
