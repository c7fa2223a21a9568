import { createCipheriv, createDecipheriv } from 'node:crypto';
import { VaultError } from '../errors.js';
import { deriveSubkey, keyedDigest, wipeKey } from './keys.js';
import { randomBytes } from './random.js';
import type { SecretKey } from './secretTypes.js';

/**
 * Sealing of the search-index snapshot, a single large buffer (hundreds of MiB at 100k
 * testimonies) that must be opened within the unlock time budget. It is the STREAM construction
 * (as in age): ChaCha20-Poly1305 (IETF), in 1 MiB chunks, nonce = 88-bit big-endian chunk counter
 * followed by a last-chunk flag byte, so a reordered, dropped, duplicated, truncated or extended
 * stream fails. The chunk cipher is Node's native one (the libsodium WASM secretstream opens about
 * half as fast here; docs/SEARCH.md has the figures). The key is fresh for each snapshot:
 * keyed BLAKE2b, under the master key's 'index-snapshot' sub-key, of a random 32-byte salt stored in
 * the header. Every chunk's AAD binds the format and the vault id.
 *
 * Layout: "TVS2" ‖ salt(32) ‖ chunk₀ ‖ … ‖ chunkₙ, each chunk = ciphertext ‖ tag(16).
 */
export const SNAPSHOT_CHUNK_BYTES = 1024 * 1024;
const MAGIC = new Uint8Array([0x54, 0x56, 0x53, 0x32]); // "TVS2"
const SALT_BYTES = 32;
const TAG_BYTES = 16;
export const SNAPSHOT_HEADER_BYTES = MAGIC.length + SALT_BYTES;
export const SNAPSHOT_SEALED_CHUNK_BYTES = SNAPSHOT_CHUNK_BYTES + TAG_BYTES;

export type SnapshotContext = { vaultId: string };

function snapshotAad(context: SnapshotContext): Buffer {
  return Buffer.from(JSON.stringify(['tvault-index-snapshot', 2, context.vaultId]));
}

function streamKey(masterKey: SecretKey, salt: Uint8Array): SecretKey {
  const subkey = deriveSubkey(masterKey, 'index-snapshot');
  try {
    const message = new Uint8Array(SALT_BYTES + 16);
    message.set(new TextEncoder().encode('tvault-snapshot1'), 0);
    message.set(salt, 16);
    return keyedDigest(subkey, message) as SecretKey;
  } finally {
    wipeKey(subkey);
  }
}

function nonce(index: number, last: boolean): Buffer {
  const bytes = Buffer.alloc(12);
  bytes.writeUIntBE(index, 5, 6);
  bytes[11] = last ? 1 : 0;
  return bytes;
}

/** Plaintext length of a sealed snapshot of `sealedSize` bytes, or null if no snapshot has that size. */
export function snapshotPlaintextSize(sealedSize: number): number | null {
  const body = sealedSize - SNAPSHOT_HEADER_BYTES;
  if (body < TAG_BYTES) return null;
  const chunks = Math.ceil(body / SNAPSHOT_SEALED_CHUNK_BYTES);
  const plain = body - chunks * TAG_BYTES;
  return plain >= 0 ? plain : null;
}

/** Seals a whole snapshot, yielding the header and then each sealed chunk, to be written in order. */
export function* sealIndexSnapshot(masterKey: SecretKey, context: SnapshotContext, plaintext: Uint8Array): Generator<Uint8Array> {
  const salt = randomBytes(SALT_BYTES);
  const key = streamKey(masterKey, salt);
  try {
    const header = new Uint8Array(SNAPSHOT_HEADER_BYTES);
    header.set(MAGIC, 0);
    header.set(salt, MAGIC.length);
    yield header;
    const aad = snapshotAad(context);
    let offset = 0;
    let index = 0;
    do {
      const end = Math.min(plaintext.length, offset + SNAPSHOT_CHUNK_BYTES);
      const cipher = createCipheriv('chacha20-poly1305', key, nonce(index, end === plaintext.length), { authTagLength: TAG_BYTES });
      cipher.setAAD(aad, { plaintextLength: end - offset });
      const body = cipher.update(plaintext.subarray(offset, end));
      cipher.final();
      yield Buffer.concat([body, cipher.getAuthTag()]);
      offset = end;
      index += 1;
    } while (offset < plaintext.length);
  } finally {
    wipeKey(key);
  }
}

/**
 * Opens a sealed snapshot chunk by chunk; the caller says which chunk is the last (it ends the
 * file). A wrong key (another vault's snapshot), a flipped byte, a reordered, dropped, duplicated,
 * truncated or extended stream all fail with a VaultError before any of that chunk is returned.
 */
export class IndexSnapshotOpener {
  private readonly key: SecretKey;
  private readonly aad: Buffer;
  private index = 0;
  private sawLast = false;

  constructor(masterKey: SecretKey, header: Uint8Array, context: SnapshotContext) {
    if (header.length !== SNAPSHOT_HEADER_BYTES || !MAGIC.every((byte, i) => header[i] === byte)) {
      throw new VaultError('AUTH_FAILED', 'the search index snapshot has a bad header');
    }
    this.key = streamKey(masterKey, header.subarray(MAGIC.length));
    this.aad = snapshotAad(context);
  }

  openChunk(sealedChunk: Uint8Array, last: boolean): Buffer {
    if (this.sawLast) throw new VaultError('STREAM_TRAILING_DATA', 'the search index snapshot has data after its final chunk');
    if (sealedChunk.length < TAG_BYTES) throw new VaultError('STREAM_TRUNCATED', 'the search index snapshot is truncated');
    const decipher = createDecipheriv('chacha20-poly1305', this.key, nonce(this.index, last), { authTagLength: TAG_BYTES });
    decipher.setAAD(this.aad, { plaintextLength: sealedChunk.length - TAG_BYTES });
    decipher.setAuthTag(sealedChunk.subarray(sealedChunk.length - TAG_BYTES));
    const body = decipher.update(sealedChunk.subarray(0, sealedChunk.length - TAG_BYTES));
    try {
      decipher.final();
    } catch {
      body.fill(0);
      throw new VaultError('AUTH_FAILED', `the search index snapshot failed authentication at chunk ${this.index} (altered, truncated, or from another vault)`);
    }
    this.index += 1;
    this.sawLast = last;
    return body;
  }

  /** Call at the end of the file: a stream whose last chunk was never opened was cut short. */
  finish(): void {
    wipeKey(this.key);
    if (!this.sawLast) throw new VaultError('STREAM_TRUNCATED', 'the search index snapshot ends before its final chunk (truncated)');
  }
}
