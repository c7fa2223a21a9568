import type { SecretKey } from './secretTypes.js';
import { sodium } from './sodium.js';

export type SigningKeyPair = { publicKey: Uint8Array; secretKey: SecretKey };

export function generateSigningKeyPair(): SigningKeyPair {
  const pair = sodium().crypto_sign_keypair();
  return { publicKey: pair.publicKey, secretKey: pair.privateKey as SecretKey };
}

export function signDetached(secretKey: SecretKey, message: Uint8Array): Uint8Array {
  return sodium().crypto_sign_detached(message, secretKey);
}

export function verifyDetached(publicKey: Uint8Array, message: Uint8Array, signature: Uint8Array): boolean {
  if (publicKey.length !== 32 || signature.length !== 64) return false;
  try {
    return sodium().crypto_sign_verify_detached(signature, message, publicKey);
  } catch {
    return false;
  }
}
