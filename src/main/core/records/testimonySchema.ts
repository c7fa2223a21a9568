import { z } from 'zod';
import { PartialDateSchema } from './partialDate.js';
import { PERSON_ROLES, PersonInputSchema } from './personSchema.js';

export const CONSENT_SCOPES = ['un-mechanism', 'icc', 'national-prosecution', 'ngo', 'public'] as const;
export const TESTIMONY_STATUSES = ['draft', 'in-review', 'verified', 'archived'] as const;
export const SENSITIVITY_LEVELS = ['normal', 'high', 'critical'] as const;

const text = (max: number) => z.string().trim().min(1, 'must not be empty').max(max);
const MAX_TRANSCRIPT_CHARS = 5_000_000;

export const ConsentSchema = z
  .object({
    scopes: z.array(z.enum(CONSENT_SCOPES)).max(CONSENT_SCOPES.length).default([]),
    anonymity: z.boolean().default(true),
    mediaUse: z.boolean().default(false),
    date: PartialDateSchema.optional(),
    withdrawn: z.boolean().default(false),
  })
  .strict();
export type Consent = z.output<typeof ConsentSchema>;

export const PeriodSchema = z
  .object({ from: PartialDateSchema.optional(), to: PartialDateSchema.optional() })
  .strict()
  .refine((period) => !period.from || !period.to || period.from.slice(0, 4) <= period.to.slice(0, 4), 'period.from must not be after period.to');

export const NamedPersonSchema = PersonInputSchema.extend({ role: z.enum(PERSON_ROLES) });

/** Fields a testimony carries, without defaults, so an edit never resets what it does not name. */
const editableShape = {
  reference: text(100),
  title: text(1000),
  language: z.string().trim().regex(/^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/, 'must be a language code such as "ar" or "en"'),
  interviewDate: PartialDateSchema,
  interviewPlace: text(500),
  interviewer: text(500),
  transcript: z.string().max(MAX_TRANSCRIPT_CHARS),
  summary: z.string().max(100_000),
  tags: z.array(text(200)).max(500),
  facilities: z.array(text(500)).max(200),
  perpetratorUnits: z.array(text(500)).max(200),
  violations: z.array(text(500)).max(200),
  period: PeriodSchema,
  consent: ConsentSchema,
  status: z.enum(TESTIMONY_STATUSES),
  sensitivity: z.enum(SENSITIVITY_LEVELS),
};

/**
 * The testimony import format (docs/testimony-import.schema.json is generated from this).
 * Vocabulary fields take labels or aliases in any language; unknown terms are added and reported.
 */
export const TestimonyImportSchema = z
  .object({
    ...editableShape,
    interviewDate: editableShape.interviewDate.optional(),
    interviewPlace: editableShape.interviewPlace.optional(),
    interviewer: editableShape.interviewer.optional(),
    interviewee: PersonInputSchema.optional(),
    persons: z.array(NamedPersonSchema).max(1000).default([]),
    transcript: editableShape.transcript.default(''),
    summary: editableShape.summary.default(''),
    tags: editableShape.tags.default([]),
    facilities: editableShape.facilities.default([]),
    perpetratorUnits: editableShape.perpetratorUnits.default([]),
    violations: editableShape.violations.default([]),
    period: editableShape.period.optional(),
    // Safe defaults: share with no one, anonymise, keep media in.
    consent: editableShape.consent.default({ scopes: [], anonymity: true, mediaUse: false, withdrawn: false }),
    status: editableShape.status.default('draft'),
    sensitivity: editableShape.sensitivity.default('high'),
  })
  .strict();
export type TestimonyImport = z.input<typeof TestimonyImportSchema>;
export type ParsedTestimonyImport = z.output<typeof TestimonyImportSchema>;

/** An edit: any subset of the editable fields (persons are managed through the registry). */
export const TestimonyPatchSchema = z.object(editableShape).partial().strict();
export type TestimonyPatch = z.input<typeof TestimonyPatchSchema>;

/** What is stored, encrypted, for each testimony version. */
export type TestimonyFields = Omit<ParsedTestimonyImport, 'interviewee' | 'persons' | 'facilities' | 'perpetratorUnits' | 'violations'> & {
  intervieweeId?: string;
  persons: { personId: string; role: (typeof PERSON_ROLES)[number] }[];
  facilityIds: string[];
  perpetratorUnitIds: string[];
  violationIds: string[];
  createdAt: string;
  updatedAt: string;
};

/** Turns a zod failure into one line naming each bad field, e.g. `interviewee.email: must be an email address`. */
export function describeValidationError(error: z.ZodError): string {
  return error.issues
    .slice(0, 5)
    .map((issue) => `${issue.path.length > 0 ? issue.path.join('.') : '(top level)'}: ${issue.message}`)
    .join('; ');
}
