import { searchTokens, type SearchToken } from './searchTokens.js';

/** A token and where it sits in the original (un-normalised) text, in UTF-16 code units. */
export type TokenSpan = { token: SearchToken; start: number; end: number };

// A written word: letters, digits, marks (harakat included) and invisible format characters (a
// zero-width joiner inside a word), so one regex pass over the original finds every word's extent.
const WORD = /[\p{L}\p{N}\p{M}\p{Cf}]+/gu;
const wordCache = new Map<string, SearchToken[]>();

/** Drops the cached words (they come from decrypted text): called when the index closes. */
export function forgetSpanWords(): number {
  const size = wordCache.size;
  wordCache.clear();
  return size;
}

/** A fresh global regex over written words (it keeps its own `lastIndex`). */
export function wordPattern(): RegExp {
  return new RegExp(WORD.source, 'gu');
}

/** The search tokens of one written word (normalised on its own, cached). */
export function tokensOfWord(word: string): SearchToken[] {
  let tokens = wordCache.get(word);
  if (tokens === undefined) {
    tokens = searchTokens(word);
    if (wordCache.size < 200_000) wordCache.set(word, tokens);
  }
  return tokens;
}

/** The spans of `searchTokenSpans`, one at a time, from `offset` on, so a caller can stop early. */
export function* iterateTokenSpans(text: string, offset = 0): Generator<TokenSpan> {
  const words = wordPattern();
  words.lastIndex = offset;
  for (let match = words.exec(text); match !== null; match = words.exec(text)) {
    const start = match.index;
    const end = start + match[0].length;
    for (const token of tokensOfWord(match[0])) yield { token, start, end };
  }
}

/**
 * The tokens of `text` with their places in the original, for highlighting: each written word is
 * normalised on its own (cached), so a span covers the word as written, harakat and tatweel
 * included. Equals `searchTokens(text)` token for token; a word that normalises to several tokens
 * (rare: `½`) gives each of them the whole word's span.
 */
export function searchTokenSpans(text: string): TokenSpan[] {
  return [...iterateTokenSpans(text)];
}
