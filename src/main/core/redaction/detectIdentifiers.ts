import { foldDigits } from '../search/normalizeText.js';
import type { RedactionCategory } from './redactionRules.js';
import { ANY_MONTH, BIRTH_CONTEXT, DIGIT_SEPARATOR, phoneKey } from './termPatterns.js';

/** A detector hit in normalised text; `key` identifies the value however it was written. */
export type Detection = { category: RedactionCategory; start: number; end: number; key: string };

const S = DIGIT_SEPARATOR;
const NUMERIC_DATE = '\\d{1,4}[ \\-./]{1,2}\\d{1,2}[ \\-./]{1,2}\\d{2,4}';
const NAMED_DATE = `(?:\\d{1,2}(?:st|nd|rd|th)?(?: of)? ?${ANY_MONTH},? ?\\d{4}|${ANY_MONTH} ?\\d{1,2}(?:st|nd|rd|th)?,? ?\\d{4}|${ANY_MONTH},? ?\\d{4})`;

const DETECTORS: { category: RedactionCategory; pattern: RegExp }[] = [
  // Syrian numbers: +963 / 00963 / 963 then 8–9 digits; local mobiles 09xx xxx xxx. Any spacing.
  { category: 'phone', pattern: new RegExp(`(?<![\\d+])((?:\\+|00)${S}963${S}(?:\\(0\\)${S})?\\d(?:${S}\\d){7,8})(?!\\d)`, 'gdu') },
  { category: 'phone', pattern: new RegExp(`(?<![\\d+])(963${S}9(?:${S}\\d){8})(?!\\d)`, 'gdu') },
  { category: 'phone', pattern: new RegExp(`(?<!\\d)(\\(?0${S}9(?:${S}\\d){8})(?!\\d)`, 'gdu') },
  // Any other international number written with a plus sign.
  { category: 'phone', pattern: new RegExp(`(?<![\\d+\\p{L}])(\\+${S}[1-9](?:${S}\\d){7,14})(?!\\d)`, 'gdu') },
  { category: 'email', pattern: /(?<![\p{L}\p{N}._%+-])([\p{L}\p{N}._%+-]+@[\p{L}\p{N}-]+(?:\.[\p{L}\p{N}-]+)+)/dgu },
  // Syrian national numbers have 11 digits; any other run of 8+ digits is treated as an identifier too.
  { category: 'national-id', pattern: /(?<!\p{N})(\d{11})(?!\p{N})/dgu },
  { category: 'id-number', pattern: /(?<!\p{N})(\d{8,})(?!\p{N})/dgu },
  { category: 'birth-date', pattern: new RegExp(`${BIRTH_CONTEXT}[: ]{0,3}(${NUMERIC_DATE}|${NAMED_DATE}|\\d{4})(?!\\p{N})`, 'gdu') },
];

export function detectionKey(category: RedactionCategory, matchedText: string): string {
  if (category === 'phone') return `phone:${phoneKey(matchedText)}`;
  if (category === 'national-id' || category === 'id-number') return `id:${foldDigits(matchedText).replace(/\D/g, '')}`;
  return `${category}:${matchedText.trim()}`;
}

/** Runs every detector over normalised text (see normalizeWithOffsets). Overlaps are resolved by the caller. */
export function detectIdentifiers(normalized: string): Detection[] {
  const detections: Detection[] = [];
  for (const { category, pattern } of DETECTORS) {
    pattern.lastIndex = 0;
    for (const match of normalized.matchAll(pattern)) {
      const range = match.indices?.[1];
      const value = match[1];
      if (!range || value === undefined) continue;
      detections.push({ category, start: range[0], end: range[1], key: detectionKey(category, value) });
    }
  }
  return detections;
}
