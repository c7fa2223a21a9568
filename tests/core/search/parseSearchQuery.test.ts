import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { isVaultError } from '../../../src/main/core/errors.js';
import { compileMatchExpression } from '../../../src/main/core/search/compileMatchExpression.js';
import { parseSearchQuery } from '../../../src/main/core/search/parseSearchQuery.js';
import type { QueryNode } from '../../../src/main/core/search/queryNode.js';
import { parseSearchRequest } from '../../../src/main/core/search/searchRequest.js';
import { memoryIndex, plainDocument } from './memoryIndex.js';

/** A compact rendering of the tree, to compare against hand-written expectations. */
function show(node: QueryNode | null): string {
  if (node === null) return '∅';
  switch (node.kind) {
    case 'term':
      return `${node.quoted ? '"' : ''}${node.tokens.join(' ')}${node.quoted ? '"' : ''}${node.prefix ? '*' : ''}`;
    case 'variants':
      return `{${show(node.original)}|${node.variants.map((v) => v.join(' ')).join('|')}}`;
    case 'and':
      return `(${node.children.map(show).join(' & ')})`;
    case 'or':
      return `(${node.children.map(show).join(' | ')})`;
    case 'not':
      return `(${show(node.include)} - ${show(node.exclude)})`;
  }
}

function messageOf(query: string): string {
  try {
    parseSearchQuery(query);
  } catch (error) {
    if (isVaultError(error) && error.code === 'INVALID_INPUT') return error.message;
    throw error;
  }
  return 'NO_ERROR';
}

describe('the query language', () => {
  it.each([
    ['torture', 'torture'],
    ['Youssef Darwich', '(youssef & darwich)'],
    ['a AND b OR c', '((a & b) | c)'],
    ['a OR b c', '(a | (b & c))'],
    ['a b NOT c', '(a & (b - c))'],
    ['a AND NOT b', '(a - b)'],
    ['(a OR b) NOT (c OR d)', '((a | b) - (c | d))'],
    ['"electric shocks" falaqa', '("electric shocks" & falaqa)'],
    ['tortur*', 'tortur*'],
    ['"al kha"*', '"al kha"*'],
    ['al-Khatib', 'al khatib'],
    ['صَيْدْنايا ٢٠١٤', '(صيدنايا & 2014)'],
    ['and or not', '(and & or & not)'],
    ['', '∅'],
    ['  ! , ; ', '∅'],
    ['torture ! beating', '(torture & beating)'],
  ])('parses %j as %s', (query, expected) => {
    expect(show(parseSearchQuery(query))).toBe(expected);
  });

  it.each([
    ['NOT torture', 'NOT at character 1 needs a word before it: to leave a word out, write e.g. torture NOT beating'],
    ['torture OR NOT beating', 'NOT at character 12 needs a word before it'],
    ['torture AND', 'AND at character 9 needs a word after it'],
    ['torture OR', 'OR at character 9 needs a word after it'],
    ['OR torture', 'the query starts with OR (character 1); put a word before it'],
    ['torture AND OR beating', 'AND at character 9 needs a word after it, not OR at character 13'],
    ['(torture', 'the ( at character 1 is never closed'],
    ['torture)', ') at character 8 has no matching ('],
    ['torture ()', 'the parentheses at character 9 are empty'],
    ['"electric shocks', 'the quote at character 1 is never closed; add a closing "'],
    ['""', 'the phrase at character 1 has no letters or digits'],
    ['t*', 'the prefix at character 1 is too short: a prefix search needs at least 2 letters before the *'],
    ['tor*ture', 'the * at character 4 may only end a word (prefix search)'],
    ['* torture', 'the * at character 1 has no letters or digits before it'],
    ['torture -beating', 'the - at character 9: to leave a word out, write NOT before it'],
    ['x'.repeat(2001), 'is 2001 characters long; the limit is 2000'],
    [Array.from({ length: 65 }, (_, i) => `w${i}`).join(' '), 'has more than 64 words'],
    [`${'('.repeat(17)}a${')'.repeat(17)}`, 'parentheses are nested more than 16 deep'],
  ])('refuses %j with a clear message and position', (query, expected) => {
    const message = messageOf(query);
    expect(message.startsWith('query: ')).toBe(true);
    expect(message).toContain(expected);
  });

  it('never echoes the words of a bad query (they may be a witness name)', () => {
    expect(messageOf('Samir* Qassem AND')).not.toMatch(/samir|qassem/i);
    expect(messageOf('"Samir Qassem')).not.toMatch(/samir|qassem/i);
    expect(messageOf('Sa*mir')).not.toMatch(/samir|sa\*mir/i);
  });

  it('compiles to FTS5 syntax built from quoted tokens only, every operator in parentheses', () => {
    const node = parseSearchQuery('a b OR "c d" NOT ef*') as QueryNode;
    expect(compileMatchExpression(node, { tolerant: false })).toBe('(("a" AND "b") OR ("c d" NOT "ef" *))');
    expect(compileMatchExpression(parseSearchQuery('Mohamad 2014') as QueryNode, { tolerant: true })).toBe('(("mohamad" OR "\uE000mhmd") AND "2014")');
  });

  describe('against a real index: any input gives results or INVALID_INPUT, never an SQLite error', () => {
    const { index, snippets } = memoryIndex([], [plainDocument('d1', { transcript: 'NEAR the door: {title} ^start col:value "quoted" AND * OR' })]);
    afterAll(() => index.close());
    const run = (query: string) => index.search(parseSearchRequest({ query }), snippets);

    it('treats FTS5 syntax in user text as plain words', () => {
      expect(run('NEAR(door the)').total).toBe(1);
      expect(run('col:value').total).toBe(1);
      expect(run('{title}').total).toBe(1);
      expect(run('^start').total).toBe(1);
      expect(run('title:door').total).toBe(0);
    });

    it('holds for random strings of query syntax (property)', () => {
      const pieces = ['a', 'door', 'NEAR', 'AND', 'OR', 'NOT', '(', ')', '"', '*', ':', '^', '{', '}', '+', '-', ' ', ' ', 'col', '\u0000', '\uE000', 'صيد', 'ٌ', '٢'];
      fc.assert(
        fc.property(fc.array(fc.constantFrom(...pieces), { maxLength: 25 }).map((parts) => parts.join('')), (query) => {
          try {
            run(query);
          } catch (error) {
            expect(isVaultError(error) && error.code === 'INVALID_INPUT' && error.message.startsWith('query: ')).toBe(true);
            expect((error as Error).message).not.toMatch(/sqlite|fts5|syntax error/i);
          }
        }),
        { numRuns: 1000 },
      );
    });
  });
});
