import { sha256Hex } from '../crypto/index.js';
import type { PersonView } from '../records/persons.js';
import type { PersonRole } from '../records/personSchema.js';
import { detectIdentifiers, detectionKey } from './detectIdentifiers.js';
import { normalizeNeedle, normalizeWithOffsets, type NormalizedText } from './normalizeWithOffsets.js';
import { REDACTION_PLAN_FORMAT, type PlanSuggestion, type RedactionPlan } from './redactionPlanSchema.js';
import type { RedactableField, RedactionCategory } from './redactionRules.js';
import { phoneKey, termPatterns } from './termPatterns.js';

/** What the suggester and the rule builder need to know about one testimony. */
export type RedactionSubject = {
  testimonyId: string;
  version: number;
  fields: Record<RedactableField, string>;
  /** Tags, vocabulary labels and custodians: redacted and scanned like the fields, but not span targets. */
  otherTexts: string[];
  interviewee?: PersonView;
  persons: (PersonView & { role: PersonRole })[];
};

/** The person a name suggestion belongs to, so every alias and name part gets that person's pseudonym. */
export type SuggestionOwner = { names: string[]; asWitness: boolean };

/** A generated suggestion: the plan entry plus what the rule builder needs. */
export type GeneratedSuggestion = PlanSuggestion & { id: string; owner?: SuggestionOwner; detectionKey?: string };

// Words in names that say little on their own ("Abu", "al", "bin"): never suggested as name parts.
const NAME_PARTICLES = new Set(['abu', 'abou', 'abo', 'al', 'el', 'bin', 'ben', 'ibn', 'bint', 'abd', 'umm', 'um', 'the', 'of', 'and', 'known', 'as', 'ابو', 'بن', 'بنت', 'ابن', 'ال', 'ام', 'عبد'].map(normalizeNeedle));
const MIN_NAME_PART_CHARS = 3;

export function suggestionId(category: RedactionCategory, key: string): string {
  return `${category}-${sha256Hex(`${category}\n${key}`).slice(0, 16)}`;
}

function nameParts(names: readonly string[]): string[] {
  const parts = new Map<string, string>();
  for (const name of names) {
    for (const part of name.split(/[\s\-.]+/u)) {
      const key = normalizeNeedle(part.replace(/^(al|el)-/i, ''));
      if ([...key].length >= MIN_NAME_PART_CHARS && !NAME_PARTICLES.has(key) && !parts.has(key)) parts.set(key, part);
    }
  }
  return [...parts.values()];
}

function countOccurrences(texts: readonly NormalizedText[], category: RedactionCategory, text: string): number {
  let count = 0;
  for (const pattern of termPatterns(category, text)) {
    for (const normalized of texts) {
      pattern.lastIndex = 0;
      count += [...normalized.text.matchAll(pattern)].length;
    }
  }
  return count;
}

/**
 * Everything that should be redacted when anonymity applies, as accepted suggestions: the
 * interviewee's and every person's name and aliases (and, except for alleged perpetrators, each
 * word of them), their recorded phone, ID, email and birth date, and what the detectors find in
 * the text. The documenter reviews these, rejects or adds, and keeps the plan.
 */
export function suggestRedactions(subject: RedactionSubject, options: { countOccurrences?: boolean } = {}): { plan: RedactionPlan; generated: GeneratedSuggestion[] } {
  // The counts are for the documenter reviewing a plan; an export only needs the suggestions.
  const counting = options.countOccurrences ?? true;
  const originals = [...Object.values(subject.fields), ...subject.otherTexts];
  const texts = originals.map(normalizeWithOffsets);
  const generated: GeneratedSuggestion[] = [];
  const seen = new Set<string>();
  const add = (suggestion: Omit<GeneratedSuggestion, 'id' | 'decision' | 'occurrences'>, key: string) => {
    const id = suggestionId(suggestion.category, key);
    if (seen.has(id)) return;
    seen.add(id);
    generated.push({ ...suggestion, id, decision: 'accept', ...(counting ? { occurrences: countOccurrences(texts, suggestion.category, suggestion.text) } : {}) });
  };

  const people: { person: PersonView; label: string; asWitness: boolean; role: PersonRole | 'interviewee' }[] = [
    ...(subject.interviewee ? [{ person: subject.interviewee, label: 'interviewee', asWitness: true, role: 'interviewee' as const }] : []),
    ...subject.persons.map((person) => ({ person, label: `${person.role} person`, asWitness: person.role === 'witness', role: person.role })),
  ];
  for (const { person, label, asWitness, role } of people) {
    const names = [person.name, ...person.aliases];
    const owner: SuggestionOwner = { names, asWitness };
    const nameCategory = role === 'interviewee' ? 'witness-name' : 'person-name';
    names.forEach((name, index) => {
      add({ source: 'person', category: nameCategory, text: name, reason: `${label} ${index === 0 ? 'name' : 'alias'}`, owner }, normalizeNeedle(name));
    });
    if (role !== 'perpetrator') {
      for (const part of nameParts(names)) add({ source: 'person', category: 'name-part', text: part, reason: `part of the ${label}'s name`, owner }, normalizeNeedle(part));
    }
    if (person.phone) add({ source: 'person', category: 'phone', text: person.phone, reason: `${label} phone number`, detectionKey: detectionKey('phone', person.phone) }, phoneKey(person.phone));
    if (person.nationalId) add({ source: 'person', category: 'national-id', text: person.nationalId, reason: `${label} ID number`, detectionKey: detectionKey('national-id', person.nationalId) }, normalizeNeedle(person.nationalId));
    if (person.email) add({ source: 'person', category: 'email', text: person.email, reason: `${label} email`, detectionKey: detectionKey('email', normalizeNeedle(person.email)) }, normalizeNeedle(person.email));
    if (person.birthDate) add({ source: 'person', category: 'birth-date', text: person.birthDate, reason: `${label} date of birth` }, person.birthDate);
  }

  const recorded = new Set(generated.flatMap((suggestion) => (suggestion.detectionKey ? [suggestion.detectionKey] : [])));
  texts.forEach((normalized, index) => {
    for (const detection of detectIdentifiers(normalized.text)) {
      if (recorded.has(detection.key)) continue;
      const start = normalized.start[detection.start] ?? 0;
      const end = normalized.end[detection.end - 1] ?? start;
      const original = (originals[index] ?? '').slice(start, end);
      if (original.trim() === '') continue;
      add({ source: 'detector', category: detection.category, text: original.trim(), reason: `${detection.category} found by the detector`, detectionKey: detection.key }, detection.key);
    }
  });

  const plan: RedactionPlan = {
    format: REDACTION_PLAN_FORMAT,
    testimonyId: subject.testimonyId,
    testimonyVersion: subject.version,
    suggestions: generated.map(({ owner: _owner, detectionKey: _key, ...suggestion }) => suggestion),
    spans: [],
    imageRegions: [],
    excludedMediaIds: [],
  };
  return { plan, generated };
}
