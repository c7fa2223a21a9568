import { describe, expect, it } from 'vitest';
import { BENCH_QUERIES, runSearchBenchmark, type QueryType } from '../../../bench/search.bench.js';

describe('the search benchmark, on a small corpus (correctness only, no timing asserts)', () => {
  it('imports, builds, seals, reopens in a fresh process, and agrees with the plaintext FTS5 baseline on every query', async () => {
    const result = await runSearchBenchmark({ docs: 160, seed: 7, runs: 1, ripgrep: true, write: false });
    const ours = result.ours as { openReport: { source: string; documents: number }; latency: Record<QueryType, { samples: number }>; totals: Record<string, number> };
    const plaintext = result.plaintext as { latency: Record<QueryType, { samples: number }>; totals: Record<string, number> };

    expect(result.corpus).toMatchObject({ docs: 160, arabicShare: 0.5 });
    expect((result.index as { snapshotBytes: number }).snapshotBytes).toBeGreaterThan(0);
    // The query process opened the sealed snapshot; it did not rebuild.
    expect(ours.openReport).toMatchObject({ source: 'snapshot', documents: 160 });
    expect(result.consistency).toMatchObject({ mismatches: [] });
    const engine = result.sameEngineWithoutEncryption as { latency: Record<QueryType, { samples: number }> };
    for (const type of Object.keys(BENCH_QUERIES) as QueryType[]) {
      expect(ours.latency[type].samples).toBe(BENCH_QUERIES[type].length);
      expect(plaintext.latency[type].samples).toBe(BENCH_QUERIES[type].length);
      expect(engine.latency[type].samples).toBe(BENCH_QUERIES[type].length);
    }
    // The corpus really exercises each query type: most queries find something.
    const found = Object.values(ours.totals).filter((total) => total > 0).length;
    expect(found).toBeGreaterThan(Object.keys(ours.totals).length * 0.8);
    expect((result.ripgrep as { latency: Record<string, unknown> }).latency).toHaveProperty('aliasExpanded');
    expect(result.goals).toHaveProperty('p95Ms');
  });
});
