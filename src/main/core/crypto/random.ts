import { sodium } from './sodium.js';

export function randomBytes(length: number): Uint8Array {
  return sodium().randombytes_buf(length);
}

/** 128-bit random identifier, hex. Used for vault, record, blob and slot ids so names leak nothing. */
export function randomId(): string {
  return sodium().to_hex(randomBytes(16));
}
