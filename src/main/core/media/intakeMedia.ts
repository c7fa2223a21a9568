import fs from 'node:fs';
import path from 'node:path';
import {
  BLOB_CHUNK_BYTES, BlobSealer, createSha256, generateKey, keyedDigest, randomId, wipeKey, wrapKey, type SecretKey,
} from '../crypto/index.js';
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

/**
 * Hashes and seals `source` into `target` as a pipeline: the next 1 MiB is being read and the
 * previous sealed batch is being written while this one is hashed and sealed.
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
  const sealer = new BlobSealer(blobKey, { vaultId: session.vaultId, blobId });
  const sha256 = createSha256();
  await target.write(sealer.header, 0, sealer.header.length, 0);
  let position = sealer.header.length;
  let pendingWrite: Promise<unknown> = Promise.resolve();
  let done = 0;
  let current = new Uint8Array(BATCH_BYTES);
  let spare = new Uint8Array(BATCH_BYTES);
  try {
    let currentLength = await readFull(source, current);
    for (;;) {
      if (options.signal?.aborted) throw new VaultError('CANCELLED', 'media intake was cancelled');
      const nextRead = currentLength === BATCH_BYTES ? readFull(source, spare) : Promise.resolve(0);
      const block = current.subarray(0, currentLength);
      sha256.update(block);
      const chunkCount = Math.max(1, Math.ceil(currentLength / BLOB_CHUNK_BYTES));
      const sealed: Uint8Array[] = [];
      let nextLength = 0;
      for (let index = 0; index < chunkCount; index += 1) {
        const chunk = block.subarray(index * BLOB_CHUNK_BYTES, (index + 1) * BLOB_CHUNK_BYTES);
        const isLastOfBlock = index === chunkCount - 1;
        // Whether the file ends here is known only once the next read returns.
        if (isLastOfBlock) nextLength = await nextRead;
        sealed.push(sealer.sealChunk(chunk, isLastOfBlock && nextLength === 0));
      }
      const batch = Buffer.concat(sealed);
      await pendingWrite;
      pendingWrite = target.write(batch, 0, batch.length, position);
      position += batch.length;
      done += currentLength;
      options.onProgress?.({ done, total: expectedSize, phase: 'encrypting' });
      if (nextLength === 0) break;
      [current, spare] = [spare, current];
      currentLength = nextLength;
    }
    await pendingWrite;
  } finally {
    // Never leave a write running into a file the caller is about to close or delete.
    await pendingWrite.catch(() => undefined);
  }
  return { sha256Hex: sha256.digestHex(), sizeBytes: done, sealedSize: position };
}

/**
 * Streams a file into the vault: SHA-256 of the original and secretstream encryption in one pass,
 * 64 KiB at a time (flat memory), into a temp file that is fsynced and renamed before the DB row
 * commits. A crash leaves either nothing or an orphan that the next open sweeps away.
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
