import type { RedactedText } from './RedactedText.js';

/** What a redaction hides; also the CATEGORY column of REDACTION_LOG.csv. */
export const REDACTION_CATEGORIES = [
  'witness-name', 'person-name', 'name-part', 'phone', 'email', 'national-id', 'id-number', 'birth-date', 'custom',
] as const;
export type RedactionCategory = (typeof REDACTION_CATEGORIES)[number];

/** Text fields of a testimony that documenter-marked spans may point into. */
export const REDACTABLE_FIELDS = ['title', 'summary', 'transcript', 'interviewPlace', 'interviewer'] as const;
export type RedactableField = (typeof REDACTABLE_FIELDS)[number];

/** A string to find everywhere (a name, an alias, a recorded phone number), with the patterns that find it. */
export type RedactionTerm = {
  id: string;
  category: RedactionCategory;
  pseudonym: RedactedText;
  /** May hold documenter text: redact it before it is written anywhere. */
  reason: string;
  /** Regexes over `normalizeWithOffsets(text).text`; flags `gdu`; group 1 is what is replaced. */
  patterns: RegExp[];
};

/** A range of one field's original text, marked by the documenter. */
export type RedactionSpan = { field: RedactableField; start: number; end: number; pseudonym: RedactedText; reason: string };

export type RedactionRules = {
  /** Run the phone, email, ID-number and birth-date detectors (whenever anonymity applies). */
  detectors: boolean;
  terms: RedactionTerm[];
  spans: RedactionSpan[];
  /** Detector hits the documenter chose to keep, as `detectionKey` values. */
  keptDetections: ReadonlySet<string>;
};

/** One replacement, as logged: never the text that was replaced. */
export type RedactionEvent = {
  field: string;
  category: RedactionCategory;
  /** May hold documenter text: redact it before it is written anywhere. */
  reason: string;
  pseudonym: RedactedText;
  /** Where the pseudonym starts in the redacted field. */
  offset: number;
};

export type RedactionResult = { text: RedactedText; events: RedactionEvent[] };

/** The redactor is injected into the export so tests can prove the leak check stops a broken one. */
export type Redactor = {
  redact(text: string, field: string, rules: RedactionRules): RedactionResult;
};
