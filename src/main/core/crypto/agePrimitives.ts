import { createCipheriv, createDecipheriv, createHmac, hkdfSync, scrypt } from 'node:crypto';
import { sodium } from './sodium.js';

/**
 * The primitives age v1 is built from. Native Node crypto for the bulk work (ChaCha20-Poly1305,
 * HKDF-SHA-256, HMAC, scrypt); libsodium for X25519, which refuses an all-zero shared secret.
 */
const encoder = new TextEncoder();

export function hkdfSha256(ikm: Uint8Array, salt: Uint8Array, info: string, length = 32): Uint8Array {
  return new Uint8Array(hkdfSync('sha256', ikm, salt, encoder.encode(info), length));
}

export function hmacSha256(key: Uint8Array, message: Uint8Array): Uint8Array {
  return new Uint8Array(createHmac('sha256', key).update(message).digest());
}

export function chachaSeal(key: Uint8Array, nonce: Uint8Array, plaintext: Uint8Array): Uint8Array {
  const cipher = createCipheriv('chacha20-poly1305', key, nonce, { authTagLength: 16 });
  const head = cipher.update(plaintext);
  const tail = cipher.final();
  const tag = cipher.getAuthTag();
  const out = new Uint8Array(head.length + tail.length + tag.length);
  out.set(head, 0);
  out.set(tail, head.length);
  out.set(tag, head.length + tail.length);
  return out;
}

/** Returns null when authentication fails (never partial plaintext). */
export function chachaOpen(key: Uint8Array, nonce: Uint8Array, sealed: Uint8Array): Uint8Array | null {
  if (sealed.length < 16) return null;
  const decipher = createDecipheriv('chacha20-poly1305', key, nonce, { authTagLength: 16 });
  decipher.setAuthTag(sealed.subarray(sealed.length - 16));
  try {
    const head = decipher.update(sealed.subarray(0, sealed.length - 16));
    const tail = decipher.final();
    if (tail.length === 0) return new Uint8Array(head.buffer, head.byteOffset, head.byteLength);
    const out = new Uint8Array(head.length + tail.length);
    out.set(head, 0);
    out.set(tail, head.length);
    return out;
  } catch {
    return null;
  }
}

export function scryptKey(passphrase: string, salt: Uint8Array, logN: number): Promise<Uint8Array> {
  const N = 2 ** logN;
  return new Promise((resolve, reject) => {
    scrypt(encoder.encode(passphrase), salt, 32, { N, r: 8, p: 1, maxmem: 128 * 8 * N + 16 * 1024 * 1024 }, (error, key) => {
      if (error) reject(error);
      else resolve(new Uint8Array(key));
    });
  });
}

/** X25519; null when the result is all zeros (a low-order point), which age must refuse. */
export function x25519(scalar: Uint8Array, point: Uint8Array): Uint8Array | null {
  try {
    return sodium().crypto_scalarmult(scalar, point);
  } catch {
    return null;
  }
}

export function x25519Base(scalar: Uint8Array): Uint8Array {
  return sodium().crypto_scalarmult_base(scalar);
}

export function randomBytesFor(length: number): Uint8Array {
  return sodium().randombytes_buf(length);
}

export function constantTimeEquals(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && sodium().memcmp(a, b);
}

export function wipe(bytes: Uint8Array): void {
  sodium().memzero(bytes);
}
