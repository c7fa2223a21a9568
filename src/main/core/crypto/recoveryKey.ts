import { VaultError } from '../errors.js';
import { KEY_BYTES } from './keys.js';
import type { SecretKey } from './secretTypes.js';
import { sodium } from './sodium.js';

/**
 * A recovery key is 256 random bits written as 13 groups of Crockford base32 (4 data characters
 * and 1 check character each) plus a final group of 5 characters of BLAKE2b checksum:
 *   7K3QD-…-W2RZP  (14 groups, 70 characters)
 * Crockford's alphabet has no I, L, O or U, and reading is forgiving (i/l → 1, o → 0, any case),
 * so a handwritten copy survives; each group's check character points at the group with a typo.
 */
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const DATA_GROUPS = 13;
const CHARS_PER_GROUP = 4;
const CHECKSUM_CHARS = 5;

function toBase32(bytes: Uint8Array): string {
  let bits = 0;
  let value = 0;
  let out = '';
  for (const byte of bytes) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += ALPHABET[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += ALPHABET[(value << (5 - bits)) & 31];
  return out;
}

function fromBase32(text: string, byteLength: number): Uint8Array {
  const out = new Uint8Array(byteLength);
  let bits = 0;
  let value = 0;
  let index = 0;
  for (const char of text) {
    value = (value << 5) | ALPHABET.indexOf(char);
    bits += 5;
    if (bits >= 8) {
      if (index < byteLength) out[index] = (value >>> (bits - 8)) & 0xff;
      index += 1;
      bits -= 8;
    }
  }
  return out;
}

// Weighted sum modulo the prime 31: any single substitution and any swap of two neighbours changes it.
function groupCheck(group: string, groupIndex: number): string {
  let sum = groupIndex + 1;
  for (const [position, char] of [...group].entries()) sum += (position + 2) * ALPHABET.indexOf(char);
  return ALPHABET[sum % 31] as string;
}

function checksum(secret: Uint8Array): string {
  return toBase32(sodium().crypto_generichash(16, secret, null)).slice(0, CHECKSUM_CHARS);
}

export function generateRecoverySecret(): SecretKey {
  return sodium().randombytes_buf(KEY_BYTES) as SecretKey;
}

export function formatRecoveryKey(secret: SecretKey): string {
  const data = toBase32(secret); // 52 characters for 32 bytes
  const groups: string[] = [];
  for (let i = 0; i < DATA_GROUPS; i += 1) {
    const group = data.slice(i * CHARS_PER_GROUP, (i + 1) * CHARS_PER_GROUP);
    groups.push(group + groupCheck(group, i));
  }
  groups.push(checksum(secret));
  return groups.join('-');
}

function canonicalChar(char: string): string {
  const upper = char.toUpperCase();
  if (upper === 'O') return '0';
  if (upper === 'I' || upper === 'L') return '1';
  return upper;
}

/** Reads a typed or handwritten recovery key; a typo is named by group, never silently accepted. */
export function parseRecoveryKey(text: string): SecretKey {
  const characters = [...text.normalize('NFKC')].filter((char) => !/[\s\-_.]/.test(char)).map(canonicalChar);
  const expectedLength = DATA_GROUPS * (CHARS_PER_GROUP + 1) + CHECKSUM_CHARS;
  const bad = characters.find((char) => !ALPHABET.includes(char));
  if (bad !== undefined) throw new VaultError('INVALID_INPUT', `the recovery key contains "${bad}", which is not one of its characters`);
  if (characters.length !== expectedLength) {
    throw new VaultError('INVALID_INPUT', `the recovery key has ${characters.length} characters; it should have ${expectedLength} (14 groups)`);
  }
  let data = '';
  for (let i = 0; i < DATA_GROUPS; i += 1) {
    const block = characters.slice(i * (CHARS_PER_GROUP + 1), (i + 1) * (CHARS_PER_GROUP + 1)).join('');
    const group = block.slice(0, CHARS_PER_GROUP);
    if (groupCheck(group, i) !== block.slice(CHARS_PER_GROUP)) {
      throw new VaultError('INVALID_INPUT', `group ${i + 1} of the recovery key has a typo (its check character does not match)`);
    }
    data += group;
  }
  const secret = fromBase32(data, KEY_BYTES) as SecretKey;
  if (checksum(secret) !== characters.slice(-CHECKSUM_CHARS).join('')) {
    secret.fill(0);
    throw new VaultError('INVALID_INPUT', 'the recovery key has a typo (its final checksum group does not match)');
  }
  return secret;
}

/** The recovery secret is 256 random bits, so a keyed hash (no Argon2id) is enough to make the slot key. */
export function deriveRecoveryWrappingKey(secret: SecretKey, vaultId: string): SecretKey {
  return sodium().crypto_generichash(KEY_BYTES, `tvault-recovery-slot\0${vaultId}`, secret) as SecretKey;
}
