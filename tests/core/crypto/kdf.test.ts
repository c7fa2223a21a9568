import { beforeAll, describe, expect, it } from 'vitest';
import {
  acceptDerivedKey, deriveKeyEncryptionKey, ensureSodium, KDF_CEILING, KDF_FLOOR, newKdfParams, validateKdfParams,
} from '../../../src/main/core/crypto/index.js';
import { errorCodeOf } from '../coreFixtures.js';

const MIB = 1024 * 1024;
const salt = 'AAECAwQFBgcICQoLDA0ODw==';
const params = (opsLimit: number, memLimitBytes: number) => ({ algorithm: 'argon2id13', opsLimit, memLimitBytes, saltB64: salt });

describe('Argon2id key derivation', () => {
  beforeAll(ensureSodium);

  it('accepts MODERATE and stronger, within the ceiling', () => {
    expect(validateKdfParams(params(3, 256 * MIB)).opsLimit).toBe(3);
    expect(validateKdfParams(params(KDF_CEILING.opsLimit, KDF_CEILING.memLimitBytes)).memLimitBytes).toBe(2048 * MIB);
    expect(validateKdfParams(newKdfParams('sensitive')).memLimitBytes).toBe(1024 * MIB);
  });

  it.each([
    ['ops below the floor', params(KDF_FLOOR.opsLimit - 1, 256 * MIB)],
    ['memory below the floor', params(3, 64 * MIB)],
    ['ops above the ceiling', params(17, 256 * MIB)],
    ['memory above the ceiling (4 GiB)', params(3, 4096 * MIB)],
    ['memory of 2^53 bytes', params(3, 2 ** 53)],
    ['negative ops', params(-1, 256 * MIB)],
    ['fractional ops', params(3.5, 256 * MIB)],
    ['another algorithm', { ...params(3, 256 * MIB), algorithm: 'argon2i13' }],
    ['a short salt', { ...params(3, 256 * MIB), saltB64: 'AAEC' }],
    ['an extra field', { ...params(3, 256 * MIB), parallelism: 64 }],
    ['not an object', 'argon2id'],
  ])('refuses %s before computing anything', async (_label, candidate) => {
    // Rejection happens in validation: deriving with 2^53 bytes or ops=17 would otherwise hang or abort.
    expect(await errorCodeOf(() => validateKdfParams(candidate))).toBe('KDF_PARAMS_REJECTED');
    expect(await errorCodeOf(() => deriveKeyEncryptionKey('a passphrase here', candidate))).toBe('KDF_PARAMS_REJECTED');
  });

  it('refuses an all-zero or wrong-length derived key', async () => {
    expect(await errorCodeOf(() => acceptDerivedKey(new Uint8Array(32)))).toBe('KDF_OUTPUT_REJECTED');
    expect(await errorCodeOf(() => acceptDerivedKey(new Uint8Array(16).fill(1)))).toBe('KDF_OUTPUT_REJECTED');
    const derived = new Uint8Array(32).fill(9);
    expect(acceptDerivedKey(derived)).toEqual(new Uint8Array(32).fill(9));
    expect(derived).toEqual(new Uint8Array(32)); // the worker's copy is wiped
  });

  it('derives the same key for NFC and NFD spellings of a passphrase, and another key for another passphrase', async () => {
    const moderate = params(3, 256 * MIB);
    const composed = await deriveKeyEncryptionKey('café ṣaydnāyā', moderate);
    const decomposed = await deriveKeyEncryptionKey('café ṣaydnāyā'.normalize('NFD'), moderate);
    const other = await deriveKeyEncryptionKey('cafe saydnaya', moderate);
    expect(Buffer.from(decomposed).equals(Buffer.from(composed))).toBe(true);
    expect(Buffer.from(other).equals(Buffer.from(composed))).toBe(false);
  });
});
