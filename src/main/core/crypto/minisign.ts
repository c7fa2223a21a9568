import { MinisignError } from './MinisignError.js';
import {
  formatMinisignSignature, minisignGlobalMessage, minisignKeyIdHex, parseMinisignSignature, sameBytes, type MinisignPublicKey,
} from './minisignFormat.js';
import type { SecretKey } from './secretTypes.js';
import { sodium } from './sodium.js';

const KEY_ID_CONTEXT = new TextEncoder().encode('tvault-minisign-key-id\0');

/**
 * The vault signing key as a minisign key. minisign key ids are normally random; ours is derived
 * from the public key so `tvault identity --minisign-pub` prints the same file every time.
 */
export function minisignKeyOf(signingPublicKey: Uint8Array): MinisignPublicKey {
  const message = new Uint8Array(KEY_ID_CONTEXT.length + signingPublicKey.length);
  message.set(KEY_ID_CONTEXT, 0);
  message.set(signingPublicKey, KEY_ID_CONTEXT.length);
  return { keyId: sodium().crypto_generichash(32, message, null).slice(0, 8), publicKey: new Uint8Array(signingPublicKey) };
}

function prehash(message: Uint8Array): Uint8Array {
  return sodium().crypto_generichash(64, message, null);
}

/**
 * Signs a bundle manifest with the vault's Ed25519 key in minisign format, so a lawyer can check it
 * with `minisign -Vm manifest.json -p exporter.pub`. The trusted comment is signed too.
 */
export function signManifest(signingSecretKey: SecretKey, signingPublicKey: Uint8Array, manifest: Uint8Array, trustedComment: string): string {
  const key = minisignKeyOf(signingPublicKey);
  const signature = sodium().crypto_sign_detached(prehash(manifest), signingSecretKey);
  const globalSignature = sodium().crypto_sign_detached(minisignGlobalMessage(signature, trustedComment), signingSecretKey);
  return formatMinisignSignature({ keyId: key.keyId, signature, trustedComment, globalSignature, untrustedComment: `signature from Testimony Vault key ${minisignKeyIdHex(key.keyId)}` });
}

function verifyEd25519(publicKey: Uint8Array, message: Uint8Array, signature: Uint8Array): boolean {
  try {
    return sodium().crypto_sign_verify_detached(signature, message, publicKey);
  } catch {
    return false;
  }
}

/**
 * Checks a minisign signature of `message` by `key`, including the signed trusted comment, which
 * it returns. Throws SIGNER_KEY_MISMATCH when the signature names another key.
 */
export function verifyManifestSignature(key: MinisignPublicKey, signatureText: string, message: Uint8Array): { trustedComment: string } {
  const parsed = parseMinisignSignature(signatureText);
  if (!sameBytes(parsed.keyId, key.keyId)) throw new MinisignError('SIGNER_KEY_MISMATCH', 'the signature was made by another key than the one named');
  if (!verifyEd25519(key.publicKey, prehash(message), parsed.signature)) throw new MinisignError('SIGNATURE_INVALID', 'the signature does not match the file');
  if (!verifyEd25519(key.publicKey, minisignGlobalMessage(parsed.signature, parsed.trustedComment), parsed.globalSignature)) {
    throw new MinisignError('SIGNATURE_INVALID', 'the trusted comment signature does not match');
  }
  return { trustedComment: parsed.trustedComment };
}
