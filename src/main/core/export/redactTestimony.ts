import type { TestimonyView } from '../records/testimonies.js';
import type { VocabularyTerm } from '../records/vocabularySchema.js';
import type { PseudonymRegistry } from '../redaction/PseudonymRegistry.js';
import { markRedacted, type RedactedText } from '../redaction/RedactedText.js';
import type { RedactionRules, Redactor } from '../redaction/redactionRules.js';
import type { RedactionPolicy } from '../redaction/resolveRedactionRules.js';
import type { ExportProfile } from './checkConsent.js';
import { csvRow } from './csvRow.js';
import { encodeRedactedText, type ExportBytes } from './ExportBytes.js';
import { EXPORTED_TESTIMONY_FORMAT, type ExportedTestimony } from './exportedTestimonySchema.js';

/** The shape of a type with every string replaced by RedactedText: such a value cannot hold raw text. */
export type Redacted<T> = T extends string
  ? RedactedText
  : T extends readonly (infer U)[]
    ? Redacted<U>[]
    : T extends object
      ? { [K in keyof T]: Redacted<T[K]> }
      : T;
export type RedactedTestimonyDocument = Redacted<ExportedTestimony>;

/** Runs the injected redactor on one field and logs each replacement (location, never the text). */
export class FieldRedactor {
  readonly logRows: RedactedText[] = [];
  redactions = 0;

  constructor(
    private readonly controlNumber: string,
    private readonly redactor: Redactor,
    private readonly rules: RedactionRules,
  ) {}

  redact(text: string, location: string): RedactedText {
    const result = this.redactor.redact(text, location.replace(/\[\d+\]$/, ''), this.rules);
    for (const event of result.events) {
      this.redactions += 1;
      const reason = this.redactor.redact(event.reason, 'reason', this.rules).text;
      this.logRows.push(csvRow([markRedacted(this.controlNumber), markRedacted(`${location}@${event.offset}`), markRedacted(event.category), reason, event.pseudonym]));
    }
    return result.text;
  }

  logRegion(file: string, region: { x: number; y: number; width: number; height: number; reason: string }): void {
    this.redactions += 1;
    const reason = this.redactor.redact(region.reason || 'marked by the documenter', 'reason', this.rules).text;
    this.logRows.push(csvRow([markRedacted(this.controlNumber), markRedacted(`${file} region x=${region.x} y=${region.y} w=${region.width} h=${region.height}`), markRedacted('image-region'), reason, markRedacted('[BLACKED-OUT]')]));
  }
}

function termLabel(term: VocabularyTerm): string {
  return term.labelEn ?? term.labelAr ?? '';
}

export type TestimonyDocumentInput = {
  controlNumber: string;
  profile: ExportProfile;
  view: TestimonyView;
  policy: RedactionPolicy;
  registry: PseudonymRegistry;
  media: { file: string; mimeType: string; sha256: string }[];
  excludedMedia: string[];
};

/**
 * The redacted testimony. Every string goes through the redactor; under anonymity people appear
 * by pseudonym only and the interview place and interviewer are left out; under `public` the
 * interview date is cut to its year and gender is left out.
 */
export function redactTestimony(input: TestimonyDocumentInput, fields: FieldRedactor): RedactedTestimonyDocument {
  const { view, policy, registry } = input;
  const r = (text: string, location: string) => fields.redact(text, location);
  const list = (values: readonly string[], location: string) => values.map((value, index) => r(value, `${location}[${index}]`));
  const person = (entry: { name: string; aliases: string[]; gender?: string | undefined }, role: string, asWitness: boolean, index: number) => {
    const gender = !policy.fullAnonymisation && entry.gender ? { gender: markRedacted(entry.gender) } : {};
    if (policy.anonymise) return { role: markRedacted(role), pseudonym: registry.register([entry.name, ...entry.aliases], asWitness), ...gender };
    return { role: markRedacted(role), name: r(entry.name, `people[${index}].name`), aliases: list(entry.aliases, `people[${index}].aliases`), ...gender };
  };
  const people = [
    ...(view.interviewee ? [person(view.interviewee, 'interviewee', true, 0)] : []),
    ...view.persons.map((entry, index) => person(entry, entry.role, entry.role === 'witness', index + (view.interviewee ? 1 : 0))),
  ];
  const interviewDate = view.interviewDate ? (policy.fullAnonymisation ? view.interviewDate.slice(0, 4) : view.interviewDate) : undefined;
  return {
    format: markRedacted(EXPORTED_TESTIMONY_FORMAT) as RedactedTestimonyDocument['format'],
    controlNumber: markRedacted(input.controlNumber),
    profile: markRedacted(input.profile) as RedactedTestimonyDocument['profile'],
    anonymised: policy.anonymise,
    language: markRedacted(view.language),
    title: r(view.title, 'title'),
    summary: r(view.summary, 'summary'),
    transcript: r(view.transcript, 'transcript'),
    ...(interviewDate ? { interviewDate: markRedacted(interviewDate) } : {}),
    ...(!policy.anonymise && view.interviewPlace ? { interviewPlace: r(view.interviewPlace, 'interviewPlace') } : {}),
    ...(!policy.anonymise && view.interviewer ? { interviewer: r(view.interviewer, 'interviewer') } : {}),
    ...(view.period
      ? { period: { ...(view.period.from ? { from: markRedacted(view.period.from) } : {}), ...(view.period.to ? { to: markRedacted(view.period.to) } : {}) } }
      : {}),
    tags: list(view.tags, 'tags'),
    facilities: list(view.facilities.map(termLabel), 'facilities'),
    perpetratorUnits: list(view.perpetratorUnits.map(termLabel), 'perpetratorUnits'),
    violations: list(view.violations.map(termLabel), 'violations'),
    consent: {
      scopes: view.consent.scopes.map((scope) => markRedacted(scope)) as RedactedTestimonyDocument['consent']['scopes'],
      anonymity: view.consent.anonymity,
      mediaUse: view.consent.mediaUse,
      ...(view.consent.date ? { date: markRedacted(view.consent.date) } : {}),
    },
    people: people as RedactedTestimonyDocument['people'],
    media: input.media.map((entry) => ({ file: markRedacted(entry.file), mimeType: markRedacted(entry.mimeType), sha256: markRedacted(entry.sha256) })),
    excludedMedia: input.excludedMedia.map((reason) => ({ reason: r(reason, 'excludedMedia') })),
  };
}

export function encodeTestimonyDocument(document: RedactedTestimonyDocument): ExportBytes {
  return encodeRedactedText(markRedacted(`${JSON.stringify(document, null, 2)}\n`));
}
