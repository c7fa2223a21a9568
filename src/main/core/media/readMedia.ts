import fs from 'node:fs';
import {
  BLOB_HEADER_BYTES, BLOB_SEALED_CHUNK_BYTES, BlobOpener, createSha256, unwrapKey, wipeKey,
} from '../crypto/index.js';
import { BlobOpenWorker, type OpenedBatch } from '../crypto/BlobOpenWorker.js';
import { VaultError } from '../errors.js';
import type { ProgressListener } from '../platform.js';
import { listRecordIds, readRecord, requireRecord } from '../records/recordStore.js';
import { blobPath } from '../vault/vaultPaths.js';
import type { VaultSession } from '../vault/VaultSession.js';
import { BatchedFileWriter } from './BatchedFileWriter.js';
import { removeQuietly } from './blobFiles.js';
import type { MediaFields, MediaView } from './mediaSchema.js';

// Sealed chunks per read when streaming a blob out (about 1 MiB).
const CHUNKS_PER_READ = 16;
const BATCHES_IN_FLIGHT = 3;
/** From this sealed size on, blobs are opened in a worker (starting one costs about what opening 16 MiB here does). */
export const WORKER_OPENING_MIN_BYTES = 16 * 1024 * 1024;

type BlobRow = { blob_id: string; wrapped_key: Uint8Array; sealed_size: number };

export function getMedia(session: VaultSession, mediaId: string): MediaView {
  return { ...(readRecord(session, mediaId, 'media').fields as MediaFields), id: mediaId };
}

export function listMedia(session: VaultSession, testimonyId?: string): MediaView[] {
  if (testimonyId !== undefined) requireRecord(session, testimonyId, 'testimony');
  const all = listRecordIds(session, 'media').map((id) => getMedia(session, id));
  return testimonyId === undefined ? all : all.filter((media) => media.testimonyId === testimonyId);
}

/**
 * The large-blob path of openBlobChunks: the worker authenticates and decrypts batch n while this
 * thread reads batch n+1 and the consumer hashes, scans or writes batch n-1. Reads are awaited in
 * turn, so none is running when the generator ends and the file is closed. A batch the consumer is
 * done with (it asked for the next) is handed back for the worker to decrypt into, and the spare
 * batches are zeroed at the end.
 */
async function* openInWorker(
  opener: BlobOpenWorker,
  size: number,
  readBatch: (buffer: Uint8Array, from: number) => Promise<number>,
  batchBytes: number,
  { onProgress, onSha256 }: OpenBlobOptions,
): AsyncGenerator<Uint8Array> {
  const inFlight: { opening: Promise<OpenedBatch>; sealedLength: number }[] = [];
  const spareBuffers: Uint8Array[] = [];
  const sparePlain: Uint8Array[] = [];
  let readPosition = BLOB_HEADER_BYTES;
  let done = BLOB_HEADER_BYTES;
  const submit = async (): Promise<void> => {
    const buffer = spareBuffers.pop() ?? new Uint8Array(batchBytes);
    const length = await readBatch(buffer, readPosition);
    readPosition += length;
    const opening = opener.open(buffer, length, readPosition >= size, sparePlain.pop());
    // Marked handled now: batches left behind when the consumer stops must not surface as unhandled rejections.
    opening.catch(() => undefined);
    inFlight.push({ opening, sealedLength: length });
  };
  try {
    while (inFlight.length < BATCHES_IN_FLIGHT && readPosition < size) await submit();
    for (let batch = inFlight.shift(); batch; batch = inFlight.shift()) {
      const { plain, sealedBuffer, sha256 } = await batch.opening;
      spareBuffers.push(sealedBuffer);
      if (sha256 !== undefined) onSha256?.(sha256);
      if (readPosition < size) await submit();
      done += batch.sealedLength;
      yield plain;
      // Asked for the next batch: the consumer is done with this one.
      if (plain.byteOffset === 0) sparePlain.push(new Uint8Array(plain.buffer));
      onProgress?.({ done, total: size, phase: 'decrypting' });
    }
  } finally {
    await opener.close();
    for (const spare of sparePlain) spare.fill(0);
  }
}

export type OpenBlobOptions = {
  onProgress?: ProgressListener | undefined;
  /** Called with the SHA-256 of the whole plaintext once the last piece is authenticated (in the worker for large blobs). */
  onSha256?: ((sha256: string) => void) | undefined;
};

/**
 * Yields the decrypted bytes of a blob in pieces of up to 1 MiB, authenticating every chunk before
 * it is yielded and refusing a missing final tag or trailing bytes at the end. Blobs from
 * WORKER_OPENING_MIN_BYTES on are opened in a worker thread. A piece is valid until the next is
 * asked for (its memory is then reused): a consumer that keeps bytes copies them.
 */
export async function* openBlobChunks(session: VaultSession, blobId: string, options: OpenBlobOptions = {}): AsyncGenerator<Uint8Array> {
  const { onProgress, onSha256 } = options;
  const row = session.db.prepare('SELECT blob_id, wrapped_key, sealed_size FROM blobs WHERE blob_id = ?').get(blobId) as BlobRow | undefined;
  if (!row) throw new VaultError('NOT_FOUND', `no blob ${blobId}`);
  const key = unwrapKey(session.key('masterKey'), row.wrapped_key, { vaultId: session.vaultId, purpose: 'blob', ownerId: blobId });
  let handle: fs.promises.FileHandle;
  try {
    handle = await fs.promises.open(blobPath(session.paths, blobId), 'r');
  } catch {
    wipeKey(key);
    throw new VaultError('VAULT_CORRUPT', `blob file ${blobId} is missing`);
  }
  try {
    const size = (await handle.stat()).size;
    if (size !== row.sealed_size) throw new VaultError('STREAM_TRUNCATED', `blob ${blobId} is ${size} bytes; ${row.sealed_size} were written`);
    const header = new Uint8Array(BLOB_HEADER_BYTES);
    const { bytesRead } = await handle.read(header, 0, BLOB_HEADER_BYTES, 0);
    if (bytesRead !== BLOB_HEADER_BYTES) throw new VaultError('STREAM_TRUNCATED', `blob ${blobId} is shorter than its header`);
    // 16 sealed chunks per read, and the next read in flight while a batch is opened: one system
    // call per MiB instead of one awaited round trip per 64 KiB.
    const batchBytes = BLOB_SEALED_CHUNK_BYTES * CHUNKS_PER_READ;
    const readBatch = async (buffer: Uint8Array, from: number): Promise<number> => {
      const length = Math.min(batchBytes, size - from);
      let filled = 0;
      while (filled < length) {
        const { bytesRead } = await handle.read(buffer, filled, length - filled, from + filled);
        if (bytesRead === 0) throw new VaultError('IO_ERROR', `short read in blob ${blobId}`);
        filled += bytesRead;
      }
      return length;
    };
    const context = { vaultId: session.vaultId, blobId };
    if (size >= WORKER_OPENING_MIN_BYTES) {
      yield* openInWorker(await BlobOpenWorker.start(key, header, context, batchBytes, onSha256 !== undefined), size, readBatch, batchBytes, options);
      return;
    }
    const opener = new BlobOpener(key, header, context);
    const plainHash = onSha256 ? createSha256() : null;
    let current = new Uint8Array(batchBytes);
    let spare = new Uint8Array(batchBytes);
    let position = BLOB_HEADER_BYTES;
    let nextBatch: Promise<number> | null = position < size ? readBatch(current, position) : null;
    try {
      while (nextBatch) {
        const batch = current.subarray(0, await nextBatch);
        const batchStart = position;
        position += batch.length;
        nextBatch = position < size ? readBatch(spare, position) : null;
        for (let offset = 0; offset < batch.length; offset += BLOB_SEALED_CHUNK_BYTES) {
          // Each opened chunk is a new array, so the batch buffer can be read into again afterwards.
          const plain = opener.openChunk(batch.subarray(offset, Math.min(batch.length, offset + BLOB_SEALED_CHUNK_BYTES)));
          plainHash?.update(plain);
          yield plain;
          onProgress?.({ done: batchStart + Math.min(batch.length, offset + BLOB_SEALED_CHUNK_BYTES), total: size, phase: 'decrypting' });
        }
        [current, spare] = [spare, current];
      }
    } finally {
      // Never close the file under a read still running.
      await nextBatch?.catch(() => undefined);
    }
    opener.finish();
    if (plainHash) onSha256?.(plainHash.digestHex());
  } finally {
    wipeKey(key);
    await handle.close();
  }
}

/** Writes a media item's original bytes to `outPath` and checks them against the intake SHA-256. */
export async function exportMediaToFile(session: VaultSession, mediaId: string, outPath: string, onProgress?: ProgressListener): Promise<MediaView> {
  const media = getMedia(session, mediaId);
  if (fs.existsSync(outPath)) throw new VaultError('INVALID_INPUT', `${outPath} already exists; choose a new file name`);
  let out: fs.promises.FileHandle;
  try {
    out = await fs.promises.open(outPath, 'wx', 0o600);
  } catch (cause) {
    throw new VaultError('IO_ERROR', `cannot create ${outPath}: ${(cause as NodeJS.ErrnoException).code ?? 'write error'}`, { cause });
  }
  let sha256 = '';
  const writer = new BatchedFileWriter(out);
  try {
    for await (const chunk of openBlobChunks(session, media.blobId, { onProgress, onSha256: (digest) => (sha256 = digest) })) {
      await writer.write(chunk);
    }
    await writer.flush();
    await out.sync();
  } catch (error) {
    await writer.settle();
    await out.close();
    removeQuietly(outPath);
    throw error;
  }
  await out.close();
  if (sha256 !== media.sha256) {
    removeQuietly(outPath);
    throw new VaultError('AUTH_FAILED', `media ${mediaId} does not match its intake SHA-256`);
  }
  return media;
}

/** Decrypts a whole media item in memory; for previews of modest files only. */
export async function readMediaBytes(session: VaultSession, mediaId: string, maxBytes: number): Promise<{ media: MediaView; bytes: Uint8Array }> {
  const media = getMedia(session, mediaId);
  if (media.sizeBytes > maxBytes) throw new VaultError('INVALID_INPUT', `media ${mediaId} is larger than ${maxBytes} bytes; export it to a file instead`);
  const bytes = new Uint8Array(media.sizeBytes);
  let offset = 0;
  for await (const chunk of openBlobChunks(session, media.blobId)) {
    bytes.set(chunk, offset);
    offset += chunk.length;
  }
  return { media, bytes };
}

/** Deletes a media record; the blob (key and file) goes when no other record uses it. */
export function deleteMediaRecord(session: VaultSession, mediaId: string): { blobRemoved: string | null } {
  const media = getMedia(session, mediaId);
  session.db.prepare('DELETE FROM records WHERE record_id = ?').run(mediaId);
  const stillUsed = session.db.prepare('SELECT 1 FROM record_blobs WHERE blob_id = ? LIMIT 1').get(media.blobId);
  if (stillUsed) return { blobRemoved: null };
  session.db.prepare('DELETE FROM blobs WHERE blob_id = ?').run(media.blobId);
  return { blobRemoved: media.blobId };
}

export function removeBlobFile(session: VaultSession, blobId: string): void {
  const file = blobPath(session.paths, blobId);
  session.removeBlobFileWhenFree(() => removeQuietly(file));
}
