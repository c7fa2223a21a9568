import { array, boolean, enum as enumOf, literal, object, string, type infer as Infer } from 'zod';
import { BUNDLE_CONSENT_SCOPES, BUNDLE_PERSON_ROLES } from './bundleVocabulary.js';

/**
 * `testimonies/<control-number>.json` in a bundle: the redacted testimony. Pure (shared with the
 * viewer). Under anonymity people appear only by pseudonym; the place of the interview and the
 * interviewer are left out; under `public` the interview date is cut to the year.
 */
export const EXPORTED_TESTIMONY_FORMAT = 'tvault-testimony/1';

const text = string().max(10_000_000);
const PersonSchema =
  object({
    role: enumOf([...BUNDLE_PERSON_ROLES, 'interviewee']),
    pseudonym: string().max(40).optional(),
    name: text.optional(),
    aliases: array(text).max(100).optional(),
    gender: string().max(20).optional(),
  })
  .strict();

export const ExportedTestimonySchema =
  object({
    format: literal(EXPORTED_TESTIMONY_FORMAT),
    controlNumber: string().regex(/^[A-Z][A-Z0-9]{0,11}-\d{6,9}$/),
    profile: enumOf(BUNDLE_CONSENT_SCOPES),
    anonymised: boolean(),
    language: string().max(40),
    title: text,
    summary: text,
    transcript: text,
    interviewDate: string().max(20).optional(),
    interviewPlace: text.optional(),
    interviewer: text.optional(),
    period: object({ from: string().max(20).optional(), to: string().max(20).optional() }).strict().optional(),
    tags: array(text).max(500),
    facilities: array(text).max(500),
    perpetratorUnits: array(text).max(500),
    violations: array(text).max(500),
    consent: object({ scopes: array(enumOf(BUNDLE_CONSENT_SCOPES)), anonymity: boolean(), mediaUse: boolean(), date: string().max(20).optional() }).strict(),
    people: array(PersonSchema).max(1001),
    media: array(object({ file: string().max(120), mimeType: string().max(60), sha256: string().regex(/^[0-9a-f]{64}$/) }).strict()).max(10_000),
    excludedMedia: array(object({ reason: text }).strict()).max(10_000),
  })
  .strict();

export type ExportedTestimony = Infer<typeof ExportedTestimonySchema>;
