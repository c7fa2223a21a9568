import { AgeError } from './AgeError.js';
import { randomBytesFor, wipe, x25519, x25519Base } from './agePrimitives.js';
import { decodeBech32, encodeBech32 } from './bech32.js';
import { sha256Hex } from './hashing.js';
import type { SecretKey } from './secretTypes.js';

/** An `age1…` X25519 recipient: whom a bundle is encrypted to. */
export type AgeRecipient = { kind: 'x25519'; text: string; publicKey: Uint8Array };
/** An `AGE-SECRET-KEY-1…` identity, decoded; wipe with `wipeAgeKeys` when done. */
export type AgeIdentity = { kind: 'x25519'; secretKey: SecretKey; publicKey: Uint8Array };
/** A passphrase, with the largest scrypt work factor we agree to spend on it. */
export type AgePassphrase = { kind: 'scrypt'; passphrase: string; maxWorkFactor: number };
export type AgeDecryptionKey = AgeIdentity | AgePassphrase;

const RECIPIENT_HRP = 'age';
const IDENTITY_HRP = 'age-secret-key-';
const MAX_IDENTITIES = 100;

export function parseAgeRecipient(text: string): AgeRecipient {
  const trimmed = text.trim();
  const decoded = trimmed.startsWith('age1') ? decodeBech32(trimmed) : null;
  if (!decoded || decoded.hrp !== RECIPIENT_HRP || decoded.bytes.length !== 32 || trimmed !== trimmed.toLowerCase()) {
    throw new AgeError('AGE_BAD_KEY', 'not an age X25519 recipient (expected age1… in lower case)');
  }
  // A low-order point would give every sender the same all-zero shared secret.
  const probe = randomBytesFor(32);
  const shared = x25519(probe, decoded.bytes);
  wipe(probe);
  if (!shared) throw new AgeError('AGE_BAD_KEY', 'the age recipient is a low-order point');
  wipe(shared);
  return { kind: 'x25519', text: trimmed, publicKey: decoded.bytes };
}

function parseIdentityLine(line: string): AgeIdentity {
  const decoded = line.startsWith('AGE-SECRET-KEY-1') ? decodeBech32(line) : null;
  if (!decoded || decoded.hrp !== IDENTITY_HRP || decoded.bytes.length !== 32) {
    throw new AgeError('AGE_BAD_KEY', 'the identity file holds a line that is not an AGE-SECRET-KEY-1… identity');
  }
  const secretKey = decoded.bytes as SecretKey;
  return { kind: 'x25519', secretKey, publicKey: x25519Base(secretKey) };
}

/** Reads an age identity file: `#` comments, blank lines, and one identity per line. */
export function parseAgeIdentityFile(text: string): AgeIdentity[] {
  const identities: AgeIdentity[] = [];
  for (const rawLine of text.split('\n')) {
    const line = rawLine.replace(/\r$/, '').trim();
    if (line === '' || line.startsWith('#')) continue;
    if (identities.length >= MAX_IDENTITIES) throw new AgeError('AGE_BAD_KEY', `the identity file holds more than ${MAX_IDENTITIES} identities`);
    identities.push(parseIdentityLine(line));
  }
  if (identities.length === 0) throw new AgeError('AGE_BAD_KEY', 'the identity file holds no AGE-SECRET-KEY-1… identity');
  return identities;
}

export function ageRecipientOf(identity: AgeIdentity): string {
  return encodeBech32(RECIPIENT_HRP, identity.publicKey);
}

/** A new X25519 identity, in the same file format as `age-keygen`. */
export function generateAgeIdentity(now: Date): { identity: string; recipient: string; fileText: string } {
  const secret = randomBytesFor(32);
  const publicKey = x25519Base(secret);
  const identity = encodeBech32(IDENTITY_HRP, secret).toUpperCase();
  wipe(secret);
  const recipient = encodeBech32(RECIPIENT_HRP, publicKey);
  const fileText = `# created: ${now.toISOString().replace(/\.\d{3}Z$/, 'Z')}\n# public key: ${recipient}\n${identity}\n`;
  return { identity, recipient, fileText };
}

/** How a manifest names a recipient without listing it: `sha256:` of the `age1…` text (`printf %s age1… | sha256sum`). */
export function ageRecipientFingerprint(recipient: string): string {
  return `sha256:${sha256Hex(recipient)}`;
}

export function wipeAgeKeys(keys: readonly AgeDecryptionKey[]): void {
  for (const key of keys) if (key.kind === 'x25519') wipe(key.secretKey);
}
