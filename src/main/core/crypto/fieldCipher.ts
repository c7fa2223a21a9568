import { VaultError } from '../errors.js';
import type { FieldCiphertext, Plaintext, SecretKey, WrappedKey } from './secretTypes.js';
import { randomBytes } from './random.js';
import { sodium } from './sodium.js';

/** Bumped only with a migration; part of every AAD so ciphertexts cannot cross format versions. */
export const CIPHER_FORMAT_VERSION = 1;
const NONCE_BYTES = 24;

export type FieldContext = {
  vaultId: string;
  recordId: string;
  field: string;
  recordVersion: number;
};

export type WrapContext = {
  vaultId: string;
  /** What the wrapped key is for: 'master', 'record', 'blob', 'signing', ... */
  purpose: string;
  /** The slot, record or blob the key belongs to. */
  ownerId: string;
};

const encoder = new TextEncoder();

// JSON arrays give an unambiguous encoding of the tuple (no delimiter games between fields).
function fieldAad(context: FieldContext): Uint8Array {
  return encoder.encode(
    JSON.stringify(['tvault-field', CIPHER_FORMAT_VERSION, context.vaultId, context.recordId, context.field, context.recordVersion]),
  );
}

function wrapAad(context: WrapContext): Uint8Array {
  return encoder.encode(JSON.stringify(['tvault-wrap', CIPHER_FORMAT_VERSION, context.vaultId, context.purpose, context.ownerId]));
}

function seal(key: SecretKey, plaintext: Uint8Array, aad: Uint8Array): Uint8Array {
  const s = sodium();
  const nonce = randomBytes(NONCE_BYTES);
  const sealed = s.crypto_aead_xchacha20poly1305_ietf_encrypt(plaintext, aad, null, nonce, key);
  const out = new Uint8Array(1 + NONCE_BYTES + sealed.length);
  out[0] = CIPHER_FORMAT_VERSION;
  out.set(nonce, 1);
  out.set(sealed, 1 + NONCE_BYTES);
  return out;
}

function open(key: SecretKey, ciphertext: Uint8Array, aad: Uint8Array, what: string): Uint8Array {
  if (ciphertext.length < 1 + NONCE_BYTES + 16 || ciphertext[0] !== CIPHER_FORMAT_VERSION) {
    throw new VaultError('AUTH_FAILED', `${what} is malformed`);
  }
  const nonce = ciphertext.subarray(1, 1 + NONCE_BYTES);
  try {
    return sodium().crypto_aead_xchacha20poly1305_ietf_decrypt(null, ciphertext.subarray(1 + NONCE_BYTES), aad, nonce, key);
  } catch (cause) {
    throw new VaultError('AUTH_FAILED', `${what} failed authentication`, { cause });
  }
}

/** Encrypts one field of one record version under a fresh random nonce. */
export function sealField(recordKey: SecretKey, plaintext: Uint8Array | string, context: FieldContext): FieldCiphertext {
  const bytes = typeof plaintext === 'string' ? encoder.encode(plaintext) : plaintext;
  return seal(recordKey, bytes, fieldAad(context)) as FieldCiphertext;
}

export function openField(recordKey: SecretKey, ciphertext: Uint8Array, context: FieldContext): Plaintext {
  return open(recordKey, ciphertext, fieldAad(context), `field ${context.field} of record ${context.recordId} v${context.recordVersion}`) as Plaintext;
}

export function wrapKey(wrappingKey: SecretKey, keyToWrap: SecretKey, context: WrapContext): WrappedKey {
  return seal(wrappingKey, keyToWrap, wrapAad(context)) as WrappedKey;
}

export function unwrapKey(wrappingKey: SecretKey, wrapped: Uint8Array, context: WrapContext): SecretKey {
  return open(wrappingKey, wrapped, wrapAad(context), `${context.purpose} key of ${context.ownerId}`) as SecretKey;
}

/** The nonce of a sealed field; exposed for the nonce-uniqueness tests and for audits of stored data. */
export function nonceOf(ciphertext: Uint8Array): Uint8Array {
  return ciphertext.subarray(1, 1 + NONCE_BYTES);
}
