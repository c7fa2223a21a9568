import fs from 'node:fs';
import path from 'node:path';
import {
  BLOB_CHUNK_BYTES, BlobSealer, createSha256, generateKey, keyedDigest, randomId, wipeKey, wrapKey,
} from '../crypto/index.js';
import { appendAuditEntry } from '../audit/auditLog.js';
import { VaultError } from '../errors.js';
import type { ProgressListener } from '../platform.js';
import { createRecord, requireRecord } from '../records/recordStore.js';
import { BLOB_TEMP_PREFIX, blobPath } from '../vault/vaultPaths.js';
import type { VaultSession } from '../vault/VaultSession.js';
import { fsyncDirectory, removeQuietly } from './blobFiles.js';
import { guessMimeType, type MediaView } from './mediaSchema.js';

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
    throw new VaultError('IO_ERROR', `cannot read ${sourcePath}: ${(cause as NodeJS.ErrnoException).code ?? 'read error'}`, { cause });
  }
  let target: fs.promises.FileHandle | undefined;
  try {
    target = await fs.promises.open(tempPath, 'wx', 0o600);
    const sealer = new BlobSealer(blobKey, { vaultId: session.vaultId, blobId });
    const sha256 = createSha256();
    await target.write(sealer.header);
    let sealedSize = sealer.header.length;
    let done = 0;
    // Double buffering: the next read is in flight while this chunk is hashed, sealed and written.
    let current = new Uint8Array(BLOB_CHUNK_BYTES);
    let next = new Uint8Array(BLOB_CHUNK_BYTES);
    let currentLength = await readFull(source, current);
    for (;;) {
      if (options.signal?.aborted) throw new VaultError('CANCELLED', 'media intake was cancelled');
      const nextRead = currentLength === BLOB_CHUNK_BYTES ? readFull(source, next) : Promise.resolve(0);
      const nextLength = await (async () => {
        const chunk = current.subarray(0, currentLength);
        sha256.update(chunk);
        // The stream is final when this chunk is short, or full and followed by nothing.
        const pendingLength = await nextRead;
        const sealed = sealer.sealChunk(chunk, pendingLength === 0);
        await target.write(sealed);
        sealedSize += sealed.length;
        return pendingLength;
      })();
      done += currentLength;
      options.onProgress?.({ done, total: stat.size, phase: 'encrypting' });
      if (nextLength === 0) break;
      [current, next] = [next, current];
      currentLength = nextLength;
    }
    await target.sync();
    await target.close();
    target = undefined;

    const sha256Hex = sha256.digestHex();
    const dedupTag = keyedDigest(session.key('dedupKey'), sha256Hex);
    const existing = session.db.prepare('SELECT blob_id FROM blobs WHERE dedup_tag = ?').get(dedupTag) as { blob_id: string } | undefined;
    const storedBlobId = existing ? existing.blob_id : blobId;
    if (existing) {
      removeQuietly(tempPath);
    } else {
      await fs.promises.rename(tempPath, blobPath(session.paths, blobId));
      fsyncDirectory(session.paths.blobDir);
    }
    const mediaId = randomId();
    const fields = {
      testimonyId,
      blobId: storedBlobId,
      originalName: path.basename(sourcePath),
      mimeType: guessMimeType(sourcePath),
      sizeBytes: done,
      sha256: sha256Hex,
      intakeAt: session.platform.now().toISOString(),
      custodian: options.custodian,
    };
    const commit = session.db.transaction(() => {
      requireRecord(session, testimonyId, 'testimony');
      if (!existing) {
        const wrapped = wrapKey(session.key('masterKey'), blobKey, { vaultId: session.vaultId, purpose: 'blob', ownerId: blobId });
        session.db.prepare('INSERT INTO blobs (blob_id, dedup_tag, wrapped_key, sealed_size) VALUES (?, ?, ?, ?)').run(blobId, dedupTag, wrapped, sealedSize);
      }
      createRecord(session, 'media', fields, mediaId);
      session.db.prepare('INSERT INTO record_blobs (record_id, blob_id) VALUES (?, ?)').run(mediaId, storedBlobId);
      appendAuditEntry(session, { action: 'media.attach', recordId: mediaId, version: 1, details: { testimonyId, deduplicated: Boolean(existing) } });
    });
    try {
      commit();
    } catch (error) {
      if (!existing) removeQuietly(blobPath(session.paths, blobId));
      throw error;
    }
    session.platform.logger.info('media.intake', { bytes: done, deduplicated: Boolean(existing) });
    return { ...fields, id: mediaId, deduplicated: Boolean(existing) };
  } catch (error) {
    await target?.close().catch(() => undefined);
    removeQuietly(tempPath);
    throw error;
  } finally {
    wipeKey(blobKey);
    await source.close();
  }
}
