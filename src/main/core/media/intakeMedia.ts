import fs from 'node:fs';
import path from 'node:path';
import {
  BLOB_CHUNK_BYTES, BlobSealer, createSha256, generateKey, keyedDigest, randomId, wipeKey, wrapKey, type BlobContext, type SecretKey,
} from '../crypto/index.js';
import { BlobSealWorker, type SealedBatch } from '../crypto/BlobSealWorker.js';
import { appendAuditEntry } from '../audit/auditLog.js';
import { VaultError } from '../errors.js';
import type { ProgressListener } from '../platform.js';
import { createRecord, requireRecord } from '../records/recordStore.js';
import { BLOB_TEMP_PREFIX, blobPath } from '../vault/vaultPaths.js';
import type { VaultSession } from '../vault/VaultSession.js';
import { fsyncDirectory, removeQuietly } from './blobFiles.js';
import { guessMimeType, type MediaFields, type MediaView } from './mediaSchema.js';

export type IntakeOptions = {
  custodian: string;
  onProgress?: ProgressListener;
  signal?: AbortSignal;
};

export type IntakeResult = MediaView & { deduplicated: boolean };

async function readFull(handle: fs.promises.FileHandle, buffer: Uint8Array): Promise<number> {
  let filled = 0;
  while (filled < buffer.length) {
    const { bytesRead } = await handle.read(buffer, filled, buffer.length - filled, null);
    if (bytesRead === 0) break;
    filled += bytesRead;
  }
  return filled;
}

// 1 MiB per read and per write: 16 secretstream chunks, so system calls do not dominate.
const CHUNKS_PER_BATCH = 16;
const BATCH_BYTES = BLOB_CHUNK_BYTES * CHUNKS_PER_BATCH;
// Batches at the sealing worker at once: enough to keep it busy while this thread hashes and writes.
const BATCHES_IN_FLIGHT = 3;
/**
 * From this size on, sealing runs in a worker thread. Starting one (and libsodium in it) costs
 * 50–150 ms, about what sealing 16 MiB on this thread costs, so photos and short clips are sealed
 * here and long recordings in parallel with hashing.
 */
export const WORKER_SEALING_MIN_BYTES = 16 * 1024 * 1024;

type BatchSealer = Pick<BlobSealWorker, 'header' | 'seal' | 'close'>;

/** The same batch interface as the worker, sealing on this thread (for small files). */
function sealOnThisThread(blobKey: SecretKey, context: BlobContext): BatchSealer {
  const sealer = new BlobSealer(blobKey, context);
  return {
    header: sealer.header,
    seal: async (plainBuffer, length, isFinal) => {
      const chunkCount = Math.max(1, Math.ceil(length / BLOB_CHUNK_BYTES));
      const sealed: Uint8Array[] = [];
      for (let index = 0; index < chunkCount; index += 1) {
        const chunk = plainBuffer.subarray(index * BLOB_CHUNK_BYTES, Math.min(length, (index + 1) * BLOB_CHUNK_BYTES));
        sealed.push(sealer.sealChunk(chunk, isFinal && index === chunkCount - 1));
      }
      return { sealed: Buffer.concat(sealed), plainBuffer };
    },
    close: async () => undefined,
  };
}

/**
 * Hashes and seals `source` into `target` as a pipeline over both cores (for files from
 * WORKER_SEALING_MIN_BYTES on; smaller ones are sealed on this thread): the worker seals batch n
 * while this thread hashes batch n+1, the next read is in flight and the previous sealed batch is
 * being written. Batches are hashed before they are handed over (the buffer moves to the worker).
 */
async function sealStream(
  session: VaultSession,
  source: fs.promises.FileHandle,
  target: fs.promises.FileHandle,
  blobKey: SecretKey,
  blobId: string,
  expectedSize: number,
  options: IntakeOptions,
): Promise<{ sha256Hex: string; sizeBytes: number; sealedSize: number }> {
  const context = { vaultId: session.vaultId, blobId };
  const sealer = expectedSize >= WORKER_SEALING_MIN_BYTES ? await BlobSealWorker.start(blobKey, context, BATCH_BYTES) : sealOnThisThread(blobKey, context);
  const sha256 = createSha256();
  // Both kinds of buffer are recycled, so memory stays flat and the GC has nothing to do.
  const freeBuffers: Uint8Array[] = [];
  const takeBuffer = () => freeBuffers.pop() ?? new Uint8Array(BATCH_BYTES);
  const writtenBatches: Uint8Array[] = [];
  const inFlight: Promise<SealedBatch>[] = [];
  let pendingWrite: Promise<unknown> = Promise.resolve();
  let position = 0;
  const writeOldest = async (): Promise<void> => {
    const batch = inFlight.shift();
    if (!batch) return;
    const { sealed, plainBuffer } = await batch;
    freeBuffers.push(plainBuffer);
    await pendingWrite;
    pendingWrite = target.write(sealed, 0, sealed.length, position).then(() => writtenBatches.push(sealed));
    // Marked handled now (the next await still sees it): a failed write (ENOSPC) must not surface as an unhandled rejection.
    pendingWrite.catch(() => undefined);
    position += sealed.length;
  };
  let done = 0;
  try {
    await target.write(sealer.header, 0, sealer.header.length, 0);
    position = sealer.header.length;
    let current = takeBuffer();
    let currentLength = await readFull(source, current);
    for (;;) {
      if (options.signal?.aborted) throw new VaultError('CANCELLED', 'media intake was cancelled');
      const spare = takeBuffer();
      // A short batch means the end of the file: nothing more is read after it.
      const nextRead = currentLength === BATCH_BYTES ? readFull(source, spare) : Promise.resolve(0);
      sha256.update(current.subarray(0, currentLength));
      // Whether this batch ends the stream is known only once the next read returns.
      const nextLength = await nextRead;
      const sealing = sealer.seal(current, currentLength, nextLength === 0, writtenBatches.pop());
      // Marked handled now: if we stop early, the batches left behind must not surface as unhandled rejections.
      sealing.catch(() => undefined);
      inFlight.push(sealing);
      done += currentLength;
      options.onProgress?.({ done, total: expectedSize, phase: 'encrypting' });
      if (inFlight.length >= BATCHES_IN_FLIGHT) await writeOldest();
      if (nextLength === 0) break;
      current = spare;
      currentLength = nextLength;
    }
    while (inFlight.length > 0) await writeOldest();
    await pendingWrite;
  } finally {
    // Never leave a write running into a file the caller is about to close or delete.
    await pendingWrite.catch(() => undefined);
    await sealer.close();
  }
  return { sha256Hex: sha256.digestHex(), sizeBytes: done, sealedSize: position };
}

/**
 * Streams a file into the vault: SHA-256 of the original and secretstream encryption in one pass,
 * 1 MiB at a time (flat memory; large files sealed in a worker thread), into a temp file that is
 * fsynced and renamed before the DB row commits. A crash leaves either nothing or an orphan that
 * the next open sweeps away.
 */
export async function intakeMedia(session: VaultSession, testimonyId: string, sourcePath: string, options: IntakeOptions): Promise<IntakeResult> {
  requireRecord(session, testimonyId, 'testimony');
  let stat: fs.Stats;
  try {
    stat = await fs.promises.stat(sourcePath);
  } catch {
    throw new VaultError('FILE_NOT_FOUND', `cannot read ${sourcePath}`);
  }
  if (!stat.isFile()) throw new VaultError('INVALID_INPUT', `${sourcePath} is not a regular file`);

  const blobId = randomId();
  const blobKey = generateKey();
  const tempPath = path.join(session.paths.blobDir, `${BLOB_TEMP_PREFIX}${randomId()}`);
  let source: fs.promises.FileHandle;
  try {
    source = await fs.promises.open(sourcePath, 'r');
  } catch (cause) {
    wipeKey(blobKey);
    throw new VaultError('IO_ERROR', `cannot read ${sourcePath}: ${(cause as NodeJS.ErrnoException).code ?? 'read error'}`, { cause });
  }
  let target: fs.promises.FileHandle | undefined;
  let renamed = false;
  try {
    target = await fs.promises.open(tempPath, 'wx', 0o600);
    const { sha256Hex, sizeBytes, sealedSize } = await sealStream(session, source, target, blobKey, blobId, stat.size, options);
    await target.sync();
    await target.close();
    target = undefined;
    // Renamed before the commit so a committed row always has its file; a crash in between leaves
    // an orphan that the next open sweeps.
    await fs.promises.rename(tempPath, blobPath(session.paths, blobId));
    renamed = true;
    fsyncDirectory(session.paths.blobDir);

    const dedupTag = keyedDigest(session.key('dedupKey'), sha256Hex);
    const mediaId = randomId();
    const commit = session.db.transaction((): IntakeResult => {
      requireRecord(session, testimonyId, 'testimony');
      // Decided inside the transaction, so overlapping intakes of the same bytes share one blob.
      const existing = session.db.prepare('SELECT blob_id FROM blobs WHERE dedup_tag = ?').get(dedupTag) as { blob_id: string } | undefined;
      if (!existing) {
        const wrapped = wrapKey(session.key('masterKey'), blobKey, { vaultId: session.vaultId, purpose: 'blob', ownerId: blobId });
        session.db.prepare('INSERT INTO blobs (blob_id, dedup_tag, wrapped_key, sealed_size) VALUES (?, ?, ?, ?)').run(blobId, dedupTag, wrapped, sealedSize);
      }
      const fields: MediaFields = {
        testimonyId,
        blobId: existing?.blob_id ?? blobId,
        originalName: path.basename(sourcePath),
        mimeType: guessMimeType(sourcePath),
        sizeBytes,
        sha256: sha256Hex,
        intakeAt: session.platform.now().toISOString(),
        custodian: options.custodian,
      };
      createRecord(session, 'media', fields, mediaId);
      session.db.prepare('INSERT INTO record_blobs (record_id, blob_id) VALUES (?, ?)').run(mediaId, fields.blobId);
      appendAuditEntry(session, { action: 'media.attach', recordId: mediaId, version: 1, details: { testimonyId, deduplicated: Boolean(existing) } });
      return { ...fields, id: mediaId, deduplicated: Boolean(existing) };
    });
    const result = commit();
    if (result.deduplicated) removeQuietly(blobPath(session.paths, blobId));
    session.platform.logger.info('media.intake', { bytes: sizeBytes, deduplicated: result.deduplicated });
    return result;
  } catch (error) {
    await target?.close().catch(() => undefined);
    removeQuietly(tempPath);
    if (renamed) removeQuietly(blobPath(session.paths, blobId));
    throw error;
  } finally {
    wipeKey(blobKey);
    await source.close();
  }
}
