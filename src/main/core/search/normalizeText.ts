/**
 * One normalisation for indexing, querying, vocabulary matching and redaction, so that the same
 * word written with or without harakat, with another alef, or with Arabic-Indic digits is one word.
 */

// Harakat, tanwin, shadda, sukun, superscript alef, Quranic marks, and the tatweel.
const ARABIC_MARKS = /[\u0610-\u061A\u064B-\u065F\u0670\u06D6-\u06DC\u06DF-\u06E8\u06EA-\u06ED\u0640]/g;
const LETTER_FOLDS: Record<string, string> = {
  'أ': 'ا', 'إ': 'ا', 'آ': 'ا', 'ٱ': 'ا',
  'ى': 'ي', 'ئ': 'ي', 'ی': 'ي', 'ے': 'ي',
  'ة': 'ه', 'ۀ': 'ه', 'ہ': 'ه',
  'ؤ': 'و',
  'ک': 'ك',
};
const LETTER_FOLD_PATTERN = new RegExp(`[${Object.keys(LETTER_FOLDS).join('')}]`, 'g');
const ARABIC_INDIC_DIGITS = /[\u0660-\u0669]/g;
const PERSIAN_DIGITS = /[\u06F0-\u06F9]/g;
// Bidi controls and zero-width joiners carry no meaning for matching and can hide a word from search.
const INVISIBLES = /[\u200B-\u200F\u202A-\u202E\u2066-\u2069\uFEFF]/g;
// Latin letters whose "diacritic" is part of the letter, so NFKD does not split it off (Øland, Łódź,
// Đorđe, Kılıç), plus the Greek final sigma, which lower-casing produces only at the end of a word.
const LATIN_FOLDS: Record<string, string> = {
  'ø': 'o', 'ł': 'l', 'đ': 'd', 'ð': 'd', 'ħ': 'h', 'ı': 'i', 'ŧ': 't', 'þ': 'th', 'æ': 'ae', 'œ': 'oe', 'ß': 'ss', 'ς': 'σ',
};
const LATIN_FOLD_PATTERN = new RegExp(`[${Object.keys(LATIN_FOLDS).join('')}]`, 'g');

export function foldDigits(text: string): string {
  return text
    .replace(ARABIC_INDIC_DIGITS, (digit) => String(digit.charCodeAt(0) - 0x0660))
    .replace(PERSIAN_DIGITS, (digit) => String(digit.charCodeAt(0) - 0x06f0));
}

export function normalizeArabic(text: string): string {
  return foldDigits(text.replace(ARABIC_MARKS, '').replace(LETTER_FOLD_PATTERN, (letter) => LETTER_FOLDS[letter] ?? letter));
}

/** Everything `normalizeText` does except the case fold, so a caller can still see which words were capitalised. */
export function normalizeTextKeepingCase(text: string): string {
  const decomposed = text.normalize('NFKD').replace(INVISIBLES, '');
  // Strip Latin combining marks only; NFKD leaves Arabic harakat as they are (handled above).
  const withoutLatinMarks = decomposed.replace(/[\u0300-\u036F]/g, '');
  return normalizeArabic(withoutLatinMarks.normalize('NFC'));
}

/** The case fold of `normalizeText`: lower case, then the letters NFKD cannot split (ß → ss, ø → o). */
export function foldCase(text: string): string {
  return text.toLowerCase().replace(LATIN_FOLD_PATTERN, (letter) => LATIN_FOLDS[letter] ?? letter);
}

/** Latin: case- and diacritic-folded (é → e, ß → ss, ø → o, ł → l). Arabic: see `normalizeArabic`. */
export function normalizeText(text: string): string {
  return foldCase(normalizeTextKeepingCase(text));
}

/** Normalised key for exact-term matching (vocabulary labels, aliases): whitespace collapsed. */
export function matchKey(text: string): string {
  return normalizeText(text).replace(/[\s\u00A0]+/g, ' ').trim();
}
