import { beforeAll, describe, expect, it } from 'vitest';
import {
  ensureSodium, generateKey, nonceOf, openField, sealField, unwrapKey, wrapKey, type FieldContext,
} from '../../../src/main/core/crypto/index.js';
import { errorCodeOf } from '../coreFixtures.js';

const context: FieldContext = { vaultId: 'vault-a', recordId: 'record-1', field: 'testimony.transcript', recordVersion: 3 };

describe('field encryption (XChaCha20-Poly1305 with bound AAD)', () => {
  beforeAll(ensureSodium);

  it('round-trips text, including Arabic and empty strings', () => {
    const key = generateKey();
    for (const text of ['', 'a', 'سُجِنتُ في صيدنايا عام ٢٠١٤', 'x'.repeat(100_000)]) {
      expect(new TextDecoder().decode(openField(key, sealField(key, text, context), context))).toBe(text);
    }
  });

  it('uses a fresh random nonce for every encryption, even of identical plaintext', () => {
    const key = generateKey();
    const nonces = new Set<string>();
    const ciphertexts = new Set<string>();
    for (let i = 0; i < 2000; i += 1) {
      const sealed = sealField(key, 'same text', context);
      nonces.add(Buffer.from(nonceOf(sealed)).toString('hex'));
      ciphertexts.add(Buffer.from(sealed).toString('hex'));
    }
    expect(nonces.size).toBe(2000);
    expect(ciphertexts.size).toBe(2000);
  });

  it.each([
    ['vault id', { vaultId: 'vault-b' }],
    ['record id', { recordId: 'record-2' }],
    ['field', { field: 'testimony.summary' }],
    ['record version', { recordVersion: 4 }],
  ])('refuses a ciphertext moved to another %s', async (_label, change) => {
    const key = generateKey();
    const sealed = sealField(key, 'witness statement', context);
    expect(await errorCodeOf(() => openField(key, sealed, { ...context, ...change }))).toBe('AUTH_FAILED');
  });

  it('detects a flipped bit at every byte offset', async () => {
    const key = generateKey();
    const sealed = sealField(key, 'short statement', context);
    for (let offset = 0; offset < sealed.length; offset += 1) {
      const tampered = new Uint8Array(sealed);
      tampered[offset] = (tampered[offset] ?? 0) ^ 0x01;
      expect(await errorCodeOf(() => openField(key, tampered, context))).toBe('AUTH_FAILED');
    }
  });

  it('refuses truncated ciphertexts and the wrong key', async () => {
    const key = generateKey();
    const sealed = sealField(key, 'statement', context);
    expect(await errorCodeOf(() => openField(key, sealed.subarray(0, sealed.length - 1), context))).toBe('AUTH_FAILED');
    expect(await errorCodeOf(() => openField(key, sealed.subarray(0, 10), context))).toBe('AUTH_FAILED');
    expect(await errorCodeOf(() => openField(generateKey(), sealed, context))).toBe('AUTH_FAILED');
  });

  it('wraps keys bound to their owner and purpose', async () => {
    const master = generateKey();
    const recordKey = generateKey();
    const wrapContext = { vaultId: 'vault-a', purpose: 'record', ownerId: 'record-1' };
    expect(unwrapKey(master, wrapKey(master, recordKey, wrapContext), wrapContext)).toEqual(recordKey);
    const wrapped = wrapKey(master, recordKey, wrapContext);
    expect(await errorCodeOf(() => unwrapKey(master, wrapped, { ...wrapContext, ownerId: 'record-2' }))).toBe('AUTH_FAILED');
    expect(await errorCodeOf(() => unwrapKey(master, wrapped, { ...wrapContext, purpose: 'blob' }))).toBe('AUTH_FAILED');
  });
});
