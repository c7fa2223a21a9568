import { foldDigits } from '../search/normalizeText.js';
import { normalizeNeedle } from './normalizeWithOffsets.js';
import type { RedactionCategory } from './redactionRules.js';

/**
 * Regexes that find one recorded value in `normalizeWithOffsets` output (lower case, digits folded
 * to ASCII, no harakat, single spaces). Group 1 is always the part to replace.
 */
const FLAGS = 'gdu';
/** Separators people put inside phone and ID numbers. */
export const DIGIT_SEPARATOR = '[ \\-.()/]{0,3}';
/** Arabic proclitics written onto a name: a conjunction (و ف), a preposition (ب ل ك, or لل) and the article, each optional. */
export const ARABIC_PROCLITICS = '(?:[وف]?(?:لل|[بلك])?(?:ال)?)';
const NOT_WORD_BEFORE = '(?<![\\p{L}\\p{N}\\p{M}])';
const NOT_WORD_AFTER = '(?![\\p{L}\\p{N}\\p{M}])';
const ARABIC_LETTER = /[\u0600-\u06FF\u0750-\u077F\u08A0-\u08FF]/;

export function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

/**
 * A name or alias. Tokens may be joined by a space, a hyphen, a dot or nothing ("Abu Ali",
 * "Abu-Ali", "AbuAli"). Arabic names may carry a proclitic (وسمير "and Samir"), which stays.
 */
export function namePattern(text: string): RegExp | null {
  const needle = normalizeNeedle(text);
  const tokens = needle.split(/[ -]+/).filter((token) => token.length > 0);
  if (tokens.join('').length < 2) return null;
  const body = tokens.map(escapeRegExp).join("[ \\-_.'’]{0,3}");
  const before = ARABIC_LETTER.test(needle.charAt(0)) ? `${NOT_WORD_BEFORE}${ARABIC_PROCLITICS}` : NOT_WORD_BEFORE;
  return new RegExp(`${before}(${body})${NOT_WORD_AFTER}`, FLAGS);
}

function digitsOf(text: string): string {
  return foldDigits(text).replace(/\D/g, '');
}

function joinDigits(digits: string): string {
  return [...digits].join(DIGIT_SEPARATOR);
}

/** The national significant number of a phone (no country code, no trunk 0), assuming Syria for local numbers. */
export function phoneKey(text: string): string {
  const folded = foldDigits(text).trim();
  let digits = digitsOf(folded);
  if (folded.startsWith('+') || digits.startsWith('00')) {
    if (digits.startsWith('00')) digits = digits.slice(2);
    if (digits.startsWith('963')) digits = digits.slice(3);
  } else if (digits.startsWith('963') && digits.length >= 11) {
    digits = digits.slice(3);
  }
  return digits.replace(/^0/, '');
}

/** A recorded phone number in international (+963 / 00963 / 963), local (0…) or bare form, any spacing. */
export function phonePattern(text: string): RegExp | null {
  const folded = foldDigits(text).trim();
  const digits = digitsOf(folded);
  if (digits.length < 6) return null;
  const international = folded.startsWith('+') || digits.startsWith('00');
  const withoutPrefix = digits.startsWith('00') ? digits.slice(2) : digits;
  if (international && !withoutPrefix.startsWith('963')) {
    return new RegExp(`(?<!\\d)((?:\\+|00)?${DIGIT_SEPARATOR}${joinDigits(withoutPrefix)})(?!\\d)`, FLAGS);
  }
  const national = phoneKey(text);
  const S = DIGIT_SEPARATOR;
  return new RegExp(`(?<![\\d+])(\\(?(?:(?:\\+|00)${S}963${S}(?:\\(0\\)${S})?|963${S}|0${S})?${joinDigits(national)})(?!\\d)`, FLAGS);
}

/** A recorded ID number: its letters and digits in order, with any separators between them. */
export function nationalIdPattern(text: string): RegExp | null {
  const compact = normalizeNeedle(text).replace(/[^\p{L}\p{N}]/gu, '');
  if (compact.length < 4) return null;
  return new RegExp(`${NOT_WORD_BEFORE}(${[...compact].map(escapeRegExp).join('[ \\-./]{0,2}')})${NOT_WORD_AFTER}`, FLAGS);
}

export function emailPattern(text: string): RegExp | null {
  const needle = normalizeNeedle(text);
  if (!needle.includes('@')) return null;
  return new RegExp(`(?<![\\p{L}\\p{N}._%+-])(${escapeRegExp(needle)})(?![\\p{L}\\p{N}_%+-])`, FLAGS);
}

const MONTHS_EN = [
  ['january', 'jan'], ['february', 'feb'], ['march', 'mar'], ['april', 'apr'], ['may'], ['june', 'jun'],
  ['july', 'jul'], ['august', 'aug'], ['september', 'sept', 'sep'], ['october', 'oct'], ['november', 'nov'], ['december', 'dec'],
];
// Levantine (used in Syria) and Egyptian/Gulf month names.
const MONTHS_AR = [
  ['كانون الثاني', 'يناير'], ['شباط', 'فبراير'], ['آذار', 'مارس'], ['نيسان', 'أبريل', 'إبريل'], ['أيار', 'مايو'], ['حزيران', 'يونيو', 'يونيه'],
  ['تموز', 'يوليو', 'يوليه'], ['آب', 'أغسطس'], ['أيلول', 'سبتمبر'], ['تشرين الأول', 'أكتوبر'], ['تشرين الثاني', 'نوفمبر'], ['كانون الأول', 'ديسمبر'],
];

/** Names of month `month` (1–12) as a regex alternation over normalised text. */
export function monthNames(month: number): string {
  const names = [...(MONTHS_EN[month - 1] ?? []), ...(MONTHS_AR[month - 1] ?? []).map(normalizeNeedle)];
  return `(?:${names.map((name) => `${escapeRegExp(name)}\\.?`).join('|')})`;
}

export const ANY_MONTH = `(?:${Array.from({ length: 12 }, (_, i) => monthNames(i + 1)).join('|')})`;
const DATE_SEPARATOR = '[ \\-./]{1,2}';
const ORDINAL = '(?:st|nd|rd|th)?';

/** A recorded birth date (YYYY, YYYY-MM or YYYY-MM-DD) written in the usual numeric and named-month forms. */
export function birthDatePatterns(date: string): RegExp[] {
  const [yearText, monthText, dayText] = date.split('-');
  if (!yearText) return [];
  const year = `(?:${yearText})`;
  const S = DATE_SEPARATOR;
  const bounded = (body: string) => new RegExp(`(?<![\\p{N}])(${body})(?![\\p{N}])`, FLAGS);
  const patterns: RegExp[] = [];
  if (monthText && dayText) {
    const m = `0?${Number(monthText)}`;
    const d = `0?${Number(dayText)}`;
    const shortYear = `(?:${yearText}|${yearText.slice(2)})`;
    const named = monthNames(Number(monthText));
    patterns.push(
      bounded(`${year}${S}${m}${S}${d}`),
      bounded(`${d}${S}${m}${S}${shortYear}`),
      bounded(`${m}${S}${d}${S}${shortYear}`),
      bounded(`${d}${ORDINAL}(?: of)? ?${named},? ?${year}`),
      bounded(`${named} ?${d}${ORDINAL},? ?${year}`),
    );
  } else if (monthText) {
    const m = `0?${Number(monthText)}`;
    patterns.push(bounded(`${year}${S}${m}`), bounded(`${m}${S}${year}`), bounded(`${monthNames(Number(monthText))},? ?${year}`));
  }
  // A bare year is redacted only where the text says it is a birth year.
  patterns.push(new RegExp(`${BIRTH_CONTEXT}[: ]{0,3}(${year})(?![\\p{N}])`, FLAGS));
  return patterns;
}

/** Words that introduce a date of birth, English and Arabic (normalised: ة→ه, no harakat). */
export const BIRTH_CONTEXT = '(?:born(?: on| in)?|date of birth|birth ?date|d\\.?o\\.?b\\.?|من مواليد(?: عام| سنه)?|مواليد(?: عام| سنه)?|تولد|تاريخ الميلاد|ولدت?(?: في| بتاريخ| عام| سنه)?)';

export function termPatterns(category: RedactionCategory, text: string): RegExp[] {
  const patterns = (() => {
    switch (category) {
      case 'phone':
        return [phonePattern(text)];
      case 'national-id':
      case 'id-number':
        return [nationalIdPattern(text)];
      case 'email':
        return [emailPattern(text)];
      case 'birth-date':
        return /^\d{4}(-\d{2}){0,2}$/.test(text) ? birthDatePatterns(text) : [namePattern(text)];
      default:
        return [namePattern(text)];
    }
  })();
  return patterns.filter((pattern): pattern is RegExp => pattern !== null);
}
