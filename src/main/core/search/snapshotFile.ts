import fs from 'node:fs';
import path from 'node:path';
import { randomId, type SecretKey } from '../crypto/index.js';
import {
  IndexSnapshotOpener, sealIndexSnapshot, SNAPSHOT_HEADER_BYTES, SNAPSHOT_SEALED_CHUNK_BYTES, snapshotPlaintextSize,
} from '../crypto/indexSnapshotCipher.js';
import { VaultError } from '../errors.js';
import { fsyncDirectory, removeQuietly } from '../media/blobFiles.js';
import type { ProgressListener } from '../platform.js';

/** The sealed snapshot lives in the vault folder, next to vault.db; temp files carry a prefix the sweep knows. */
export const SNAPSHOT_FILE_NAME = 'index.snapshot';
const TEMP_PREFIX = '.index.snapshot.tmp-';

export function snapshotFilePath(vaultDir: string): string {
  return path.join(vaultDir, SNAPSHOT_FILE_NAME);
}

/** Removes half-written snapshot temp files (sealed, so harmless, but dead weight) left by a crash. */
export function sweepSnapshotTemps(vaultDir: string): number {
  let removed = 0;
  for (const name of fs.readdirSync(vaultDir)) {
    if (name.startsWith(TEMP_PREFIX)) {
      removeQuietly(path.join(vaultDir, name));
      removed += 1;
    }
  }
  return removed;
}

async function writeFully(handle: fs.promises.FileHandle, bytes: Uint8Array): Promise<void> {
  let written = 0;
  while (written < bytes.length) {
    const { bytesWritten } = await handle.write(bytes, written, bytes.length - written);
    written += bytesWritten;
  }
}

/**
 * Seals `plaintext` (a serialized index) into `<vault>/index.snapshot`: written to a temp name in
 * the same folder, fsynced, renamed over the old snapshot, and the folder fsynced. Only sealed bytes
 * are ever written. Returns the snapshot's size in bytes.
 */
export async function writeSnapshotFile(vaultDir: string, masterKey: SecretKey, vaultId: string, plaintext: Uint8Array, onProgress?: ProgressListener): Promise<number> {
  const tempPath = path.join(vaultDir, `${TEMP_PREFIX}${randomId()}`);
  const handle = await fs.promises.open(tempPath, 'wx', 0o600);
  let size = 0;
  try {
    for (const sealed of sealIndexSnapshot(masterKey, { vaultId }, plaintext)) {
      await writeFully(handle, sealed);
      size += sealed.length;
      onProgress?.({ done: Math.min(size, plaintext.length), total: plaintext.length, phase: 'search.snapshot.write' });
    }
    await handle.sync();
    await handle.close();
    await fs.promises.rename(tempPath, snapshotFilePath(vaultDir));
    fsyncDirectory(vaultDir);
    return size;
  } catch (error) {
    await handle.close().catch(() => undefined);
    removeQuietly(tempPath);
    throw error;
  }
}

/**
 * Reads and opens `<vault>/index.snapshot` into one buffer (plaintext: the caller must wipe it).
 * FILE_NOT_FOUND when there is none; AUTH_FAILED, STREAM_TRUNCATED, STREAM_TRAILING_DATA or
 * VAULT_CORRUPT when it is damaged, truncated or sealed by another vault.
 */
export async function readSnapshotFile(vaultDir: string, masterKey: SecretKey, vaultId: string, onProgress?: ProgressListener): Promise<Buffer> {
  let handle: fs.promises.FileHandle;
  try {
    handle = await fs.promises.open(snapshotFilePath(vaultDir), 'r');
  } catch (cause) {
    throw new VaultError('FILE_NOT_FOUND', 'there is no search index snapshot', { cause });
  }
  let plaintext: Buffer | undefined;
  let pendingRead: Promise<{ bytesRead: number }> | null = null;
  try {
    const { size } = await handle.stat();
    const plainSize = snapshotPlaintextSize(size);
    if (plainSize === null) throw new VaultError('STREAM_TRUNCATED', 'the search index snapshot is too short (truncated)');
    const header = new Uint8Array(SNAPSHOT_HEADER_BYTES);
    if ((await handle.read(header, 0, header.length, 0)).bytesRead !== header.length) throw new VaultError('STREAM_TRUNCATED', 'the search index snapshot is truncated');
    const opener = new IndexSnapshotOpener(masterKey, header, { vaultId });
    // Not zero-filled first: every byte is written below, and the buffer is wiped on any failure.
    plaintext = Buffer.allocUnsafeSlow(plainSize);
    // Two read buffers: the next chunk is read while this one is opened.
    let current = new Uint8Array(SNAPSHOT_SEALED_CHUNK_BYTES);
    let spare = new Uint8Array(SNAPSHOT_SEALED_CHUNK_BYTES);
    const readAt = (buffer: Uint8Array, from: number) => handle.read(buffer, 0, Math.min(buffer.length, size - from), from);
    let position = SNAPSHOT_HEADER_BYTES;
    let filled = 0;
    pendingRead = position < size ? readAt(current, position) : null;
    while (pendingRead) {
      const { bytesRead } = await pendingRead;
      pendingRead = null;
      if (bytesRead === 0) break;
      position += bytesRead;
      // `spare` now holds the chunk just read; the next read goes into the other buffer.
      [current, spare] = [spare, current];
      if (position < size) pendingRead = readAt(current, position);
      const chunk = opener.openChunk(spare.subarray(0, bytesRead), position === size);
      if (filled + chunk.length > plainSize) throw new VaultError('VAULT_CORRUPT', 'the search index snapshot is longer than its chunks say');
      plaintext.set(chunk, filled);
      filled += chunk.length;
      chunk.fill(0);
      onProgress?.({ done: filled, total: plainSize, phase: 'search.snapshot.read' });
    }
    opener.finish();
    if (filled !== plainSize) throw new VaultError('STREAM_TRUNCATED', 'the search index snapshot is truncated');
    return plaintext;
  } catch (error) {
    plaintext?.fill(0);
    throw error;
  } finally {
    // Never close the file under a read still running.
    await pendingRead?.catch(() => undefined);
    await handle.close();
  }
}
