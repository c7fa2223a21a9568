import fs from 'node:fs';
import path from 'node:path';
import {
  BLOB_CHUNK_BYTES, BlobSealer, createSha256, generateKey, randomId, wipeKey, wrapKey, type SecretKey, type Sha256Stream,
} from '../crypto/index.js';
import { BLOB_TEMP_PREFIX, blobPath } from '../vault/vaultPaths.js';
import type { VaultSession } from '../vault/VaultSession.js';
import { fsyncDirectory, removeQuietly } from './blobFiles.js';

export type WrittenBlob = { blobId: string; sha256: string; sizeBytes: number; sealedSize: number; wrappedKey: Uint8Array };

// Sealed chunks are written 16 at a time (about 1 MiB), so system calls do not dominate.
const CHUNKS_PER_WRITE = 16;

/**
 * Encrypts a stream of plaintext pieces of any size into a new vault blob, as intake does for a
 * file: secretstream in 64 KiB chunks under a fresh blob key, into a temp file in blobs/ that is
 * fsynced and renamed to its blob id by `finish()`. Only ciphertext reaches the disk. The caller
 * inserts the `blobs` row (with the wrapped key) in its own transaction; a crash before that
 * leaves an orphan the next open sweeps away.
 */
export class BlobWriter {
  private readonly pending = new Uint8Array(BLOB_CHUNK_BYTES);
  private pendingLength = 0;
  private readonly sealed: Uint8Array[] = [];
  private readonly hash: Sha256Stream = createSha256();
  private position = 0;
  private sizeBytes = 0;
  private closed = false;
  private renamed = false;

  private constructor(
    private readonly session: VaultSession,
    readonly blobId: string,
    private readonly key: SecretKey,
    private readonly sealer: BlobSealer,
    private readonly handle: fs.promises.FileHandle,
    private readonly tempPath: string,
  ) {}

  static async create(session: VaultSession): Promise<BlobWriter> {
    const blobId = randomId();
    const key = generateKey();
    const tempPath = path.join(session.paths.blobDir, `${BLOB_TEMP_PREFIX}${randomId()}`);
    let handle: fs.promises.FileHandle;
    try {
      handle = await fs.promises.open(tempPath, 'wx', 0o600);
    } catch (error) {
      wipeKey(key);
      throw error;
    }
    const writer = new BlobWriter(session, blobId, key, new BlobSealer(key, { vaultId: session.vaultId, blobId }), handle, tempPath);
    writer.sealed.push(writer.sealer.header);
    return writer;
  }

  async write(bytes: Uint8Array): Promise<void> {
    this.hash.update(bytes);
    this.sizeBytes += bytes.length;
    let offset = 0;
    while (offset < bytes.length) {
      const take = Math.min(BLOB_CHUNK_BYTES - this.pendingLength, bytes.length - offset);
      this.pending.set(bytes.subarray(offset, offset + take), this.pendingLength);
      this.pendingLength += take;
      offset += take;
      // A full chunk is sealed as not final; the stream then ends with a final chunk, empty if need be.
      if (this.pendingLength === BLOB_CHUNK_BYTES) {
        this.sealed.push(this.sealer.sealChunk(this.pending, false));
        this.pendingLength = 0;
        if (this.sealed.length >= CHUNKS_PER_WRITE) await this.flush();
      }
    }
  }

  private async flush(): Promise<void> {
    const batch = Buffer.concat(this.sealed.splice(0));
    let offset = 0;
    while (offset < batch.length) offset += (await this.handle.write(batch, offset, batch.length - offset, this.position + offset)).bytesWritten;
    this.position += batch.length;
  }

  /** Seals the last chunk, syncs, and renames the file to its blob id. The blob key leaves only wrapped. */
  async finish(): Promise<WrittenBlob> {
    this.sealed.push(this.sealer.sealChunk(this.pending.subarray(0, this.pendingLength), true));
    this.pending.fill(0);
    await this.flush();
    await this.handle.sync();
    await this.handle.close();
    this.closed = true;
    await fs.promises.rename(this.tempPath, blobPath(this.session.paths, this.blobId));
    this.renamed = true;
    fsyncDirectory(this.session.paths.blobDir);
    const wrappedKey = wrapKey(this.session.key('masterKey'), this.key, { vaultId: this.session.vaultId, purpose: 'blob', ownerId: this.blobId });
    wipeKey(this.key);
    return { blobId: this.blobId, sha256: this.hash.digestHex(), sizeBytes: this.sizeBytes, sealedSize: this.position, wrappedKey };
  }

  /** Removes the temp or renamed file; for a blob whose row was never committed. */
  async abort(): Promise<void> {
    this.pending.fill(0);
    wipeKey(this.key);
    if (!this.closed) {
      this.closed = true;
      await this.handle.close().catch(() => undefined);
    }
    removeQuietly(this.tempPath);
    if (this.renamed) removeQuietly(blobPath(this.session.paths, this.blobId));
  }
}
