import { searchTokens, type SearchToken } from './searchTokens.js';

/** A token and where it sits in the original (un-normalised) text, in UTF-16 code units. */
export type TokenSpan = { token: SearchToken; start: number; end: number };

// A written word: letters, digits, marks (harakat included) and invisible format characters (a
// zero-width joiner inside a word), so one pass over the original finds every word's extent.
const WORD = /[\p{L}\p{N}\p{M}\p{Cf}]+/gu;
const WORD_CODE_POINT = /^[\p{L}\p{N}\p{M}\p{Cf}]$/u;
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

// What each BMP code unit is inside a written word. PLAIN: normalisation leaves it as it is (a–z,
// 0–9, Arabic letters without hamza, madda or a fold), so a word of these is its own token. UPPER:
// A–Z, a word of these and PLAIN ones is its lower case. OTHER: any other word character (harakat,
// tatweel, Latin with diacritics, digits to fold): the word goes through `searchTokens`.
const NOT_WORD = 0;
const PLAIN = 1;
const UPPER = 2;
const OTHER = 3;
const HIGH_SURROGATE = 4;
let codeUnitClasses: Uint8Array<ArrayBuffer> | null = null;

function classifyCodeUnits(): Uint8Array<ArrayBuffer> {
  const classes = new Uint8Array(0x10000);
  for (let unit = 0; unit < 0x10000; unit += 1) {
    if (unit >= 0xd800 && unit <= 0xdbff) {
      classes[unit] = HIGH_SURROGATE;
      continue;
    }
    if (unit >= 0xdc00 && unit <= 0xdfff) continue; // a lone low surrogate is no word character
    const char = String.fromCharCode(unit);
    if (!WORD_CODE_POINT.test(char)) continue;
    if ((unit >= 0x61 && unit <= 0x7a) || (unit >= 0x30 && unit <= 0x39)) classes[unit] = PLAIN;
    else if (unit >= 0x41 && unit <= 0x5a) classes[unit] = UPPER;
    // Arabic letters (starters: nothing composes with them without a mark) that normalise to themselves.
    else if (unit >= 0x0620 && unit <= 0x06ff && /^\p{L}$/u.test(char) && searchTokens(char).join() === char) classes[unit] = PLAIN;
    else classes[unit] = OTHER;
  }
  return classes;
}

/**
 * Walks the written words of a text, as the `WORD` regex finds them, with a table lookup per code
 * unit instead of a Unicode-property regex, and gives a plain word's token without normalising or
 * hashing it: the snippet of a hit reads a few hundred words, and this was most of its cost.
 */
export class WordCursor {
  private text = '';
  private at = 0;
  private classes = new Uint8Array(0);
  /** The current word: [start, end) in code units. */
  start = 0;
  end = 0;
  /** The highest class of the current word's code units. */
  private wordClass = NOT_WORD;

  reset(text: string, offset = 0): void {
    // Built on the first scan, not at import (about 10 ms).
    this.classes = codeUnitClasses ??= classifyCodeUnits();
    this.text = text;
    this.at = offset;
  }

  /** Moves to the next written word; false after the last one. */
  next(): boolean {
    const { text, classes } = this;
    const length = text.length;
    let at = this.at;
    let wordClass = NOT_WORD;
    let start = -1;
    while (at < length) {
      const unit = text.charCodeAt(at);
      let kind = classes[unit] as number;
      let width = 1;
      if (kind === HIGH_SURROGATE) {
        const low = at + 1 < length ? text.charCodeAt(at + 1) : 0;
        kind = NOT_WORD;
        if (low >= 0xdc00 && low <= 0xdfff) {
          width = 2;
          if (WORD_CODE_POINT.test(text.slice(at, at + 2))) kind = OTHER;
        }
      }
      if (kind === NOT_WORD) {
        if (start >= 0) break;
      } else {
        if (start < 0) start = at;
        if (kind > wordClass) wordClass = kind;
      }
      at += width;
    }
    this.at = at;
    if (start < 0) return false;
    this.start = start;
    this.end = at;
    this.wordClass = wordClass;
    return true;
  }

  /** The current word's token when it is a plain word (no lookup needed), else null. */
  plainToken(): SearchToken | null {
    if (this.wordClass === PLAIN) return this.text.slice(this.start, this.end) as SearchToken;
    if (this.wordClass === UPPER) return this.text.slice(this.start, this.end).toLowerCase() as SearchToken;
    return null;
  }

  /** The current word's tokens (usually one; none for a word of marks only). */
  tokens(): readonly SearchToken[] {
    const plain = this.plainToken();
    return plain === null ? tokensOfWord(this.text.slice(this.start, this.end)) : [plain];
  }
}

/** The spans of `searchTokenSpans`, one at a time, from `offset` on, so a caller can stop early. */
export function* iterateTokenSpans(text: string, offset = 0): Generator<TokenSpan> {
  const cursor = new WordCursor();
  cursor.reset(text, offset);
  while (cursor.next()) {
    const { start, end } = cursor;
    for (const token of cursor.tokens()) yield { token, start, end };
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
