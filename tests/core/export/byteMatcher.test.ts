import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ByteMatcher } from '../../../src/main/core/export/ByteMatcher.js';

const lower = (byte: number) => (byte >= 0x41 && byte <= 0x5a ? byte + 32 : byte);

/** The plain answer: every pattern found anywhere in the whole buffer, ASCII letters without case. */
function naiveFind(haystack: Uint8Array, patterns: readonly Uint8Array[]): number[] {
  const folded = haystack.map(lower);
  return patterns.flatMap((pattern, index) => {
    const needle = Buffer.from(pattern.map(lower));
    return needle.length > 0 && Buffer.from(folded).indexOf(needle) !== -1 ? [index] : [];
  });
}

// A small alphabet (with case pairs and NUL, as UTF-16 has) so patterns overlap and really occur.
const byteArb = fc.constantFrom(0x00, 0x41, 0x61, 0x42, 0x62, 0x43, 0xd8, 0xa7, 0x20, 0x39);

describe('ByteMatcher (the leak check over media bytes)', () => {
  it('finds exactly the patterns a plain search finds, however the stream is cut into chunks', () => {
    fc.assert(
      fc.property(
        fc.array(fc.uint8Array({ minLength: 1, maxLength: 6 }).map((bytes) => bytes.map((b) => [0x00, 0x41, 0x61, 0x42, 0x62, 0x43, 0xd8, 0xa7, 0x20, 0x39][b % 10] ?? 0)), { minLength: 1, maxLength: 8 }),
        fc.array(byteArb, { maxLength: 300 }),
        fc.array(fc.integer({ min: 1, max: 40 }), { minLength: 1, maxLength: 10 }),
        (patterns, haystackBytes, cuts) => {
          const haystack = Uint8Array.from(haystackBytes);
          const matcher = new ByteMatcher(patterns.map((bytes, index) => ({ bytes, value: index })));
          const scanner = matcher.scanner();
          const found = new Set<number>();
          let offset = 0;
          for (let cut = 0; offset < haystack.length; cut += 1) {
            const size = cuts[cut % cuts.length] ?? 1;
            // Alternate Buffer and Uint8Array chunks, as the export passes both.
            const chunk = cut % 2 === 0 ? haystack.subarray(offset, offset + size) : Buffer.from(haystack.subarray(offset, offset + size));
            for (const value of scanner.push(chunk)) found.add(value);
            offset += size;
          }
          expect([...found].sort((a, b) => a - b)).toEqual(naiveFind(haystack, patterns));
        },
      ),
      { numRuns: 500, seed: 20261126 },
    );
  });
});
