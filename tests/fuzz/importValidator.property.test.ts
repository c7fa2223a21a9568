import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isVaultError } from '../../src/main/core/errors.js';
import { createTestVault, sampleTestimony, type VaultFixture } from '../core/coreFixtures.js';
import { FUZZ_RUNS, FUZZ_SEED, FUZZ_TIMEOUT_MS, isClearMessage } from './fuzzRuns.js';

/** A copy of `value` with the thing at a random path replaced, deleted, or given a sibling key. */
function edited(value: unknown, path: readonly number[], replacement: unknown, action: number): unknown {
  if (path.length === 0 || value === null || typeof value !== 'object') return action % 3 === 0 ? undefined : replacement;
  const copy: Record<string, unknown> | unknown[] = Array.isArray(value) ? [...value] : { ...(value as Record<string, unknown>) };
  const keys = Object.keys(copy);
  if (keys.length === 0) return replacement;
  const key = keys[(path[0] ?? 0) % keys.length] ?? '';
  const next = edited((copy as Record<string, unknown>)[key], path.slice(1), replacement, action);
  if (next === undefined && !Array.isArray(copy)) delete (copy as Record<string, unknown>)[key];
  else (copy as Record<string, unknown>)[key] = next;
  if (action % 7 === 1 && !Array.isArray(copy)) (copy as Record<string, unknown>).unexpectedField = replacement;
  return copy;
}

describe('property: the import JSON validator (testimony add)', () => {
  let vault: VaultFixture;
  beforeAll(async () => {
    vault = await createTestVault();
  });
  afterAll(() => vault.cleanup());

  it('imports valid input or refuses it with INVALID_INPUT and a clear message, committing nothing', { timeout: FUZZ_TIMEOUT_MS }, () => {
    const sample = sampleTestimony();
    const input = fc.oneof(
      fc.anything({ maxDepth: 3 }),
      fc.tuple(fc.array(fc.nat(40), { minLength: 1, maxLength: 4 }), fc.jsonValue({ maxDepth: 2 }), fc.nat(20)).map(([path, replacement, action]) => edited(sample, path, replacement, action)),
      fc.tuple(fc.array(fc.nat(40), { minLength: 1, maxLength: 3 }), fc.constantFrom('', 'x'.repeat(200_000), '\u0000', -1, 1e308, '2025-13-45', '1985-02-30', 'صَيْدْنايا', [], {}, null), fc.nat(20)).map(([path, replacement, action]) => edited(sample, path, replacement, action)),
    );
    const tally = { imported: 0, refused: 0 };
    const records = () => (vault.service.sessionForCore.db.prepare('SELECT COUNT(*) AS n FROM records').get() as { n: number }).n;
    fc.assert(
      fc.property(input, (candidate) => {
        const before = records();
        try {
          const { testimonyId } = vault.service.addTestimony(candidate);
          expect(testimonyId).toMatch(/^[0-9a-f]{32}$/);
          tally.imported += 1;
        } catch (error) {
          if (!isVaultError(error)) throw new Error(`a non-VaultError from the validator: ${String(error)}`, { cause: error });
          expect(error.code).toBe('INVALID_INPUT');
          expect(isClearMessage(error.message), error.message).toBe(true);
          expect(records()).toBe(before);
          tally.refused += 1;
        }
      }),
      { numRuns: FUZZ_RUNS * 2, seed: FUZZ_SEED },
    );
    console.log(`fuzz import validator (seed ${FUZZ_SEED}): ${tally.imported} imported, ${tally.refused} refused with INVALID_INPUT, 0 other errors`);
    expect(tally.refused).toBeGreaterThan(0);
  });
});
