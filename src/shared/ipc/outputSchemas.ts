import { z } from 'zod';
import {
  AUDIT_ACTIONS, GENDERS, PERSON_ROLES, SENSITIVITY_LEVELS, TESTIMONY_STATUSES, VOCABULARY_SCHEMES, CONSENT_SCOPES,
} from './vocabularies.js';

/**
 * What main may send back. Objects here are not strict: a key core adds that the contract does not
 * name is stripped, so nothing reaches the renderer unless this file says it may.
 */
const id = z.string();
const optionalText = z.string().optional();

export const VaultStatusSchema = z.discriminatedUnion('state', [
  z.object({ state: z.literal('absent') }),
  z.object({ state: z.literal('locked') }),
  z.object({ state: z.literal('unlocked'), vaultId: id }),
]);
export type VaultStatus = z.infer<typeof VaultStatusSchema>;

export const TestimonySummarySchema = z.object({
  id,
  reference: z.string(),
  title: z.string(),
  language: z.string(),
  status: z.enum(TESTIMONY_STATUSES),
  sensitivity: z.enum(SENSITIVITY_LEVELS),
  updatedAt: z.string(),
  interviewDate: optionalText,
  version: z.number().int(),
});
export type TestimonySummary = z.infer<typeof TestimonySummarySchema>;

export const PersonViewSchema = z.object({
  id,
  version: z.number().int(),
  name: z.string(),
  aliases: z.array(z.string()),
  phone: optionalText,
  nationalId: optionalText,
  email: optionalText,
  birthDate: optionalText,
  gender: z.enum(GENDERS).optional(),
});
export type PersonView = z.infer<typeof PersonViewSchema>;

export const VocabularyTermSchema = z.object({
  id,
  scheme: z.enum(VOCABULARY_SCHEMES),
  labelEn: optionalText,
  labelAr: optionalText,
  aliases: z.array(z.string()),
});
export type VocabularyTerm = z.infer<typeof VocabularyTermSchema>;

export const TestimonyViewSchema = z.object({
  id,
  version: z.number().int(),
  headVersion: z.number().int(),
  reference: z.string(),
  title: z.string(),
  language: z.string(),
  interviewDate: optionalText,
  interviewPlace: optionalText,
  interviewer: optionalText,
  transcript: z.string(),
  summary: z.string(),
  tags: z.array(z.string()),
  period: z.object({ from: optionalText, to: optionalText }).optional(),
  consent: z.object({
    scopes: z.array(z.enum(CONSENT_SCOPES)),
    anonymity: z.boolean(),
    mediaUse: z.boolean(),
    date: optionalText,
    withdrawn: z.boolean(),
  }),
  status: z.enum(TESTIMONY_STATUSES),
  sensitivity: z.enum(SENSITIVITY_LEVELS),
  createdAt: z.string(),
  updatedAt: z.string(),
  interviewee: PersonViewSchema.optional(),
  persons: z.array(PersonViewSchema.extend({ role: z.enum(PERSON_ROLES) })),
  facilities: z.array(VocabularyTermSchema),
  perpetratorUnits: z.array(VocabularyTermSchema),
  violations: z.array(VocabularyTermSchema),
});
export type TestimonyView = z.infer<typeof TestimonyViewSchema>;

const AddedTermsSchema = z.array(z.object({ scheme: z.enum(VOCABULARY_SCHEMES), label: z.string() }));

export const TestimonyCreatedSchema = z.object({
  testimonyId: id,
  intervieweeId: optionalText,
  personIds: z.array(id),
  addedTerms: AddedTermsSchema,
});
export const TestimonyUpdatedSchema = z.object({ version: z.number().int(), addedTerms: AddedTermsSchema });
export const TestimonyDeletedSchema = z.object({ mediaDeleted: z.number().int(), personsDeleted: z.number().int() });
export const TestimonyHistorySchema = z.array(z.object({ version: z.number().int(), updatedAt: z.string() }));

/** Chain-of-custody facts of an attached file; the internal blob id stays in main. */
export const MediaViewSchema = z.object({
  id,
  testimonyId: id,
  originalName: z.string(),
  mimeType: z.string(),
  sizeBytes: z.number().int(),
  sha256: z.string(),
  intakeAt: z.string(),
  custodian: z.string(),
});
export type MediaView = z.infer<typeof MediaViewSchema>;

export const SearchHitSchema = z.object({ id, reference: z.string(), matchedTerms: z.number().int() });
export type SearchHit = z.infer<typeof SearchHitSchema>;

export const VerifyReportSchema = z.object({
  ok: z.boolean(),
  problems: z.array(z.object({ where: z.string(), problem: z.string() })),
  counts: z.object({
    records: z.number().int(),
    versions: z.number().int(),
    blobs: z.number().int(),
    blobBytes: z.number().int(),
    auditEntries: z.number().int(),
  }),
});
export type VerifyReport = z.infer<typeof VerifyReportSchema>;

export const AuditReportSchema = z.object({
  entries: z.array(z.object({
    seq: z.number().int(),
    at: z.string(),
    action: z.enum(AUDIT_ACTIONS),
    recordId: optionalText,
    version: z.number().int().optional(),
    details: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).optional(),
  })),
  problems: z.array(z.object({ seq: z.number().int(), problem: z.string() })),
});
export type AuditReport = z.infer<typeof AuditReportSchema>;

export const VaultSettingsSchema = z.object({
  controlNumberPrefix: z.string(),
  wipeAfterFailures: z.number().int().nullable(),
});
export type VaultSettings = z.infer<typeof VaultSettingsSchema>;

export const KeySlotViewSchema = z.object({
  slotId: z.string(),
  kind: z.enum(['passphrase', 'recovery']),
  label: z.string().nullable(),
  createdAt: z.string().nullable(),
  /** The slot this session was unlocked with. */
  current: z.boolean(),
});
export type KeySlotView = z.infer<typeof KeySlotViewSchema>;
export const KeyAddedSchema = z.object({ slotId: z.string() });
/** The recovery key crosses once, to be written down; nothing keeps it. */
export const RecoveryKeyCreatedSchema = z.object({ slotId: z.string(), recoveryKey: z.string() });
export const PersonCreatedSchema = z.object({ id });
export const PersonUpdatedSchema = z.object({ version: z.number().int() });

/** The file dialog's answer: a job attaching every chosen file, or nothing chosen. */
export const MediaAttachStartedSchema = z.object({ jobId: z.string().nullable(), fileCount: z.number().int() });
export const MediaAttachResultSchema = z.object({ attached: z.array(MediaViewSchema.extend({ deduplicated: z.boolean() })) });
export type MediaAttachResult = z.infer<typeof MediaAttachResultSchema>;
/** Decrypted bytes for a preview (blob: URL in the page; never a temp file). */
export const MediaBytesSchema = z.object({ mimeType: z.string(), bytesBase64: z.string() });
export const MAX_PREVIEW_BYTES = 48 * 1024 * 1024;
