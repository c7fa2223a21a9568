import { VaultError } from '../errors.js';
import type { SecretKey } from './secretTypes.js';
import { sodium } from './sodium.js';

export const KEY_BYTES = 32;

export function generateKey(): SecretKey {
  return sodium().crypto_aead_xchacha20poly1305_ietf_keygen() as SecretKey;
}

/** Zeroes key material in place; call on lock and whenever a key leaves scope. */
export function wipeKey(key: Uint8Array | null | undefined): void {
  if (key) sodium().memzero(key);
}

export function isAllZero(bytes: Uint8Array): boolean {
  let accumulator = 0;
  for (const byte of bytes) accumulator |= byte;
  return accumulator === 0;
}

/** Sub-keys for distinct purposes, so one master key never serves two algorithms. */
export type SubkeyPurpose = 'header-mac' | 'dedup-tag' | 'audit' | 'index-snapshot';
const SUBKEY_IDS: Record<SubkeyPurpose, number> = { 'header-mac': 1, 'dedup-tag': 2, audit: 3, 'index-snapshot': 4 };

export function deriveSubkey(masterKey: SecretKey, purpose: SubkeyPurpose): SecretKey {
  const subkey = sodium().crypto_kdf_derive_from_key(KEY_BYTES, SUBKEY_IDS[purpose], 'tvault01', masterKey) as SecretKey;
  if (isAllZero(subkey)) throw new VaultError('KDF_OUTPUT_REJECTED', 'derived key is all zero');
  return subkey;
}

/** Keyed BLAKE2b; used for the header MAC and for dedup tags that must not reveal the file hash. */
export function keyedDigest(key: SecretKey, message: Uint8Array | string): Uint8Array {
  return sodium().crypto_generichash(32, message, key);
}

export function constantTimeEqual(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && sodium().memcmp(a, b);
}

export function toBase64(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');
}

export function fromBase64(text: string): Uint8Array {
  return new Uint8Array(Buffer.from(text, 'base64'));
}
