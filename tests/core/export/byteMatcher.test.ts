import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ByteMatcher, SKIP_MIN_BYTES } from '../../../src/main/core/export/ByteMatcher.js';

const lower = (byte: number) => (byte >= 0x41 && byte <= 0x5a ? byte + 32 : byte);

/** The plain answer: how often each pattern occurs in the whole buffer (overlaps too), ASCII letters without case. */
function naiveCounts(haystack: Uint8Array, patterns: readonly Uint8Array[]): number[] {
  const folded = Buffer.from(haystack.map(lower));
  return patterns.map((pattern) => {
    const needle = Buffer.from(pattern.map(lower));
    let count = 0;
    for (let at = folded.indexOf(needle); needle.length > 0 && at !== -1; at = folded.indexOf(needle, at + 1)) count += 1;
    return count;
  });
}

// A small alphabet (with case pairs and NUL, as UTF-16 has) so patterns overlap and really occur.
const ALPHABET = [0x00, 0x41, 0x61, 0x42, 0x62, 0x43, 0xd8, 0xa7, 0x20, 0x39];
const fromAlphabet = (bytes: Uint8Array) => bytes.map((b) => ALPHABET[b % ALPHABET.length] ?? 0);

/** Feeds the haystack in chunks of the given sizes, alternating Buffer and Uint8Array as the export passes both. */
function countInChunks(matcher: ByteMatcher<number>, haystack: Uint8Array, cuts: readonly number[], patternCount: number): number[] {
  const scanner = matcher.scanner();
  const counts = new Array<number>(patternCount).fill(0);
  let offset = 0;
  for (let cut = 0; offset < haystack.length; cut += 1) {
    const size = cuts[cut % cuts.length] ?? 1;
    const chunk = cut % 2 === 0 ? haystack.subarray(offset, offset + size) : Buffer.from(haystack.subarray(offset, offset + size));
    for (const index of scanner.push(chunk)) counts[index] = (counts[index] ?? 0) + 1;
    offset += size;
  }
  return counts;
}

/** Random filler with some patterns written in, some with their letters' case flipped. */
const plantedHaystack = (patterns: readonly Uint8Array[]) =>
  fc.array(fc.tuple(fc.array(fc.constantFrom(...ALPHABET), { maxLength: 40 }), fc.nat(), fc.boolean()), { maxLength: 12 }).map((pieces) => {
    const bytes: number[] = [];
    for (const [filler, pick, flipCase] of pieces) {
      bytes.push(...filler);
      const pattern = patterns[pick % patterns.length] ?? new Uint8Array();
      bytes.push(...pattern.map((b) => (flipCase && ((b >= 0x41 && b <= 0x5a) || (b >= 0x61 && b <= 0x7a)) ? b ^ 0x20 : b)));
    }
    return Uint8Array.from(bytes);
  });

describe('ByteMatcher (the leak check over media bytes)', () => {
  it('finds every occurrence a plain search finds, with patterns of any length (the automaton), however the stream is cut', () => {
    let automatonRuns = 0;
    fc.assert(
      fc.property(
        fc.array(fc.uint8Array({ minLength: 1, maxLength: 6 }).map(fromAlphabet), { minLength: 1, maxLength: 8 }),
        fc.array(fc.constantFrom(...ALPHABET), { maxLength: 300 }),
        fc.array(fc.integer({ min: 1, max: 40 }), { minLength: 1, maxLength: 10 }),
        (patterns, haystackBytes, cuts) => {
          const haystack = Uint8Array.from(haystackBytes);
          const matcher = new ByteMatcher(patterns.map((bytes, index) => ({ bytes, value: index })));
          if (matcher.engine === 'automaton') automatonRuns += 1;
          expect(countInChunks(matcher, haystack, cuts, patterns.length)).toEqual(naiveCounts(haystack, patterns));
        },
      ),
      { numRuns: 500, seed: 20261126 },
    );
    expect(automatonRuns).toBeGreaterThan(400);
  });

  it(`finds every occurrence a plain search finds when all patterns have ${SKIP_MIN_BYTES} bytes or more (the skip scan), across chunk seams`, () => {
    fc.assert(
      fc.property(
        fc
          .array(fc.uint8Array({ minLength: SKIP_MIN_BYTES, maxLength: 20 }).map(fromAlphabet), { minLength: 1, maxLength: 8 })
          .chain((patterns) => fc.tuple(fc.constant(patterns), plantedHaystack(patterns))),
        fc.array(fc.integer({ min: 1, max: 45 }), { minLength: 1, maxLength: 10 }),
        ([patterns, haystack], cuts) => {
          const matcher = new ByteMatcher(patterns.map((bytes, index) => ({ bytes, value: index })));
          expect(matcher.engine).toBe('skip');
          expect(countInChunks(matcher, haystack, cuts, patterns.length)).toEqual(naiveCounts(haystack, patterns));
        },
      ),
      { numRuns: 1000, seed: 20261127 },
    );
  });

  it('finds a UTF-16 name in a megabyte of noise, split across two chunks at every offset of the name', () => {
    const name = Buffer.from('Abu Hassan al-Halabi', 'utf16le');
    const matcher = new ByteMatcher([{ bytes: name, value: 'name' }, { bytes: Buffer.from('0944123456'), value: 'phone' }]);
    expect(matcher.engine).toBe('skip');
    const noise = Buffer.alloc(1 << 20);
    for (let i = 0; i < noise.length; i += 1) noise[i] = (i * 2654435761) >>> 24;
    const at = 700_001;
    name.copy(noise, at);
    for (let split = at - 1; split <= at + name.length + 1; split += 1) {
      const scanner = matcher.scanner();
      expect([...scanner.push(noise.subarray(0, split)), ...scanner.push(noise.subarray(split))], `split at ${split}`).toEqual(['name']);
    }
  });

  it('reads nothing when there is nothing to look for', () => {
    const matcher = new ByteMatcher<number>([{ bytes: new Uint8Array(), value: 0 }]);
    expect(matcher.engine).toBe('none');
    expect(matcher.scanner().push(Buffer.from('anything'))).toEqual([]);
  });
});
