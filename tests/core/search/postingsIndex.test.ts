import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { MatchPhrase, MatchTree } from '../../../src/main/core/search/matchTree.js';
import { PostingsIndex } from '../../../src/main/core/search/PostingsIndex.js';

const WEIGHTS = [4, 1, 0.5];
const BARRIER = '|';
const WORDS = ['da', 'dab', 'dad', 'ka', 'kal', 'b', 'bab', 'sa'];
type Row = string[][];

/** The oracle: rows as plain token lists, phrases found by scanning, bm25 written out as FTS5 documents it. */
class NaiveIndex {
  readonly rows = new Map<number, Row>();

  private weightIn(row: Row, phrase: MatchPhrase): number {
    let weight = 0;
    row.forEach((tokens, column) => {
      for (let start = 0; start + phrase.tokens.length <= tokens.length; start += 1) {
        const all = phrase.tokens.every((wanted, i) => {
          const token = tokens[start + i] as string;
          if (token === BARRIER) return false;
          return phrase.prefix && i === phrase.tokens.length - 1 ? token.startsWith(wanted) : token === wanted;
        });
        if (all) weight += WEIGHTS[column] as number;
      }
    });
    return weight;
  }

  private matches(tree: MatchTree, row: Row): boolean {
    switch (tree.kind) {
      case 'phrase':
        return this.weightIn(row, tree) > 0;
      case 'and':
        return tree.children.every((child) => this.matches(child, row));
      case 'or':
        return tree.children.some((child) => this.matches(child, row));
      case 'not':
        return this.matches(tree.include, row) && !this.matches(tree.exclude, row);
    }
  }

  private positivePhrases(tree: MatchTree): MatchPhrase[] {
    switch (tree.kind) {
      case 'phrase':
        return [tree];
      case 'and':
      case 'or':
        return tree.children.flatMap((child) => this.positivePhrases(child));
      case 'not':
        return this.positivePhrases(tree.include);
    }
  }

  match(tree: MatchTree): { rowids: number[]; scores: number[] } {
    const rowids = [...this.rows.keys()].sort((a, b) => a - b).filter((rowid) => this.matches(tree, this.rows.get(rowid) as Row));
    const length = (row: Row) => row.reduce((sum, tokens) => sum + tokens.length, 0);
    const total = [...this.rows.values()].reduce((sum, row) => sum + length(row), 0);
    const average = total / this.rows.size;
    const phrases = this.positivePhrases(tree);
    const scores = rowids.map((rowid) => {
      const row = this.rows.get(rowid) as Row;
      let score = 0;
      for (const phrase of phrases) {
        const holding = [...this.rows.values()].filter((other) => this.weightIn(other, phrase) > 0).length;
        let idf = Math.log((this.rows.size - holding + 0.5) / (holding + 0.5));
        if (idf <= 0) idf = 1e-6;
        const f = this.weightIn(row, phrase);
        score += (idf * (f * 2.2)) / (f + 1.2 * (1 - 0.75 + (0.75 * length(row)) / average));
      }
      return score;
    });
    return { rowids, scores };
  }
}

const rowArbitrary = fc.array(fc.array(fc.constantFrom(...WORDS, BARRIER), { maxLength: 12 }), { minLength: 3, maxLength: 3 });
const phraseArbitrary: fc.Arbitrary<MatchTree> = fc.record({
  kind: fc.constant('phrase' as const),
  tokens: fc.array(fc.constantFrom(...WORDS, 'd', 'k', 'zz'), { minLength: 1, maxLength: 3 }),
  prefix: fc.boolean(),
});
const treeArbitrary: fc.Arbitrary<MatchTree> = fc.letrec<{ tree: MatchTree }>((tie) => ({
  tree: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    phraseArbitrary,
    fc.record({ kind: fc.constantFrom('and' as const, 'or' as const), children: fc.array(tie('tree'), { minLength: 2, maxLength: 3 }) }),
    fc.record({ kind: fc.constant('not' as const), include: tie('tree'), exclude: tie('tree') }),
  ),
})).tree;

type Operation =
  | { kind: 'put'; rowid: number; row: Row }
  | { kind: 'remove'; rowid: number }
  | { kind: 'rolledBack'; rowid: number; row: Row; removed: number }
  | { kind: 'compact' }
  | { kind: 'reopen' };
const operationArbitrary: fc.Arbitrary<Operation> = fc.oneof(
  { arbitrary: fc.record({ kind: fc.constant('put' as const), rowid: fc.integer({ min: 1, max: 40 }), row: rowArbitrary }), weight: 8 },
  { arbitrary: fc.record({ kind: fc.constant('remove' as const), rowid: fc.integer({ min: 1, max: 40 }) }), weight: 2 },
  { arbitrary: fc.record({ kind: fc.constant('rolledBack' as const), rowid: fc.integer({ min: 1, max: 40 }), row: rowArbitrary, removed: fc.integer({ min: 1, max: 40 }) }), weight: 1 },
  { arbitrary: fc.constant({ kind: 'compact' as const }), weight: 1 },
  { arbitrary: fc.constant({ kind: 'reopen' as const }), weight: 1 },
);

function apply(operations: readonly Operation[]): { index: PostingsIndex; naive: NaiveIndex; adopted: Buffer[] } {
  let index = new PostingsIndex(WEIGHTS);
  const naive = new NaiveIndex();
  const adopted: Buffer[] = [];
  for (const operation of operations) {
    switch (operation.kind) {
      case 'put':
        index.put(operation.rowid, operation.row, BARRIER);
        naive.rows.set(operation.rowid, operation.row);
        break;
      case 'remove':
        expect(index.remove(operation.rowid)).toBe(naive.rows.delete(operation.rowid));
        break;
      case 'rolledBack':
        index.begin();
        index.put(operation.rowid, operation.row, BARRIER);
        index.remove(operation.removed);
        index.put(operation.removed, operation.row, BARRIER);
        index.rollback();
        break;
      case 'compact':
        index.compact();
        break;
      case 'reopen': {
        // A Buffer, as a decrypted snapshot is. The index takes it: the term list before the
        // postings is wiped at once, the postings when the index is cleared.
        const bytes = Buffer.from(index.serialize());
        index.clear();
        const postingsAt = bytes.length - bytes.readUInt32LE(28);
        index = PostingsIndex.deserialize(bytes, WEIGHTS);
        expect(bytes.subarray(0, postingsAt).every((byte) => byte === 0)).toBe(true);
        adopted.push(bytes);
        break;
      }
    }
  }
  return { index, naive, adopted };
}

describe('PostingsIndex', () => {
  it('matches and scores like a scan of the rows, through puts, replacements, removals, rollbacks, compaction and reopening (property)', () => {
    fc.assert(
      fc.property(fc.array(operationArbitrary, { minLength: 1, maxLength: 40 }), fc.array(treeArbitrary, { minLength: 1, maxLength: 4 }), (operations, trees) => {
        const { index, naive, adopted } = apply(operations);
        expect(index.rowCount).toBe(naive.rows.size);
        const kept: { result: { rowids: Uint32Array; scores: Float64Array | null }; rowids: number[]; scores: number[] }[] = [];
        for (const tree of trees) {
          const expected = naive.match(tree);
          const unscored = index.match(tree, false);
          expect([...unscored.rowids]).toEqual(expected.rowids);
          expect(unscored.scores).toBeNull();
          const scored = index.match(tree, true);
          expect([...scored.rowids]).toEqual(expected.rowids);
          [...(scored.scores ?? [])].forEach((score, i) => expect(score).toBeCloseTo(expected.scores[i] as number, 9));
          kept.push({ result: scored, rowids: [...scored.rowids], scores: [...(scored.scores ?? [])] });
        }
        // Matches reuse one scratch space: a result must not change when later matches run.
        for (const { result, rowids, scores } of kept) {
          expect([...result.rowids]).toEqual(rowids);
          expect([...(result.scores ?? [])]).toEqual(scores);
        }
        // Every snapshot the index took is wiped once it is cleared.
        index.clear();
        for (const bytes of adopted) expect(bytes.every((byte) => byte === 0)).toBe(true);
      }),
      { numRuns: 400, seed: 20261126 },
    );
  });

  it('matches a phrase that holds a shorter phrase of the same query as it matches on its own (property)', () => {
    // Few words, so long phrases match often; 'd' is rarer, so many rows hold the inner phrase but
    // not all of a longer one.
    const word = fc.constantFrom('a', 'b', 'c');
    const extension = fc.constantFrom('a', 'b', 'c', 'd');
    const row = fc.array(fc.array(fc.oneof({ arbitrary: word, weight: 12 }, { arbitrary: fc.constant('d'), weight: 2 }, { arbitrary: fc.constant(BARRIER), weight: 1 }), { maxLength: 14 }), { minLength: 3, maxLength: 3 });
    const nested = fc.record({
      inner: fc.array(word, { minLength: 2, maxLength: 3 }),
      before: fc.array(extension, { maxLength: 2 }),
      after: fc.array(extension, { maxLength: 2 }),
      innerFirst: fc.boolean(),
      twice: fc.boolean(),
    }).filter(({ before, after }) => before.length + after.length > 0);
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.integer({ min: 1, max: 30 }), row), { minLength: 1, maxLength: 30 }), fc.array(nested, { minLength: 1, maxLength: 3 }), fc.boolean(), (rows, nests, compacted) => {
        const { index, naive } = apply([...rows.map(([rowid, tokens]): Operation => ({ kind: 'put', rowid, row: tokens })), ...(compacted ? [{ kind: 'compact' as const }] : [])]);
        for (const { inner, before, after, innerFirst, twice } of nests) {
          const short: MatchTree = { kind: 'phrase', tokens: inner, prefix: false };
          const long: MatchTree = { kind: 'phrase', tokens: [...before, ...inner, ...after], prefix: false };
          const longer: MatchTree = { kind: 'phrase', tokens: [...before, ...inner, ...after, ...inner], prefix: false };
          const children = innerFirst ? [short, long] : [long, short];
          const tree: MatchTree = { kind: 'or', children: twice ? [...children, longer] : children };
          for (const target of [tree, { kind: 'and', children: [short, long] } as MatchTree]) {
            const expected = naive.match(target);
            const scored = index.match(target, true);
            expect([...scored.rowids]).toEqual(expected.rowids);
            [...(scored.scores ?? [])].forEach((score, i) => expect(score).toBeCloseTo(expected.scores[i] as number, 9));
          }
        }
      }),
      { numRuns: 300, seed: 20261127 },
    );
  });

  it('finds a phrase only inside one column and never across a barrier', () => {
    const index = new PostingsIndex(WEIGHTS);
    index.put(1, [['a', 'b'], ['c'], []], BARRIER);
    index.put(2, [['a', BARRIER, 'b'], [], []], BARRIER);
    index.put(3, [['x', 'a'], ['b', 'y'], []], BARRIER);
    const rows = (tokens: string[], prefix = false) => [...index.match({ kind: 'phrase', tokens, prefix }, false).rowids];
    expect(rows(['a', 'b'])).toEqual([1]);
    expect(rows(['b', 'c'])).toEqual([]);
    expect(rows(['a'])).toEqual([1, 2, 3]);
    expect(rows([BARRIER])).toEqual([]);
  });

  it('refuses a damaged postings section with VAULT_CORRUPT, and wipes what it refused', () => {
    const index = new PostingsIndex(WEIGHTS);
    index.put(1, [['a', 'b'], [], []]);
    const bytes = index.serialize();
    const foreign = Uint8Array.from(bytes);
    foreign[0] = (foreign[0] as number) ^ 1;
    // The term list holds "a\nb" right after the 32-byte header; out of order, binary search would miss terms.
    const unsorted = Uint8Array.from(bytes);
    expect(new TextDecoder().decode(unsorted.subarray(32, 35))).toBe('a\nb');
    unsorted.set(new TextEncoder().encode('b\na'), 32);
    const truncated = bytes.subarray(0, bytes.length - 1);
    for (const refused of [truncated, foreign, unsorted]) {
      expect(() => PostingsIndex.deserialize(refused, WEIGHTS)).toThrow(expect.objectContaining({ code: 'VAULT_CORRUPT' }));
      expect(refused.every((byte) => byte === 0)).toBe(true);
    }
  });
});
