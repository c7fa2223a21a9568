import { randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { AgeError } from '../../src/main/core/crypto/AgeError.js';
import { ensureSodium, parseAgeHeader } from '../../src/main/core/crypto/index.js';
import { isBundleError } from '../../src/main/core/export/BundleError.js';
import { classifyPayloadEntry, entryLimit, MAX_TAR_ENTRIES } from '../../src/main/core/export/bundleLayout.js';
import { TarReader, type TarEvent } from '../../src/main/core/export/TarReader.js';
import { ageEncrypt, recipientKey, tarOf, testimonyJson } from '../core/export/hostileBundles.js';
import { FUZZ_RUNS, FUZZ_SEED, FUZZ_TIMEOUT_MS, isClearMessage } from './fuzzRuns.js';

/** What a mutation does to a genuine archive: the ways real damage and real attackers change bytes. */
const mutation = fc.oneof(
  fc.record({ kind: fc.constant('flip' as const), at: fc.nat(), xor: fc.integer({ min: 1, max: 255 }) }),
  fc.record({ kind: fc.constant('set' as const), at: fc.nat(), bytes: fc.uint8Array({ minLength: 1, maxLength: 16 }) }),
  fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), bytes: fc.uint8Array({ minLength: 1, maxLength: 1100 }) }),
  fc.record({ kind: fc.constant('repeatBlock' as const), at: fc.nat() }),
);
type Mutation = typeof mutation extends fc.Arbitrary<infer M> ? M : never;

function mutate(original: Uint8Array, mutations: readonly Mutation[]): Uint8Array {
  let bytes = Buffer.from(original);
  for (const m of mutations) {
    const at = bytes.length === 0 ? 0 : m.at % bytes.length;
    if (m.kind === 'flip') bytes[at] = (bytes[at] ?? 0) ^ m.xor;
    else if (m.kind === 'set') bytes.set(m.bytes.subarray(0, bytes.length - at), at);
    else if (m.kind === 'truncate') bytes = bytes.subarray(0, at);
    else if (m.kind === 'insert') bytes = Buffer.concat([bytes.subarray(0, at), m.bytes, bytes.subarray(at)]);
    else {
      const block = at - (at % 512);
      bytes = Buffer.concat([bytes.subarray(0, block + 512), bytes.subarray(block, block + 512), bytes.subarray(block + 512)]);
    }
  }
  return bytes;
}

/** Reads a whole tar the way readPayloadEntries does (layout, per-kind limits), in the given chunk sizes. */
function readTar(bytes: Uint8Array, chunkSizes: readonly number[]): { entries: { name: string; size: number; received: number }[] } {
  const entries: { name: string; size: number; received: number }[] = [];
  const reader = new TarReader({
    maxEntries: MAX_TAR_ENTRIES,
    totalSize: bytes.length,
    checkEntry: (header) => {
      const kind = classifyPayloadEntry(header.name);
      if (header.size > entryLimit(kind)) throw new Error('limit');
    },
  });
  const handle = (events: TarEvent[]) => {
    for (const event of events) {
      if (event.type === 'entry') entries.push({ name: event.header.name, size: event.header.size, received: 0 });
      else if (event.type === 'data') {
        const last = entries.at(-1);
        if (last) last.received += event.bytes.length;
      }
    }
  };
  let position = 0;
  for (let i = 0; position < bytes.length; i += 1) {
    const size = Math.max(1, chunkSizes[i % Math.max(1, chunkSizes.length)] ?? bytes.length);
    handle(reader.push(bytes.subarray(position, position + size)));
    position += size;
  }
  reader.finish();
  return { entries };
}

function genuineTar(): Buffer {
  return tarOf([
    { name: 'testimonies/TV-000001.json', content: testimonyJson('TV-000001', ['media/TV-000001-1.wav']) },
    { name: 'media/TV-000001-1.wav', content: randomBytes(1500) },
    { name: 'REDACTION_LOG.csv', content: Buffer.from('"item"\r\n') },
    { name: 'CUSTODY.csv', content: Buffer.alloc(0) },
    { name: 'manifest.json', content: Buffer.from('{}') },
  ]);
}

describe('property: the bundle reader (strict tar and age header) refuses damage only with its own errors', () => {
  beforeAll(async () => {
    await ensureSodium();
  });

  it('reads any mutation of a genuine tar into consistent entries, or refuses it with a BundleError', { timeout: FUZZ_TIMEOUT_MS }, () => {
    const tar = genuineTar();
    const outcome = { read: 0, refused: new Map<string, number>() };
    fc.assert(
      fc.property(fc.array(mutation, { minLength: 1, maxLength: 4 }), fc.array(fc.integer({ min: 1, max: 2048 }), { maxLength: 6 }), (mutations, chunkSizes) => {
        const bytes = mutate(tar, mutations);
        let whole: ReturnType<typeof readTar> | undefined;
        try {
          whole = readTar(bytes, [bytes.length]);
        } catch (error) {
          if (error instanceof Error && error.message === 'limit') return;
          if (!isBundleError(error)) throw new Error(`a non-BundleError from the tar reader: ${String(error)}`, { cause: error });
          expect(isClearMessage(error.message), error.message).toBe(true);
          outcome.refused.set(error.code, (outcome.refused.get(error.code) ?? 0) + 1);
          // Chunking never changes the verdict.
          expect(() => readTar(bytes, chunkSizes)).toThrow(expect.objectContaining({ code: error.code }));
          return;
        }
        outcome.read += 1;
        for (const entry of whole.entries) {
          expect(entry.received).toBe(entry.size);
          expect(entry.name.startsWith('/') || entry.name.split('/').includes('..')).toBe(false);
        }
        expect(readTar(bytes, chunkSizes)).toEqual(whole);
      }),
      { numRuns: FUZZ_RUNS * 5, seed: FUZZ_SEED },
    );
    console.log(`fuzz tar reader (seed ${FUZZ_SEED}): ${outcome.read} read consistently, refused ${[...outcome.refused.values()].reduce((a, b) => a + b, 0)} (${[...outcome.refused.entries()].map(([code, count]) => `${code} ${count}`).join(', ')})`);
  });

  it('parses any mutation of a genuine age header, or refuses it with an AgeError', { timeout: FUZZ_TIMEOUT_MS }, () => {
    const recipient = recipientKey('age1ql3z7hjy54pw3hyww5ayyfg7zqgvc7w3j2elw8zmrj2kg5sfn9aqmcac8p');
    const header = ageEncrypt(Buffer.from('x'), [recipient, recipient]).bytes;
    let parsed = 0;
    let refused = 0;
    fc.assert(
      fc.property(fc.array(mutation, { minLength: 1, maxLength: 3 }), (mutations) => {
        const bytes = mutate(header, mutations);
        try {
          parseAgeHeader(bytes);
          parsed += 1;
        } catch (error) {
          if (!(error instanceof AgeError)) throw new Error(`a non-AgeError from the age header parser: ${String(error)}`, { cause: error });
          expect(isClearMessage(error.message), error.message).toBe(true);
          refused += 1;
        }
      }),
      { numRuns: FUZZ_RUNS * 5, seed: FUZZ_SEED },
    );
    console.log(`fuzz age header (seed ${FUZZ_SEED}): ${parsed} parsed, ${refused} refused with AgeError, 0 other errors`);
  });
});
