import { AgeError } from './AgeError.js';
import {
  AGE_FILE_KEY_BYTES, AGE_PAYLOAD_NONCE_BYTES, AGE_SEALED_CHUNK_BYTES, AGE_TAG_BYTES, ageChunkNonce, decodeBase64NoPad, parseAgeHeader,
  type AgeHeader, type AgeStanza,
} from './ageFormat.js';
import type { AgeDecryptionKey, AgeIdentity, AgePassphrase } from './ageKeys.js';
import { chachaOpen, constantTimeEquals, hkdfSha256, hmacSha256, scryptKey, wipe, x25519 } from './agePrimitives.js';

const X25519_LABEL = 'age-encryption.org/v1/X25519';
const SCRYPT_LABEL = new TextEncoder().encode('age-encryption.org/v1/scrypt');
const ZERO_NONCE = new Uint8Array(12);
const WRAPPED_KEY_BYTES = AGE_FILE_KEY_BYTES + AGE_TAG_BYTES;

type X25519Stanza = { share: Uint8Array; body: Uint8Array };
type ScryptStanza = { salt: Uint8Array; workFactor: number; body: Uint8Array };

/** Every X25519 and scrypt stanza is checked for form before any key is tried, so a malformed one is never skipped over. */
function classifyStanzas(stanzas: readonly AgeStanza[]): { x25519: X25519Stanza[]; scrypt: ScryptStanza | null } {
  const x25519Stanzas: X25519Stanza[] = [];
  let scrypt: ScryptStanza | null = null;
  for (const stanza of stanzas) {
    const [type, ...args] = stanza.args;
    if (type === 'X25519') {
      const share = args.length === 1 && args[0] !== undefined ? decodeBase64NoPad(args[0]) : null;
      if (!share || share.length !== 32 || stanza.body.length !== WRAPPED_KEY_BYTES) throw new AgeError('AGE_BAD_STANZA', 'an X25519 stanza is malformed');
      x25519Stanzas.push({ share, body: stanza.body });
    } else if (type === 'scrypt') {
      const salt = args.length === 2 && args[0] !== undefined ? decodeBase64NoPad(args[0]) : null;
      const workFactorText = args[1] ?? '';
      if (!salt || salt.length !== 16 || !/^[1-9][0-9]?$/.test(workFactorText) || stanza.body.length !== WRAPPED_KEY_BYTES) {
        throw new AgeError('AGE_BAD_STANZA', 'a scrypt stanza is malformed');
      }
      scrypt = { salt, workFactor: Number(workFactorText), body: stanza.body };
    }
  }
  if (scrypt && stanzas.length !== 1) throw new AgeError('AGE_BAD_SCRYPT', 'a passphrase (scrypt) stanza must be the only stanza');
  return { x25519: x25519Stanzas, scrypt };
}

function unwrapX25519(stanzas: readonly X25519Stanza[], identity: AgeIdentity): Uint8Array | null {
  for (const stanza of stanzas) {
    const shared = x25519(identity.secretKey, stanza.share);
    if (!shared) throw new AgeError('AGE_LOW_ORDER_POINT', 'an X25519 stanza uses a low-order share (all-zero shared secret)');
    const salt = new Uint8Array(64);
    salt.set(stanza.share, 0);
    salt.set(identity.publicKey, 32);
    const wrapKey = hkdfSha256(shared, salt, X25519_LABEL);
    wipe(shared);
    const fileKey = chachaOpen(wrapKey, ZERO_NONCE, stanza.body);
    wipe(wrapKey);
    if (fileKey) return fileKey;
  }
  return null;
}

async function unwrapScrypt(stanza: ScryptStanza, passphrase: AgePassphrase): Promise<Uint8Array | null> {
  if (stanza.workFactor > passphrase.maxWorkFactor) {
    throw new AgeError('AGE_BAD_SCRYPT', `the scrypt work factor ${stanza.workFactor} is above the accepted maximum ${passphrase.maxWorkFactor}`);
  }
  const labelled = new Uint8Array(SCRYPT_LABEL.length + stanza.salt.length);
  labelled.set(SCRYPT_LABEL, 0);
  labelled.set(stanza.salt, SCRYPT_LABEL.length);
  const wrapKey = await scryptKey(passphrase.passphrase, labelled, stanza.workFactor);
  const fileKey = chachaOpen(wrapKey, ZERO_NONCE, stanza.body);
  wipe(wrapKey);
  return fileKey;
}

/**
 * Parses the header at the start of `fileStart`, finds the file key with one of `keys`, checks the
 * header MAC, and returns a decryptor for the bytes that follow `header.length`.
 */
export async function openAgeHeader(fileStart: Uint8Array, keys: readonly AgeDecryptionKey[]): Promise<{ header: AgeHeader; decryptor: AgePayloadDecryptor }> {
  const header = parseAgeHeader(fileStart);
  const stanzas = classifyStanzas(header.stanzas);
  let fileKey: Uint8Array | null = null;
  if (stanzas.scrypt) {
    for (const key of keys) {
      if (key.kind === 'scrypt' && !fileKey) fileKey = await unwrapScrypt(stanzas.scrypt, key);
    }
  } else {
    for (const key of keys) {
      if (key.kind === 'x25519' && !fileKey) fileKey = unwrapX25519(stanzas.x25519, key);
    }
  }
  if (!fileKey) throw new AgeError('AGE_NO_IDENTITY_MATCHED', stanzas.scrypt ? 'wrong passphrase' : 'no identity matches any recipient of this file');
  try {
    const macKey = hkdfSha256(fileKey, new Uint8Array(0), 'header');
    const expected = hmacSha256(macKey, header.macInput);
    wipe(macKey);
    if (!constantTimeEquals(expected, header.mac)) throw new AgeError('AGE_HEADER_MAC', 'the age header MAC does not match (the header was altered)');
    return { header, decryptor: new AgePayloadDecryptor(fileKey) };
  } finally {
    wipe(fileKey);
  }
}

/**
 * Decrypts the STREAM payload strictly. A full chunk is opened only when more bytes follow it, so
 * the last chunk is always checked with the final flag; anything after it, a missing final chunk,
 * or an empty final chunk after data is refused.
 */
export class AgePayloadDecryptor {
  private readonly fileKey: Uint8Array;
  private payloadKey: Uint8Array | null = null;
  private readonly nonce = new Uint8Array(AGE_PAYLOAD_NONCE_BYTES);
  private nonceLength = 0;
  private readonly buffer = new Uint8Array(AGE_SEALED_CHUNK_BYTES * 2);
  private bufferLength = 0;
  private counter = 0;
  private done = false;
  /** Plaintext bytes returned so far. */
  plaintextBytes = 0;

  constructor(fileKey: Uint8Array) {
    this.fileKey = new Uint8Array(fileKey);
  }

  private openChunk(sealed: Uint8Array, last: boolean): Uint8Array | null {
    if (!this.payloadKey) throw new Error('payload key not derived');
    return chachaOpen(this.payloadKey, ageChunkNonce(this.counter, last), sealed);
  }

  private openMiddleChunk(): Uint8Array {
    const sealed = this.buffer.subarray(0, AGE_SEALED_CHUNK_BYTES);
    const plain = this.openChunk(sealed, false);
    if (!plain) {
      if (this.openChunk(sealed, true)) throw new AgeError('AGE_TRAILING_DATA', 'the age payload has data after its final chunk');
      throw new AgeError('AGE_CHUNK_AUTH', `age payload chunk ${this.counter} failed authentication`);
    }
    this.counter += 1;
    this.buffer.copyWithin(0, AGE_SEALED_CHUNK_BYTES, this.bufferLength);
    this.bufferLength -= AGE_SEALED_CHUNK_BYTES;
    this.plaintextBytes += plain.length;
    return plain;
  }

  push(bytes: Uint8Array): Uint8Array[] {
    if (this.done) throw new AgeError('AGE_TRAILING_DATA', 'the age payload has data after its final chunk');
    const out: Uint8Array[] = [];
    let offset = 0;
    if (this.nonceLength < AGE_PAYLOAD_NONCE_BYTES) {
      const take = Math.min(AGE_PAYLOAD_NONCE_BYTES - this.nonceLength, bytes.length);
      this.nonce.set(bytes.subarray(0, take), this.nonceLength);
      this.nonceLength += take;
      offset = take;
      if (this.nonceLength === AGE_PAYLOAD_NONCE_BYTES) {
        this.payloadKey = hkdfSha256(this.fileKey, this.nonce, 'payload');
        wipe(this.fileKey);
      }
    }
    while (offset < bytes.length) {
      const take = Math.min(this.buffer.length - this.bufferLength, bytes.length - offset);
      this.buffer.set(bytes.subarray(offset, offset + take), this.bufferLength);
      this.bufferLength += take;
      offset += take;
      while (this.bufferLength > AGE_SEALED_CHUNK_BYTES) out.push(this.openMiddleChunk());
    }
    return out;
  }

  /** Call at the end of the file: opens the final chunk. */
  finish(): Uint8Array {
    if (this.done) throw new Error('age payload already finished');
    this.done = true;
    try {
      if (this.nonceLength < AGE_PAYLOAD_NONCE_BYTES || this.bufferLength < AGE_TAG_BYTES) {
        throw new AgeError('AGE_TRUNCATED', 'the age payload ends before its final chunk (truncated)');
      }
      const sealed = this.buffer.subarray(0, this.bufferLength);
      const plain = this.openChunk(sealed, true);
      if (!plain) {
        if (this.openChunk(sealed, false)) throw new AgeError('AGE_TRUNCATED', 'the age payload has no final chunk (truncated)');
        throw new AgeError('AGE_CHUNK_AUTH', `age payload chunk ${this.counter} failed authentication`);
      }
      if (plain.length === 0 && this.counter > 0) throw new AgeError('AGE_EMPTY_FINAL_CHUNK', 'the age payload ends with an empty final chunk after data');
      this.plaintextBytes += plain.length;
      return plain;
    } finally {
      this.wipeKeys();
    }
  }

  /** Zeroes keys and buffered bytes; call when abandoning a stream. */
  wipeKeys(): void {
    this.done = true;
    wipe(this.fileKey);
    if (this.payloadKey) wipe(this.payloadKey);
    wipe(this.buffer);
  }
}
