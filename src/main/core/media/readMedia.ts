import fs from 'node:fs';
import {
  BLOB_HEADER_BYTES, BLOB_SEALED_CHUNK_BYTES, BlobOpener, createSha256, unwrapKey, wipeKey,
} from '../crypto/index.js';
import { VaultError } from '../errors.js';
import type { ProgressListener } from '../platform.js';
import { listRecordIds, readRecord, requireRecord } from '../records/recordStore.js';
import { blobPath } from '../vault/vaultPaths.js';
import type { VaultSession } from '../vault/VaultSession.js';
import { removeQuietly } from './blobFiles.js';
import type { MediaFields, MediaView } from './mediaSchema.js';

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
 * Yields the decrypted bytes of a blob, 64 KiB at a time, authenticating each chunk before it is
 * yielded and refusing a missing final tag or trailing bytes at the end.
 */
export async function* openBlobChunks(session: VaultSession, blobId: string, onProgress?: ProgressListener): AsyncGenerator<Uint8Array> {
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
    const opener = new BlobOpener(key, header, { vaultId: session.vaultId, blobId });
    let position = BLOB_HEADER_BYTES;
    const buffer = new Uint8Array(BLOB_SEALED_CHUNK_BYTES);
    while (position < size) {
      const length = Math.min(BLOB_SEALED_CHUNK_BYTES, size - position);
      const read = await handle.read(buffer, 0, length, position);
      if (read.bytesRead !== length) throw new VaultError('IO_ERROR', `short read in blob ${blobId}`);
      position += length;
      yield opener.openChunk(buffer.subarray(0, length));
      onProgress?.({ done: position, total: size, phase: 'decrypting' });
    }
    opener.finish();
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
  const sha256 = createSha256();
  try {
    for await (const chunk of openBlobChunks(session, media.blobId, onProgress)) {
      sha256.update(chunk);
      await out.write(chunk);
    }
    await out.sync();
  } catch (error) {
    await out.close();
    removeQuietly(outPath);
    throw error;
  }
  await out.close();
  if (sha256.digestHex() !== media.sha256) {
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
