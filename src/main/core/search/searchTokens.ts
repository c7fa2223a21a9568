import { foldCase, normalizeTextKeepingCase } from './normalizeText.js';

/**
 * Token characters: letters, digits and combining marks (so Indic and other marked scripts stay one
 * word). Everything else separates, private-use characters included: the index uses those for its
 * own marker tokens, so no document or query can produce one.
 */
const TOKEN = /[\p{L}\p{N}\p{M}]+/gu;
const CAPITAL = /^[\p{Lu}\p{Lt}]/u;

/** A normalised search token: what the index stores and what a query word is matched against. */
export type SearchToken = string & { readonly __searchToken: unique symbol };

/**
 * The one tokenizer for indexing, querying, the test oracle and highlighting: `normalizeText`, then
 * runs of token characters. The index is fed these tokens joined by spaces (FTS5 `ascii` tokenizer),
 * so SQLite never re-decides where a word starts or how it folds.
 */
export function searchTokens(text: string): SearchToken[] {
  return casedSearchTokens(text).tokens;
}

/** `searchTokens`, plus whether each word was written with a capital (names are; tolerant mode uses that). */
export function casedSearchTokens(text: string): { tokens: SearchToken[]; capitalized: boolean[] } {
  const words = normalizeTextKeepingCase(text).match(TOKEN) ?? [];
  return {
    tokens: words.map((word) => foldCase(word) as SearchToken),
    capitalized: words.map((word) => CAPITAL.test(word)),
  };
}
