import { AgeError } from './AgeError.js';
import {
  AGE_CHUNK_BYTES, AGE_FILE_KEY_BYTES, AGE_PAYLOAD_NONCE_BYTES, ageChunkNonce, encodeAgeHeaderWithoutMac, encodeAgeMacLine,
  encodeBase64NoPad, type AgeStanza,
} from './ageFormat.js';
import type { AgeRecipient } from './ageKeys.js';
import { chachaSeal, hkdfSha256, hmacSha256, randomBytesFor, scryptKey, wipe, x25519, x25519Base } from './agePrimitives.js';

export type AgeEncryptTarget =
  | { kind: 'recipients'; recipients: readonly AgeRecipient[] }
  | { kind: 'passphrase'; passphrase: string; workFactor: number };

const X25519_LABEL = 'age-encryption.org/v1/X25519';
const SCRYPT_LABEL = new TextEncoder().encode('age-encryption.org/v1/scrypt');
const ZERO_NONCE = new Uint8Array(12);
/** Same ceiling as `age -d` and the viewer accept: a larger factor could not be opened by the lawyer. */
export const AGE_MAX_SCRYPT_WORK_FACTOR = 20;

function x25519Stanza(fileKey: Uint8Array, recipient: AgeRecipient): AgeStanza {
  const ephemeral = randomBytesFor(32);
  try {
    const share = x25519Base(ephemeral);
    const shared = x25519(ephemeral, recipient.publicKey);
    if (!shared) throw new AgeError('AGE_BAD_KEY', 'the age recipient is a low-order point');
    const salt = new Uint8Array(64);
    salt.set(share, 0);
    salt.set(recipient.publicKey, 32);
    const wrapKey = hkdfSha256(shared, salt, X25519_LABEL);
    wipe(shared);
    const body = chachaSeal(wrapKey, ZERO_NONCE, fileKey);
    wipe(wrapKey);
    return { args: ['X25519', encodeBase64NoPad(share)], body };
  } finally {
    wipe(ephemeral);
  }
}

async function scryptStanza(fileKey: Uint8Array, passphrase: string, workFactor: number): Promise<AgeStanza> {
  if (!Number.isInteger(workFactor) || workFactor < 10 || workFactor > AGE_MAX_SCRYPT_WORK_FACTOR) {
    throw new AgeError('AGE_BAD_SCRYPT', `the scrypt work factor must be an integer from 10 to ${AGE_MAX_SCRYPT_WORK_FACTOR}`);
  }
  const salt = randomBytesFor(16);
  const labelled = new Uint8Array(SCRYPT_LABEL.length + salt.length);
  labelled.set(SCRYPT_LABEL, 0);
  labelled.set(salt, SCRYPT_LABEL.length);
  const wrapKey = await scryptKey(passphrase, labelled, workFactor);
  const body = chachaSeal(wrapKey, ZERO_NONCE, fileKey);
  wipe(wrapKey);
  return { args: ['scrypt', encodeBase64NoPad(salt), String(workFactor)], body };
}

/**
 * Streaming age v1 encryption. `header` is written first; then every `push` returns the sealed
 * chunks that are complete, and `finish` returns the final chunk. At most one chunk of plaintext is
 * held, so a payload of any size passes through in constant memory.
 */
export class AgeEncryptor {
  private pending = new Uint8Array(AGE_CHUNK_BYTES);
  private pendingLength = 0;
  private counter = 0;
  private finished = false;

  private constructor(
    readonly header: Uint8Array,
    readonly stanzaTypes: string[],
    private readonly payloadKey: Uint8Array,
  ) {}

  static async create(target: AgeEncryptTarget): Promise<AgeEncryptor> {
    const fileKey = randomBytesFor(AGE_FILE_KEY_BYTES);
    try {
      let stanzas: AgeStanza[];
      if (target.kind === 'recipients') {
        if (target.recipients.length === 0) throw new AgeError('AGE_BAD_KEY', 'at least one recipient is needed');
        stanzas = target.recipients.map((recipient) => x25519Stanza(fileKey, recipient));
      } else {
        // The spec allows a scrypt stanza only on its own, so a passphrase excludes recipients.
        stanzas = [await scryptStanza(fileKey, target.passphrase, target.workFactor)];
      }
      const withoutMac = encodeAgeHeaderWithoutMac(stanzas);
      const macKey = hkdfSha256(fileKey, new Uint8Array(0), 'header');
      const macLine = encodeAgeMacLine(hmacSha256(macKey, withoutMac));
      wipe(macKey);
      const nonce = randomBytesFor(AGE_PAYLOAD_NONCE_BYTES);
      const header = new Uint8Array(withoutMac.length + macLine.length + nonce.length);
      header.set(withoutMac, 0);
      header.set(macLine, withoutMac.length);
      header.set(nonce, withoutMac.length + macLine.length);
      const payloadKey = hkdfSha256(fileKey, nonce, 'payload');
      return new AgeEncryptor(header, stanzas.map((stanza) => stanza.args[0] ?? ''), payloadKey);
    } finally {
      wipe(fileKey);
    }
  }

  private sealPending(last: boolean): Uint8Array {
    const sealed = chachaSeal(this.payloadKey, ageChunkNonce(this.counter, last), this.pending.subarray(0, this.pendingLength));
    this.counter += 1;
    this.pendingLength = 0;
    return sealed;
  }

  push(plaintext: Uint8Array): Uint8Array[] {
    if (this.finished) throw new Error('age stream already finished');
    const out: Uint8Array[] = [];
    let offset = 0;
    while (offset < plaintext.length) {
      // A full chunk is sealed only once more data arrives: the last chunk must carry the final flag.
      if (this.pendingLength === AGE_CHUNK_BYTES) out.push(this.sealPending(false));
      const take = Math.min(AGE_CHUNK_BYTES - this.pendingLength, plaintext.length - offset);
      this.pending.set(plaintext.subarray(offset, offset + take), this.pendingLength);
      this.pendingLength += take;
      offset += take;
    }
    return out;
  }

  finish(): Uint8Array {
    if (this.finished) throw new Error('age stream already finished');
    const last = this.sealPending(true);
    this.finished = true;
    wipe(this.payloadKey);
    wipe(this.pending);
    return last;
  }

  /** A copy of the payload key for a sealing worker (AgeSealWorker); this encryptor can no longer seal. */
  takePayloadKey(): Uint8Array {
    if (this.finished) throw new Error('age stream already finished');
    const key = this.payloadKey.slice();
    this.abort();
    return key;
  }

  /** Drops the key without writing a final chunk (an aborted export leaves an undecryptable stub). */
  abort(): void {
    this.finished = true;
    wipe(this.payloadKey);
    wipe(this.pending);
  }
}
