import { randomFillSync } from 'node:crypto';
import { sodium } from './sodium.js';

/**
 * Bytes from the OS-seeded CSPRNG, in one call. libsodium-wrappers' randombytes_buf asks Node for
 * 4 bytes at a time (a fifth of the time of a testimony import went there).
 */
export function randomBytes(length: number): Uint8Array {
  return randomFillSync(new Uint8Array(length));
}

/** 128-bit random identifier, hex. Used for vault, record, blob and slot ids so names leak nothing. */
export function randomId(): string {
  return sodium().to_hex(randomBytes(16));
}
