import nodeCrypto, { randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { makeSecretstreamPull } from '../../../src/main/core/crypto/secretstreamPull.js';
import { ensureSodium, sodium } from '../../../src/main/core/crypto/sodium.js';

/** A stream pushed by libsodium, and libsodium's own pull of it: the reference. */
function libsodiumStream(messages: readonly { message: Uint8Array; tag: number; additionalData: Uint8Array }[]) {
  const s = sodium();
  const key = s.crypto_secretstream_xchacha20poly1305_keygen();
  const { state, header } = s.crypto_secretstream_xchacha20poly1305_init_push(key);
  const sealed = messages.map(({ message, tag, additionalData }) => s.crypto_secretstream_xchacha20poly1305_push(state, message, additionalData, tag));
  return { key, header, sealed };
}

/** As the worker builds it: from a stream libsodium opened, handing it the chunks the AEAD cannot take. */
function nativePull(key: Uint8Array, header: Uint8Array, handedBack: number[] = []) {
  const s = sodium();
  const address = s.crypto_secretstream_xchacha20poly1305_init_pull(header, key) as unknown as number;
  const heap = () => (s as unknown as { libsodium: { HEAPU8: Uint8Array } }).libsodium.HEAPU8;
  return makeSecretstreamPull(nodeCrypto, {
    state: () => heap().subarray(address, address + 52),
    pull: (sealed, additionalData) => {
      handedBack.push(sealed.length);
      const opened = s.crypto_secretstream_xchacha20poly1305_pull(address as never, sealed, additionalData);
      return opened ? { tag: opened.tag, message: opened.message } : null;
    },
  });
}

const TAGS = () => {
  const s = sodium();
  return [s.crypto_secretstream_xchacha20poly1305_TAG_MESSAGE, s.crypto_secretstream_xchacha20poly1305_TAG_PUSH, s.crypto_secretstream_xchacha20poly1305_TAG_REKEY, s.crypto_secretstream_xchacha20poly1305_TAG_FINAL];
};

describe('secretstream pull on node:crypto (the blob opening worker) against libsodium', () => {
  beforeAll(ensureSodium);

  it('opens what libsodium pushed, message by message, tags and rekeys included', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ size: fc.nat({ max: 300 }), tagIndex: fc.nat({ max: 3 }), adSize: fc.nat({ max: 40 }) }), { minLength: 1, maxLength: 30 }),
        (shape) => {
          const messages = shape.map(({ size, tagIndex, adSize }) => ({ message: randomBytes(size), tag: TAGS()[tagIndex] ?? 0, additionalData: randomBytes(adSize) }));
          const { key, header, sealed } = libsodiumStream(messages);
          const pull = nativePull(key, header);
          sealed.forEach((chunk, index) => {
            const expected = messages[index];
            const opened = pull.pull(chunk, expected?.additionalData ?? new Uint8Array());
            expect(opened?.tag).toBe(expected?.tag);
            expect(Buffer.compare(Buffer.from(opened?.message ?? []), Buffer.from(expected?.message ?? []))).toBe(0);
          });
        },
      ),
      { numRuns: 200, seed: 20261127 },
    );
  });

  it('opens a full 64 KiB chunk', () => {
    const message = randomBytes(64 * 1024);
    const { key, header, sealed } = libsodiumStream([{ message, tag: TAGS()[3] ?? 3, additionalData: Buffer.from('["tvault-blob",1,"v","b"]') }]);
    const opened = nativePull(key, header).pull(sealed[0] ?? new Uint8Array(), Buffer.from('["tvault-blob",1,"v","b"]'));
    expect(opened?.tag).toBe(TAGS()[3]);
    expect(Buffer.compare(Buffer.from(opened?.message ?? []), message)).toBe(0);
  });

  it('opens chunks whose length is 0 or 8 mod 16 itself, and hands only the others to libsodium', () => {
    const sizes = [65_536, 65_536, 104, 100, 65_536, 0, 8, 17];
    const messages = sizes.map((size) => ({ message: randomBytes(size), tag: TAGS()[0] ?? 0, additionalData: Buffer.from('ad') }));
    const { key, header, sealed } = libsodiumStream(messages);
    const handedBack: number[] = [];
    const pull = nativePull(key, header, handedBack);
    sealed.forEach((chunk, index) => expect(Buffer.compare(Buffer.from(pull.pull(chunk, Buffer.from('ad'))?.message ?? [0]), Buffer.from(messages[index]?.message ?? []))).toBe(0));
    expect(handedBack).toEqual([100 + 17, 17 + 17]);
  });

  it.each([96, 104, 100])('refuses any changed byte, other additional data, a reordered or replayed chunk, and the wrong key (%i-byte messages)', (size) => {
    const messages = [0, 1, 2].map(() => ({ message: randomBytes(size), tag: TAGS()[0] ?? 0, additionalData: Buffer.from('ad') }));
    const { key, header, sealed } = libsodiumStream(messages);
    const [first, second] = sealed as [Uint8Array, Uint8Array, Uint8Array];
    for (let offset = 0; offset < first.length; offset += 1) {
      const flipped = Uint8Array.from(first);
      flipped[offset] = (flipped[offset] ?? 0) ^ 0x01;
      expect(nativePull(key, header).pull(flipped, Buffer.from('ad')), `byte ${offset}`).toBeNull();
    }
    expect(nativePull(key, header).pull(first, Buffer.from('AD'))).toBeNull();
    expect(nativePull(key, header).pull(second, Buffer.from('ad'))).toBeNull();
    const replay = nativePull(key, header);
    expect(replay.pull(first, Buffer.from('ad'))).not.toBeNull();
    expect(replay.pull(first, Buffer.from('ad'))).toBeNull();
    expect(nativePull(sodium().crypto_secretstream_xchacha20poly1305_keygen(), header).pull(first, Buffer.from('ad'))).toBeNull();
    expect(nativePull(key, header).pull(first.subarray(0, 16), Buffer.from('ad'))).toBeNull();
  });
});
