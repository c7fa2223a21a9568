import { VaultError } from '../errors.js';
import type { SecretKey } from './secretTypes.js';
import { sodium } from './sodium.js';

/** Plaintext bytes per secretstream message. */
export const BLOB_CHUNK_BYTES = 64 * 1024;
const MAGIC = new Uint8Array([0x54, 0x56, 0x42, 0x31]); // "TVB1"
export const BLOB_HEADER_BYTES = MAGIC.length + 24;
export const BLOB_CHUNK_OVERHEAD = 17;
export const BLOB_SEALED_CHUNK_BYTES = BLOB_CHUNK_BYTES + BLOB_CHUNK_OVERHEAD;

export type BlobContext = { vaultId: string; blobId: string };

function blobAad(context: BlobContext): Uint8Array {
  return new TextEncoder().encode(JSON.stringify(['tvault-blob', 1, context.vaultId, context.blobId]));
}

/** Size of the sealed file for a plaintext of `plainSize` bytes (one final chunk, possibly empty). */
export function sealedBlobSize(plainSize: number): number {
  const chunks = Math.max(1, Math.ceil(plainSize / BLOB_CHUNK_BYTES) + (plainSize % BLOB_CHUNK_BYTES === 0 && plainSize > 0 ? 1 : 0));
  return BLOB_HEADER_BYTES + plainSize + chunks * BLOB_CHUNK_OVERHEAD;
}

/**
 * Encrypts a blob as a libsodium secretstream. Callers feed whole 64 KiB chunks and mark the
 * last one final; a final empty chunk is valid and is what a file of size 0 or k*64 KiB ends with.
 */
export class BlobSealer {
  private readonly state: ReturnType<ReturnType<typeof sodium>['crypto_secretstream_xchacha20poly1305_init_push']>['state'];
  private readonly aad: Uint8Array;
  private finished = false;
  readonly header: Uint8Array;

  constructor(key: SecretKey, context: BlobContext) {
    const s = sodium();
    const init = s.crypto_secretstream_xchacha20poly1305_init_push(key);
    this.state = init.state;
    this.aad = blobAad(context);
    this.header = new Uint8Array(BLOB_HEADER_BYTES);
    this.header.set(MAGIC, 0);
    this.header.set(init.header, MAGIC.length);
  }

  sealChunk(plainChunk: Uint8Array, isFinal: boolean): Uint8Array {
    if (this.finished) throw new Error('blob already finished');
    if (plainChunk.length > BLOB_CHUNK_BYTES) throw new Error('blob chunk too large');
    if (!isFinal && plainChunk.length !== BLOB_CHUNK_BYTES) throw new Error('only the final blob chunk may be short');
    const s = sodium();
    const tag = isFinal ? s.crypto_secretstream_xchacha20poly1305_TAG_FINAL : s.crypto_secretstream_xchacha20poly1305_TAG_MESSAGE;
    this.finished = isFinal;
    return s.crypto_secretstream_xchacha20poly1305_push(this.state, plainChunk, this.aad, tag);
  }
}

/**
 * Decrypts a secretstream blob chunk by chunk. `pull` in libsodium-wrappers returns false on
 * failure instead of throwing, so every result is checked; the final tag must be seen exactly once
 * and must be the last thing in the file.
 */
export class BlobOpener {
  private readonly state: ReturnType<ReturnType<typeof sodium>['crypto_secretstream_xchacha20poly1305_init_pull']>;
  private readonly aad: Uint8Array;
  private sawFinal = false;
  private chunkIndex = 0;

  constructor(key: SecretKey, header: Uint8Array, context: BlobContext) {
    if (header.length !== BLOB_HEADER_BYTES || !MAGIC.every((byte, i) => header[i] === byte)) {
      throw new VaultError('AUTH_FAILED', `blob ${context.blobId} has a bad header`);
    }
    const s = sodium();
    try {
      this.state = s.crypto_secretstream_xchacha20poly1305_init_pull(header.subarray(MAGIC.length), key);
    } catch (cause) {
      throw new VaultError('AUTH_FAILED', `blob ${context.blobId} has a bad header`, { cause });
    }
    this.aad = blobAad(context);
  }

  openChunk(sealedChunk: Uint8Array): Uint8Array {
    if (this.sawFinal) throw new VaultError('STREAM_TRAILING_DATA', 'blob has data after its final chunk');
    const s = sodium();
    const result = s.crypto_secretstream_xchacha20poly1305_pull(this.state, sealedChunk, this.aad) as
      | { message: Uint8Array; tag: number }
      | false;
    if (!result) throw new VaultError('AUTH_FAILED', `blob chunk ${this.chunkIndex} failed authentication`);
    this.chunkIndex += 1;
    if (result.tag === s.crypto_secretstream_xchacha20poly1305_TAG_FINAL) this.sawFinal = true;
    else if (result.tag !== s.crypto_secretstream_xchacha20poly1305_TAG_MESSAGE) {
      throw new VaultError('AUTH_FAILED', `blob chunk ${this.chunkIndex} has an unexpected tag`);
    }
    return result.message;
  }

  /** Call at end of input: a stream that never reached TAG_FINAL was truncated. */
  finish(): void {
    if (!this.sawFinal) throw new VaultError('STREAM_TRUNCATED', 'blob ends before its final chunk (truncated)');
  }
}
