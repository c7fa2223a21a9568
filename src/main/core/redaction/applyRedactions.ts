import { detectIdentifiers } from './detectIdentifiers.js';
import { normalizeWithOffsets, type NormalizedText } from './normalizeWithOffsets.js';
import { markRedacted, type RedactedText } from './RedactedText.js';
import type { RedactionCategory, RedactionEvent, RedactionResult, RedactionRules, Redactor } from './redactionRules.js';

type Range = { start: number; end: number; category: RedactionCategory; pseudonym: RedactedText; reason: string; priority: number };

// When two matches overlap, the longer wins; on a tie, the more specific category.
const PRIORITY: Record<RedactionCategory, number> = {
  custom: 9, 'witness-name': 8, 'person-name': 7, email: 6, phone: 5, 'national-id': 4, 'birth-date': 3, 'id-number': 2, 'name-part': 1,
};
const DETECTOR_PSEUDONYM: Partial<Record<RedactionCategory, RedactedText>> = {
  phone: markRedacted('[PHONE]'), email: markRedacted('[EMAIL]'), 'national-id': markRedacted('[ID]'), 'id-number': markRedacted('[ID]'), 'birth-date': markRedacted('[BIRTH-DATE]'),
};

/** Maps a match in normalised text back to the original, swallowing marks written on its last letter. */
function originalRange(normalized: NormalizedText, start: number, end: number): { start: number; end: number } | null {
  const from = normalized.start[start];
  const to = normalized.end[end - 1];
  if (from === undefined || to === undefined || to <= from) return null;
  return { start: from, end: to };
}

function mergeRanges(text: string, ranges: Range[]): Range[] {
  const sorted = [...ranges].sort((a, b) => a.start - b.start || b.end - a.end);
  const merged: Range[] = [];
  for (const range of sorted) {
    const last = merged.at(-1);
    // "Samir Qassem" matched as two name parts reads as one [WITNESS-1], not two.
    if (last && range.start >= last.end && last.pseudonym === range.pseudonym && /^[\s-]+$/u.test(text.slice(last.end, range.start))) {
      last.end = range.end;
      continue;
    }
    if (!last || range.start >= last.end) {
      merged.push({ ...range });
      continue;
    }
    // Overlap: one replacement covers both, named after the longer (or more specific) match.
    const lastLength = last.end - last.start;
    const rangeLength = range.end - range.start;
    const winner = rangeLength > lastLength || (rangeLength === lastLength && range.priority > last.priority) ? range : last;
    merged[merged.length - 1] = { ...winner, start: last.start, end: Math.max(last.end, range.end) };
  }
  return merged;
}

/**
 * The redactor: finds every term (with the Arabic normalisation, so harakat, alef forms and
 * Arabic-Indic digits do not hide a name or number), every detector hit and every marked span in
 * `text`, and replaces each with its pseudonym, in the original text.
 */
export function applyRedactions(text: string, field: string, rules: RedactionRules): RedactionResult {
  if (text.length === 0) return { text: markRedacted(''), events: [] };
  const normalized = normalizeWithOffsets(text);
  const ranges: Range[] = [];
  for (const term of rules.terms) {
    for (const pattern of term.patterns) {
      pattern.lastIndex = 0;
      for (const match of normalized.text.matchAll(pattern)) {
        const indices = match.indices?.[1];
        const range = indices ? originalRange(normalized, indices[0], indices[1]) : null;
        if (range) ranges.push({ ...range, category: term.category, pseudonym: term.pseudonym, reason: term.reason, priority: PRIORITY[term.category] });
      }
    }
  }
  if (rules.detectors) {
    for (const detection of detectIdentifiers(normalized.text)) {
      const pseudonym = DETECTOR_PSEUDONYM[detection.category];
      if (rules.keptDetections.has(detection.key) || !pseudonym) continue;
      const range = originalRange(normalized, detection.start, detection.end);
      if (range) ranges.push({ ...range, category: detection.category, pseudonym, reason: `${detection.category} found by the detector`, priority: PRIORITY[detection.category] });
    }
  }
  for (const span of rules.spans) {
    if (span.field !== field) continue;
    ranges.push({ start: span.start, end: Math.min(span.end, text.length), category: 'custom', pseudonym: span.pseudonym, reason: span.reason, priority: PRIORITY.custom });
  }
  if (ranges.length === 0) return { text: markRedacted(text), events: [] };

  let out = '';
  let cursor = 0;
  const events: RedactionEvent[] = [];
  for (const range of mergeRanges(text, ranges)) {
    out += text.slice(cursor, range.start);
    events.push({ field, category: range.category, reason: range.reason, pseudonym: range.pseudonym, offset: out.length });
    out += range.pseudonym;
    cursor = range.end;
  }
  out += text.slice(cursor);
  return { text: markRedacted(out), events };
}

export const defaultRedactor: Redactor = { redact: applyRedactions };
