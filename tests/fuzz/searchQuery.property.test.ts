import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isVaultError } from '../../src/main/core/errors.js';
import { MAX_QUERY_CHARS, parseSearchQuery } from '../../src/main/core/search/parseSearchQuery.js';
import { FUZZ_RUNS, FUZZ_SEED, FUZZ_TIMEOUT_MS, isClearMessage } from './fuzzRuns.js';

/** Pieces a query is made of: words in both scripts, operators, quotes, brackets, stars and odd characters. */
const piece = fc.oneof(
  fc.constantFrom('AND', 'OR', 'NOT', 'and', 'or', '-', '+', '(', ')', '"', '*', ':', '~', '^', '|', '&', '\\', ' ', '  ', '\t', '\n'),
  fc.constantFrom('صيدنايا', 'صَيْدْنايا', 'فرع', 'الـ', 'أبو', '٢٠١٣', 'Sednaya', 'Saydnaya', 'branch', '215', 'x', 'ab*', '"cell 3"', 'ـ', '\u200f', '\u0640', '\ufeff', '\u0000'),
  fc.string({ maxLength: 12 }),
  fc.string({ unit: 'grapheme', maxLength: 6 }),
);
const query = fc.oneof(fc.array(piece, { maxLength: 40 }).map((pieces) => pieces.join('')), fc.string({ maxLength: 300 }), fc.string({ minLength: MAX_QUERY_CHARS - 5, maxLength: MAX_QUERY_CHARS + 5 }));

describe('property: the search query parser', () => {
  it('returns a query tree or null, or throws a VaultError with a clear message: never anything else', { timeout: FUZZ_TIMEOUT_MS }, () => {
    let parsed = 0;
    let refused = 0;
    fc.assert(
      fc.property(query, (text) => {
        try {
          const node = parseSearchQuery(text);
          expect(node === null || typeof node === 'object').toBe(true);
          if (node) JSON.stringify(node);
          parsed += 1;
        } catch (error) {
          if (!isVaultError(error)) throw new Error(`parseSearchQuery(${JSON.stringify(text)}) threw a non-VaultError: ${String(error)}`, { cause: error });
          expect(error.code).toBe('INVALID_INPUT');
          expect(isClearMessage(error.message), error.message).toBe(true);
          refused += 1;
        }
      }),
      { numRuns: FUZZ_RUNS * 5, seed: FUZZ_SEED },
    );
    console.log(`fuzz search query (seed ${FUZZ_SEED}): ${parsed} parsed, ${refused} refused with INVALID_INPUT, 0 other errors`);
  });

  it('refuses deep nesting and huge queries with a clear message instead of overflowing the stack', { timeout: FUZZ_TIMEOUT_MS }, () => {
    for (const text of ['('.repeat(100_000), `${'NOT '.repeat(10_000)}x`, '"'.repeat(MAX_QUERY_CHARS + 1), 'a OR '.repeat(5_000)]) {
      expect(() => parseSearchQuery(text)).toThrow(expect.objectContaining({ code: 'INVALID_INPUT' }));
    }
  });
});
