import { normalizeText } from '../search/normalizeText.js';

/**
 * A normalised copy of a text that remembers, for every output UTF-16 unit, the original range it
 * came from. Each code point is normalised on its own with the search normalisation (harakat and
 * tatweel dropped, alef/yaa/taa-marbuta folded, Arabic-Indic digits folded, Latin case and accents
 * folded); whitespace runs collapse to one space. A code point that normalises to nothing (a haraka,
 * a zero-width joiner) is absorbed into the character before it, so redacting a word also removes
 * the marks written on it.
 */
export type NormalizedText = {
  text: string;
  /** Original start (inclusive) of output unit i. */
  start: Int32Array;
  /** Original end (exclusive) of output unit i. */
  end: Int32Array;
};

const cache = new Map<number, string>();
const WHITESPACE = /^\s+$/u;

function foldCodePoint(codePoint: number): string {
  if (codePoint < 0x80) {
    return codePoint >= 0x41 && codePoint <= 0x5a ? String.fromCharCode(codePoint + 32) : String.fromCharCode(codePoint);
  }
  let folded = cache.get(codePoint);
  if (folded === undefined) {
    folded = normalizeText(String.fromCodePoint(codePoint));
    if (cache.size < 65_536) cache.set(codePoint, folded);
  }
  return folded;
}

export function normalizeWithOffsets(original: string): NormalizedText {
  let text = '';
  let start = new Int32Array(original.length + 16);
  let end = new Int32Array(original.length + 16);
  let length = 0;
  // Some code points expand (ß → ss, ﷺ → a whole phrase), so the maps can outgrow the original.
  const reserve = (extra: number) => {
    if (length + extra <= start.length) return;
    const capacity = Math.max(start.length * 2, length + extra);
    const grownStart = new Int32Array(capacity);
    grownStart.set(start);
    const grownEnd = new Int32Array(capacity);
    grownEnd.set(end);
    start = grownStart;
    end = grownEnd;
  };
  let lastWasSpace = true;
  for (let offset = 0; offset < original.length; ) {
    const codePoint = original.codePointAt(offset) ?? 0;
    const width = codePoint > 0xffff ? 2 : 1;
    const folded = foldCodePoint(codePoint);
    if (folded.length === 0 || (WHITESPACE.test(folded) && lastWasSpace)) {
      if (length > 0) end[length - 1] = offset + width;
    } else if (WHITESPACE.test(folded)) {
      reserve(1);
      text += ' ';
      start[length] = offset;
      end[length] = offset + width;
      length += 1;
      lastWasSpace = true;
    } else {
      reserve(folded.length);
      for (let i = 0; i < folded.length; i += 1) {
        start[length] = offset;
        end[length] = offset + width;
        length += 1;
      }
      text += folded;
      lastWasSpace = false;
    }
    offset += width;
  }
  return { text, start: start.subarray(0, length), end: end.subarray(0, length) };
}

/** A search term normalised exactly as `normalizeWithOffsets` normalises text, trimmed. */
export function normalizeNeedle(needle: string): string {
  return normalizeWithOffsets(needle).text.trim();
}
