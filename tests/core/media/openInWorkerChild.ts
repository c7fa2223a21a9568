/**
 * Opens a blob in the opening worker from a process run under tsx, as bin/tvault.mjs runs:
 *   node --import tsx tests/core/media/openInWorkerChild.ts
 * tsx compiles with esbuild's keepNames, which puts __name() calls into the function whose source
 * text the worker is given. Prints the byte count opened, or fails.
 */
import { randomBytes } from 'node:crypto';
import { BlobOpenWorker } from '../../../src/main/core/crypto/BlobOpenWorker.js';
import { BLOB_CHUNK_BYTES, BlobSealer, ensureSodium, generateKey } from '../../../src/main/core/crypto/index.js';

async function main(): Promise<void> {
  await ensureSodium();
  const key = generateKey();
  const context = { vaultId: 'v'.repeat(32), blobId: 'b'.repeat(32) };
  const sealer = new BlobSealer(key, context);
  const plain = randomBytes(3 * BLOB_CHUNK_BYTES + 100);
  const sealed = Buffer.concat([
    sealer.sealChunk(plain.subarray(0, BLOB_CHUNK_BYTES), false),
    sealer.sealChunk(plain.subarray(BLOB_CHUNK_BYTES, 2 * BLOB_CHUNK_BYTES), false),
    sealer.sealChunk(plain.subarray(2 * BLOB_CHUNK_BYTES, 3 * BLOB_CHUNK_BYTES), false),
    sealer.sealChunk(plain.subarray(3 * BLOB_CHUNK_BYTES), true),
  ]);
  const opener = await BlobOpenWorker.start(key, sealer.header, context, sealed.length);
  try {
    const batch = new Uint8Array(sealed.length);
    batch.set(sealed);
    const { plain: opened } = await opener.open(batch, sealed.length, true);
    if (!Buffer.from(opened).equals(plain)) throw new Error('opened bytes differ');
    process.stdout.write(`${opened.length}\n`);
  } finally {
    await opener.close();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`openInWorkerChild failed: ${String(error)}\n`);
  process.exit(1);
});
