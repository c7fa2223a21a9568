import { z } from 'zod';
import {
  CONSENT_SCOPES, GENDERS, MAX_PASSPHRASE_UNITS, MAX_SEARCH_QUERY_CHARS, MAX_SUMMARY_CHARS, MAX_TRANSCRIPT_CHARS,
  PERSON_ROLES, SENSITIVITY_LEVELS, TESTIMONY_STATUSES, VOCABULARY_SCHEMES,
} from './vocabularies.js';

/**
 * What the renderer may send. Every object is strict and every string and array is bounded, so a
 * hostile payload is refused here, before it reaches core (which validates again, with defaults).
 */
const text = (max: number) => z.string().min(1, 'must not be empty').max(max);
const PartialDateSchema = z.string().regex(/^\d{4}(-\d{2}(-\d{2})?)?$/, 'must be YYYY, YYYY-MM or YYYY-MM-DD');

/** Record ids are 128 random bits in lowercase hex. */
export const RecordIdSchema = z.string().regex(/^[0-9a-f]{32}$/, 'must be a record id');

export const NoInputSchema = z.void();

export const PassphraseInputSchema = z.strictObject({ passphrase: z.string().min(1).max(MAX_PASSPHRASE_UNITS) });

export const PersonInputSchema = z.strictObject({
  name: text(500),
  aliases: z.array(text(500)).max(100).optional(),
  phone: text(100).optional(),
  nationalId: text(100).optional(),
  email: z.string().max(320).optional(),
  birthDate: PartialDateSchema.optional(),
  gender: z.enum(GENDERS).optional(),
});

export const NamedPersonInputSchema = z.strictObject({ ...PersonInputSchema.shape, role: z.enum(PERSON_ROLES) });

const ConsentInputSchema = z.strictObject({
  scopes: z.array(z.enum(CONSENT_SCOPES)).max(CONSENT_SCOPES.length).optional(),
  anonymity: z.boolean().optional(),
  mediaUse: z.boolean().optional(),
  date: PartialDateSchema.optional(),
  withdrawn: z.boolean().optional(),
});

const editableShape = {
  reference: text(100),
  title: text(1000),
  language: z.string().max(35).regex(/^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/, 'must be a language code such as "ar" or "en"'),
  interviewDate: PartialDateSchema,
  interviewPlace: text(500),
  interviewer: text(500),
  transcript: z.string().max(MAX_TRANSCRIPT_CHARS),
  summary: z.string().max(MAX_SUMMARY_CHARS),
  tags: z.array(text(200)).max(500),
  facilities: z.array(text(500)).max(200),
  perpetratorUnits: z.array(text(500)).max(200),
  violations: z.array(text(500)).max(200),
  period: z.strictObject({ from: PartialDateSchema.optional(), to: PartialDateSchema.optional() }),
  consent: ConsentInputSchema,
  status: z.enum(TESTIMONY_STATUSES),
  sensitivity: z.enum(SENSITIVITY_LEVELS),
};

/** The same fields as core's TestimonyImportSchema; core fills the defaults. */
export const TestimonyCreateInputSchema = z.strictObject({
  reference: editableShape.reference,
  title: editableShape.title,
  language: editableShape.language,
  interviewDate: editableShape.interviewDate.optional(),
  interviewPlace: editableShape.interviewPlace.optional(),
  interviewer: editableShape.interviewer.optional(),
  interviewee: PersonInputSchema.optional(),
  persons: z.array(NamedPersonInputSchema).max(1000).optional(),
  transcript: editableShape.transcript.optional(),
  summary: editableShape.summary.optional(),
  tags: editableShape.tags.optional(),
  facilities: editableShape.facilities.optional(),
  perpetratorUnits: editableShape.perpetratorUnits.optional(),
  violations: editableShape.violations.optional(),
  period: editableShape.period.optional(),
  consent: editableShape.consent.optional(),
  status: editableShape.status.optional(),
  sensitivity: editableShape.sensitivity.optional(),
});
export type TestimonyCreateInput = z.input<typeof TestimonyCreateInputSchema>;

/** Same fields as core's TestimonyPatchSchema: any subset of the editable fields. */
export const TestimonyPatchInputSchema = z.strictObject(editableShape).partial();

export const TestimonyUpdateInputSchema = z.strictObject({ id: RecordIdSchema, patch: TestimonyPatchInputSchema });
export const TestimonyGetInputSchema = z.strictObject({ id: RecordIdSchema, version: z.number().int().min(1).max(1_000_000).optional() });
export const RecordRefInputSchema = z.strictObject({ id: RecordIdSchema });
export const VocabularyListInputSchema = z.strictObject({ scheme: z.enum(VOCABULARY_SCHEMES).optional() });
export const MediaListInputSchema = z.strictObject({ testimonyId: RecordIdSchema.optional() });
export const SearchInputSchema = z.strictObject({ query: z.string().max(MAX_SEARCH_QUERY_CHARS) });

/** Interface settings kept by main beside the vault (no record content, no names): see AppSettingsStore. */
export const UI_LANGUAGES = ['en', 'ar'] as const;
export const QUICK_LOCK_KEYS = ['ctrl+l', 'ctrl+shift+l', 'off'] as const;
export const KDF_PRESETS = ['moderate', 'strong', 'sensitive'] as const;
export const MAX_AUTO_LOCK_MINUTES = 240;
export const AppSettingsSchema = z.strictObject({
  language: z.enum(UI_LANGUAGES),
  /** 0 turns auto-lock off. */
  autoLockMinutes: z.number().int().min(0).max(MAX_AUTO_LOCK_MINUTES),
  quickLockKey: z.enum(QUICK_LOCK_KEYS),
});
export type AppSettings = z.infer<typeof AppSettingsSchema>;
export const AppSettingsPatchInputSchema = AppSettingsSchema.partial();

/** Same rule as core's control-number prefix (1 to 12 upper-case letters or digits, starting with a letter). */
export const CONTROL_PREFIX_PATTERN = /^[A-Z][A-Z0-9]{0,11}$/;
export const VaultSettingsPatchInputSchema = z.strictObject({
  controlNumberPrefix: z.string().regex(CONTROL_PREFIX_PATTERN, 'must be 1 to 12 upper-case letters or digits, starting with a letter').optional(),
});

export const ChangePassphraseInputSchema = z.strictObject({
  passphrase: PassphraseInputSchema.shape.passphrase,
  kdfPreset: z.enum(KDF_PRESETS),
});
export const KeyAddInputSchema = z.strictObject({
  label: text(200),
  passphrase: PassphraseInputSchema.shape.passphrase,
  kdfPreset: z.enum(KDF_PRESETS).optional(),
});
export const RecoveryKeyInputSchema = z.strictObject({ replace: z.boolean() });

export const PersonUpdateInputSchema = z.strictObject({ id: RecordIdSchema, person: PersonInputSchema });
export const VocabularyAddInputSchema = z.strictObject({
  scheme: z.enum(VOCABULARY_SCHEMES),
  labelEn: text(500).optional(),
  labelAr: text(500).optional(),
  aliases: z.array(text(500)).max(200).optional(),
});

/** Links registry persons to a testimony (the person picker). */
export const TestimonyPersonsInputSchema = z.strictObject({
  id: RecordIdSchema,
  intervieweeId: RecordIdSchema.nullable(),
  persons: z.array(z.strictObject({ personId: RecordIdSchema, role: z.enum(PERSON_ROLES) })).max(1000),
});

/** Main opens its own file dialog for this testimony; the renderer never names a path. */
export const MediaAttachInputSchema = z.strictObject({ testimonyId: RecordIdSchema });
export const MediaReadInputSchema = z.strictObject({ mediaId: RecordIdSchema });

/** Dropped files: absolute paths the preload got from electron's webUtils (main confirms with the user first). */
export const MediaAttachDroppedInputSchema = z.strictObject({
  testimonyId: RecordIdSchema,
  paths: z.array(z.string().min(2).max(4096).regex(/^(\/|[A-Za-z]:\\)/, 'must be an absolute path').refine((value) => !value.includes('\0'), 'must not contain NUL')).min(1).max(100),
});
