import { z } from 'zod';
import { CustodyEventSchema } from '../media/custodyLog.js';
import { PERSON_ROLES, PersonInputSchema } from '../records/personSchema.js';
import { TestimonyImportSchema } from '../records/testimonySchema.js';
import { VocabularyTermInputSchema } from '../records/vocabularySchema.js';
import type { TransferRecordKind } from './transferLayout.js';

/** The two JSON formats inside a transfer payload (transferLayout.ts); both unredacted. */
export const TRANSFER_RECORD_FORMAT = 'tvault-transfer-record/1';
export const TRANSFER_MEDIA_FORMAT = 'tvault-transfer-media/1';

const id = z.string().regex(/^[0-9a-f]{32}$/, 'must be an id');
const instant = z.string().regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{3})?Z$/, 'must be an ISO time');

/**
 * A testimony version as the record store keeps it (TestimonyFields): the import fields with
 * people and vocabulary by id. Strict, so a bundle cannot smuggle a field the app does not know.
 */
export const StoredTestimonyFieldsSchema = TestimonyImportSchema.omit({ interviewee: true, persons: true, facilities: true, perpetratorUnits: true, violations: true })
  .extend({
    intervieweeId: id.optional(),
    persons: z.array(z.object({ personId: id, role: z.enum(PERSON_ROLES) }).strict()).max(1000),
    facilityIds: z.array(id).max(200),
    perpetratorUnitIds: z.array(id).max(200),
    violationIds: z.array(id).max(200),
    createdAt: instant,
    updatedAt: instant,
  })
  .strict();

const FIELDS_SCHEMAS: Record<TransferRecordKind, z.ZodType> = {
  testimony: StoredTestimonyFieldsSchema,
  person: PersonInputSchema,
  vocabularyTerm: VocabularyTermInputSchema,
};

/** Checks one record version's fields against its kind; the stored value is the JSON as sent, once it passes. */
export function storedFieldsAreValid(kind: TransferRecordKind, fields: unknown): { ok: true } | { ok: false; where: string } {
  const parsed = FIELDS_SCHEMAS[kind].safeParse(fields);
  return parsed.success ? { ok: true } : { ok: false, where: parsed.error.issues[0]?.path.join('.') || '(fields)' };
}

/**
 * `records/<kind>-<n>-v<version>.json`: one version of one record, exactly as the sending vault
 * stores it. `versions` is how many the record has; `branchOf` names the record a conflict copy
 * was kept beside (docs/MERGE.md). Vocabulary terms travel as their current labels only.
 */
export const TransferRecordSchema = z
  .object({
    format: z.literal(TRANSFER_RECORD_FORMAT),
    kind: z.enum(['testimony', 'person', 'vocabularyTerm']),
    id,
    version: z.number().int().min(1).max(1_000_000),
    versions: z.number().int().min(1).max(1_000_000),
    branchOf: id.optional(),
    fields: z.record(z.string(), z.unknown()),
  })
  .strict();
export type TransferRecord = z.infer<typeof TransferRecordSchema>;

/**
 * `custody/<n>.json`: a media item's intake facts, unchanged since intake, and its custody log,
 * which ends with this bundle's `transfer.sent`. The original bytes are `file`.
 */
export const TransferMediaSchema = z
  .object({
    format: z.literal(TRANSFER_MEDIA_FORMAT),
    id,
    testimonyId: id,
    file: z.string().regex(/^media\/\d{6,9}\.bin$/),
    originalName: z.string().max(4096),
    mimeType: z.string().min(1).max(200),
    sizeBytes: z.number().int().min(0),
    sha256: z.string().regex(/^[0-9a-f]{64}$/),
    intakeAt: instant,
    custodian: z.string().max(10_000),
    custodyLog: z.array(CustodyEventSchema).min(2).max(100_000),
  })
  .strict();
export type TransferMedia = z.infer<typeof TransferMediaSchema>;
