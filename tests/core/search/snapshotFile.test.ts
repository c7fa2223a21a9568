import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureSodium, generateKey, type SecretKey } from '../../../src/main/core/crypto/index.js';
import { SNAPSHOT_CHUNK_BYTES, SNAPSHOT_HEADER_BYTES, SNAPSHOT_SEALED_CHUNK_BYTES, snapshotPlaintextSize } from '../../../src/main/core/crypto/indexSnapshotCipher.js';
import { readSnapshotFile, SNAPSHOT_FILE_NAME, writeSnapshotFile } from '../../../src/main/core/search/snapshotFile.js';
import { errorCodeOf } from '../coreFixtures.js';
import { makeTempDir, type TempDir } from '../../helpers/makeTempDir.js';

describe('sealed snapshot files (ChaCha20-Poly1305 STREAM, 1 MiB chunks)', () => {
  let dir: TempDir;
  let key: SecretKey;
  beforeAll(async () => {
    await ensureSodium();
    dir = makeTempDir('tv-snapshot-');
    key = generateKey();
  });
  afterAll(() => dir.remove());

  const file = () => path.join(dir.path, SNAPSHOT_FILE_NAME);

  it.each([0, 1, SNAPSHOT_CHUNK_BYTES - 1, SNAPSHOT_CHUNK_BYTES, 2 * SNAPSHOT_CHUNK_BYTES + 12_345])('round-trips %i bytes and predicts the plaintext size', async (size) => {
    const plaintext = Buffer.from(randomBytes(size));
    const written = await writeSnapshotFile(dir.path, key, 'vault-a', plaintext);
    expect(fs.statSync(file()).size).toBe(written);
    expect(snapshotPlaintextSize(written)).toBe(size);
    const read = await readSnapshotFile(dir.path, key, 'vault-a');
    expect(read.equals(plaintext)).toBe(true);
  });

  it('uses a fresh random stream header for every snapshot', async () => {
    const plaintext = Buffer.from('same index');
    await writeSnapshotFile(dir.path, key, 'vault-a', plaintext);
    const first = fs.readFileSync(file());
    await writeSnapshotFile(dir.path, key, 'vault-a', plaintext);
    const second = fs.readFileSync(file());
    expect(first.subarray(4, SNAPSHOT_HEADER_BYTES).equals(second.subarray(4, SNAPSHOT_HEADER_BYTES))).toBe(false);
    expect(first.equals(second)).toBe(false);
  });

  it('refuses reordered, dropped or duplicated chunks, a wrong key and a wrong vault id', async () => {
    const plaintext = Buffer.from(randomBytes(3 * SNAPSHOT_CHUNK_BYTES + 10));
    await writeSnapshotFile(dir.path, key, 'vault-a', plaintext);
    const good = fs.readFileSync(file());
    const header = good.subarray(0, SNAPSHOT_HEADER_BYTES);
    const chunk = (i: number) => good.subarray(SNAPSHOT_HEADER_BYTES + i * SNAPSHOT_SEALED_CHUNK_BYTES, SNAPSHOT_HEADER_BYTES + (i + 1) * SNAPSHOT_SEALED_CHUNK_BYTES);
    const attempt = async (bytes: Buffer, readKey = key, vaultId = 'vault-a') => {
      fs.writeFileSync(file(), bytes);
      return errorCodeOf(() => readSnapshotFile(dir.path, readKey, vaultId));
    };
    expect(await attempt(Buffer.concat([header, chunk(1), chunk(0), chunk(2), chunk(3)]))).toBe('AUTH_FAILED');
    expect(await attempt(Buffer.concat([header, chunk(0), chunk(2), chunk(3)]))).toBe('AUTH_FAILED');
    // Cut at a chunk boundary: the new last chunk was not sealed as the last one.
    expect(await attempt(Buffer.concat([header, chunk(0), chunk(1), chunk(2)]))).toBe('AUTH_FAILED');
    expect(await attempt(Buffer.concat([good, chunk(0)]))).toBe('AUTH_FAILED');
    expect(await attempt(Buffer.concat([header, chunk(0), chunk(0), chunk(1), chunk(2), chunk(3)]))).toBe('AUTH_FAILED');
    expect(await attempt(good, generateKey())).toBe('AUTH_FAILED');
    expect(await attempt(good, key, 'vault-b')).toBe('AUTH_FAILED');
    expect(await attempt(good.subarray(0, 10))).toBe('STREAM_TRUNCATED');
    fs.rmSync(file());
    expect(await errorCodeOf(() => readSnapshotFile(dir.path, key, 'vault-a'))).toBe('FILE_NOT_FOUND');
  });

  it('leaves no temp file behind, and only ever writes sealed bytes', async () => {
    const marker = 'PLAINTEXT-MARKER-4711';
    await writeSnapshotFile(dir.path, key, 'vault-a', Buffer.from(marker.repeat(1000)));
    expect(fs.readdirSync(dir.path)).toEqual([SNAPSHOT_FILE_NAME]);
    expect(fs.readFileSync(file()).includes(Buffer.from(marker))).toBe(false);
  });
});
