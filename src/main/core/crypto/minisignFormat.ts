import { MinisignError } from './MinisignError.js';
import { decodeBase64NoPad, encodeBase64NoPad } from './ageFormat.js';

/**
 * The minisign public-key and signature file formats (https://jedisct1.github.io/minisign/),
 * parsed strictly. Pure TypeScript, shared by the Node verifier and the offline viewer.
 * Only prehashed Ed25519 signatures ("ED", BLAKE2b-512 of the file) are produced and accepted.
 */
export type MinisignPublicKey = { keyId: Uint8Array; publicKey: Uint8Array };
export type MinisignSignature = { keyId: Uint8Array; signature: Uint8Array; trustedComment: string; globalSignature: Uint8Array };

const KEY_ALGORITHM = [0x45, 0x64]; // "Ed"
const PREHASHED_ALGORITHM = [0x45, 0x44]; // "ED"
const MAX_COMMENT_CHARS = 1024;

export function encodeBase64(bytes: Uint8Array): string {
  const bare = encodeBase64NoPad(bytes);
  return bare + '='.repeat((4 - (bare.length % 4)) % 4);
}

/** Canonical padded base64 only. */
export function decodeBase64(text: string): Uint8Array | null {
  if (text.length % 4 !== 0) return null;
  const bare = text.replace(/={1,2}$/, '');
  if (bare.includes('=')) return null;
  const bytes = decodeBase64NoPad(bare);
  if (!bytes || encodeBase64(bytes) !== text) return null;
  return bytes;
}

function startsWith(bytes: Uint8Array, prefix: readonly number[]): boolean {
  return prefix.every((byte, i) => bytes[i] === byte);
}

/** minisign shows a key id as the little-endian 64-bit number in upper-case hex. */
export function minisignKeyIdHex(keyId: Uint8Array): string {
  return [...keyId].reverse().map((byte) => byte.toString(16).padStart(2, '0')).join('').toUpperCase();
}

function concat(...parts: (Uint8Array | readonly number[])[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((total, part) => total + part.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

/** The one-line base64 form (`RW…`) that `minisign -P` takes. */
export function minisignPublicKeyBase64(key: MinisignPublicKey): string {
  return encodeBase64(concat(KEY_ALGORITHM, key.keyId, key.publicKey));
}

/** The two-line `.pub` file that `minisign -p file` reads. */
export function formatMinisignPublicKeyFile(key: MinisignPublicKey): string {
  return `untrusted comment: minisign public key ${minisignKeyIdHex(key.keyId)}\n${minisignPublicKeyBase64(key)}\n`;
}

/** Accepts a `.pub` file's text or the bare `RW…` line. */
export function parseMinisignPublicKey(text: string): MinisignPublicKey {
  const lines = text.replace(/\n$/, '').split('\n');
  let keyLine: string | undefined;
  if (lines.length === 1) keyLine = lines[0]?.trim();
  else if (lines.length === 2 && lines[0]?.startsWith('untrusted comment: ')) keyLine = lines[1];
  const bytes = keyLine ? decodeBase64(keyLine) : null;
  if (!bytes || bytes.length !== 42 || !startsWith(bytes, KEY_ALGORITHM)) {
    throw new MinisignError('SIGNER_KEY_MALFORMED', 'not a minisign Ed25519 public key');
  }
  return { keyId: bytes.slice(2, 10), publicKey: bytes.slice(10, 42) };
}

function isCommentText(text: string): boolean {
  // A control character (a newline above all) would let a comment forge the next line of the file.
  return text.length <= MAX_COMMENT_CHARS && ![...text].some((char) => char.charCodeAt(0) < 0x20 || char.charCodeAt(0) === 0x7f);
}

export function formatMinisignSignature(parts: MinisignSignature & { untrustedComment: string }): string {
  if (!isCommentText(parts.trustedComment) || !isCommentText(parts.untrustedComment)) throw new MinisignError('SIGNATURE_MALFORMED', 'a minisign comment must be one line of printable text');
  return [
    `untrusted comment: ${parts.untrustedComment}`,
    encodeBase64(concat(PREHASHED_ALGORITHM, parts.keyId, parts.signature)),
    `trusted comment: ${parts.trustedComment}`,
    encodeBase64(parts.globalSignature),
    '',
  ].join('\n');
}

/** Parses a `.minisig` file: four lines exactly as minisign writes them. */
export function parseMinisignSignature(text: string): MinisignSignature {
  const lines = text.split('\n');
  if (lines.length === 5 && lines[4] === '') lines.pop();
  const [untrusted, signatureLine, trusted, globalLine] = lines;
  if (lines.length !== 4 || !untrusted?.startsWith('untrusted comment: ') || !trusted?.startsWith('trusted comment: ')) {
    throw new MinisignError('SIGNATURE_MALFORMED', 'the signature file is not in minisign format');
  }
  const trustedComment = trusted.slice('trusted comment: '.length);
  if (!isCommentText(trustedComment) || !isCommentText(untrusted)) throw new MinisignError('SIGNATURE_MALFORMED', 'a signature comment holds control characters or is too long');
  const signatureBytes = signatureLine ? decodeBase64(signatureLine) : null;
  const globalSignature = globalLine ? decodeBase64(globalLine) : null;
  if (!signatureBytes || signatureBytes.length !== 74 || !globalSignature || globalSignature.length !== 64) {
    throw new MinisignError('SIGNATURE_MALFORMED', 'the signature file has a malformed signature line');
  }
  if (!startsWith(signatureBytes, PREHASHED_ALGORITHM)) throw new MinisignError('SIGNATURE_MALFORMED', 'only prehashed (ED) minisign signatures are accepted');
  return { keyId: signatureBytes.slice(2, 10), signature: signatureBytes.slice(10), trustedComment, globalSignature };
}

/** What the global signature covers: the signature followed by the trusted comment's UTF-8 bytes. */
export function minisignGlobalMessage(signature: Uint8Array, trustedComment: string): Uint8Array {
  return concat(signature, new TextEncoder().encode(trustedComment));
}

export function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((byte, i) => byte === b[i]);
}
