import { z } from 'zod';
import { RecordIdSchema } from './inputSchemas.js';
import { JobStartedSchema } from './jobSchemas.js';
import { CONSENT_SCOPES, MAX_SEARCH_QUERY_CHARS, TESTIMONY_STATUSES } from './vocabularies.js';

/**
 * The research and export channels: search, analytics, redaction review, export, and opening a
 * received bundle. Inputs are strict and bounded (the renderer is hostile until proven otherwise);
 * outputs are not strict, so anything core adds that is not named here is stripped.
 */

// Copies of core's closed lists (shared code may not import core); tests/electron/researchHandlers.test.ts keeps them equal.
export const REDACTION_CATEGORIES = ['witness-name', 'person-name', 'name-part', 'phone', 'email', 'national-id', 'id-number', 'birth-date', 'custom'] as const;
export const REDACTABLE_FIELDS = ['title', 'summary', 'transcript', 'interviewPlace', 'interviewer'] as const;
export const EXPORT_PROFILES = CONSENT_SCOPES;
export type ExportProfile = (typeof EXPORT_PROFILES)[number];

const PartialDateSchema = z.string().regex(/^\d{4}(-\d{2}(-\d{2})?)?$/, 'must be YYYY, YYYY-MM or YYYY-MM-DD');
const DateRangeSchema = z.strictObject({ from: PartialDateSchema.optional(), to: PartialDateSchema.optional() });
const termValues = z.array(z.string().min(1).max(500)).max(50);

export const SearchFiltersInputSchema = z.strictObject({
  facilities: termValues.optional(),
  perpetratorUnits: termValues.optional(),
  violations: termValues.optional(),
  period: DateRangeSchema.optional(),
  interviewDate: DateRangeSchema.optional(),
  languages: z.array(z.string().regex(/^[a-z]{2,3}(-[a-z0-9]{2,8})*$/, 'must be a language code such as "ar"')).max(20).optional(),
  consentScopes: z.array(z.enum(CONSENT_SCOPES)).max(CONSENT_SCOPES.length).optional(),
  hasMedia: z.boolean().optional(),
  statuses: z.array(z.enum(TESTIMONY_STATUSES)).max(TESTIMONY_STATUSES.length).optional(),
});
export type SearchFiltersInput = z.input<typeof SearchFiltersInputSchema>;

/** Core's SearchRequest, bounded for IPC. Core parses it again, with its own defaults. */
export const SearchRequestInputSchema = z.strictObject({
  query: z.string().max(MAX_SEARCH_QUERY_CHARS),
  tolerant: z.boolean().optional(),
  expandVariants: z.boolean().optional(),
  limit: z.number().int().min(0).max(200).optional(),
  offset: z.number().int().min(0).max(100_000).optional(),
  filters: SearchFiltersInputSchema.optional(),
});
export type SearchRequestInput = z.input<typeof SearchRequestInputSchema>;

const SnippetSchema = z.object({
  field: z.enum(['title', 'summary', 'transcript']),
  text: z.string(),
  highlights: z.array(z.object({ start: z.number().int().min(0), end: z.number().int().min(0) })),
  clippedStart: z.boolean(),
  clippedEnd: z.boolean(),
});
export type SnippetView = z.infer<typeof SnippetSchema>;

const FacetBucketSchema = z.object({ value: z.string(), count: z.number().int(), labelEn: z.string().optional(), labelAr: z.string().optional() });
export type FacetBucketView = z.infer<typeof FacetBucketSchema>;
export const FACET_DIMENSIONS = ['facility', 'perpetratorUnit', 'violation', 'year', 'interviewYear', 'language', 'consentScope', 'hasMedia', 'status'] as const;
export type FacetDimension = (typeof FACET_DIMENSIONS)[number];

export const SearchResultSchema = z.object({
  total: z.number().int(),
  hits: z.array(z.object({ id: z.string(), reference: z.string(), title: z.string(), score: z.number(), snippet: SnippetSchema })),
  facets: z.object({
    facility: z.array(FacetBucketSchema),
    perpetratorUnit: z.array(FacetBucketSchema),
    violation: z.array(FacetBucketSchema),
    year: z.array(FacetBucketSchema),
    interviewYear: z.array(FacetBucketSchema),
    language: z.array(FacetBucketSchema),
    consentScope: z.array(FacetBucketSchema),
    hasMedia: z.array(FacetBucketSchema),
    status: z.array(FacetBucketSchema),
  } satisfies Record<FacetDimension, z.ZodType>),
  expansions: z.array(z.object({ matched: z.string(), kinds: z.array(z.string()), variants: z.array(z.string()) })),
});
export type SearchResultView = z.infer<typeof SearchResultSchema>;

/** How the index was opened (a job's result): from its sealed snapshot, or rebuilt from the records, and why. */
export const SearchIndexReportSchema = z.object({
  source: z.enum(['snapshot', 'rebuilt']),
  rebuildReason: z.enum(['missing', 'damaged', 'other-vault', 'requested']).optional(),
  documents: z.number().int(),
  milliseconds: z.number(),
});
export type SearchIndexReport = z.infer<typeof SearchIndexReportSchema>;

export const SearchIdsSchema = z.array(z.string()).max(100_000);

const AnalyticsTermSchema = z.object({ id: z.string(), labelEn: z.string().optional(), labelAr: z.string().optional() }).nullable();
export const SearchAnalyticsSchema = z.object({
  total: z.number().int(),
  facilityViolationYear: z.array(z.object({ facility: AnalyticsTermSchema, violation: AnalyticsTermSchema, year: z.number().int().nullable(), count: z.number().int() })),
  unitYear: z.array(z.object({ perpetratorUnit: AnalyticsTermSchema, year: z.number().int().nullable(), count: z.number().int() })),
});
export type SearchAnalyticsView = z.infer<typeof SearchAnalyticsSchema>;
export type AnalyticsTermView = z.infer<typeof AnalyticsTermSchema>;

export const AnalyticsCsvInputSchema = z.strictObject({
  request: SearchRequestInputSchema,
  labels: z.enum(['en', 'ar']),
  /** Cells with fewer testimonies are left out: a count of one can single a witness out. */
  minimumCount: z.number().int().min(1).max(1000),
});
/** `saved: false` when the user closed the save dialog. Only the file's name comes back, not its folder. */
export const AnalyticsCsvSavedSchema = z.object({ saved: z.boolean(), fileName: z.string().optional(), rows: z.number().int() });

// ----- Export: consent, redaction review, sealing -----

export const TestimonyIdsSchema = z.array(RecordIdSchema).min(1).max(10_000);

export const ExportReviewInputSchema = z.strictObject({ testimonyIds: TestimonyIdsSchema, profile: z.enum(EXPORT_PROFILES) });
export const ExportReviewSchema = z.array(z.object({
  testimonyId: z.string(),
  reference: z.string(),
  title: z.string(),
  consent: z.discriminatedUnion('ok', [
    z.object({ ok: z.literal(true), anonymise: z.boolean(), fullAnonymisation: z.boolean(), mediaAllowed: z.boolean() }),
    z.object({ ok: z.literal(false), code: z.enum(['CONSENT_WITHDRAWN', 'CONSENT_SCOPE', 'NOT_FOUND']), reason: z.string() }),
  ]),
  hasSavedPlan: z.boolean(),
}));
export type ExportReviewItem = z.infer<typeof ExportReviewSchema>[number];

const PseudonymSchema = z.string().regex(/^\[[A-Z][A-Z0-9-]{0,30}\]$/, 'must look like [PLACE-1]');
const PlanSuggestionSchema = z.strictObject({
  id: z.string().regex(/^[a-z0-9][a-z0-9-]{0,63}$/).optional(),
  source: z.enum(['person', 'detector', 'user']),
  category: z.enum(REDACTION_CATEGORIES),
  text: z.string().min(1).max(1000),
  reason: z.string().max(500).optional(),
  pseudonym: PseudonymSchema.optional(),
  decision: z.enum(['accept', 'reject']),
  occurrences: z.number().int().min(0).optional(),
});
const PlanSpanSchema = z.strictObject({
  field: z.enum(REDACTABLE_FIELDS),
  start: z.number().int().min(0).max(10_000_000),
  end: z.number().int().min(1).max(10_000_000),
  textSha256: z.string().regex(/^[0-9a-f]{64}$/),
  reason: z.string().max(500).optional(),
  pseudonym: PseudonymSchema.optional(),
});
const pixels = z.number().int().min(0).max(100_000);
const ImageRegionSchema = z.strictObject({ mediaId: RecordIdSchema, x: pixels, y: pixels, width: pixels.min(1), height: pixels.min(1), reason: z.string().max(500).optional() });

/** Core's redaction plan (tvault-redaction-plan/1). It holds the very text it hides: it stays in memory and in the vault. */
export const RedactionPlanInputSchema = z.strictObject({
  format: z.literal('tvault-redaction-plan/1'),
  testimonyId: RecordIdSchema,
  testimonyVersion: z.number().int().min(1).max(1_000_000),
  suggestions: z.array(PlanSuggestionSchema).max(20_000),
  spans: z.array(PlanSpanSchema).max(20_000),
  imageRegions: z.array(ImageRegionSchema).max(5_000),
  excludedMediaIds: z.array(RecordIdSchema).max(5_000),
});
export type RedactionPlanView = z.infer<typeof RedactionPlanInputSchema>;
export type PlanSpanView = z.infer<typeof PlanSpanSchema>;
/** Output side: the same shape, not strict (extra keys are stripped). */
const RedactionPlanOutputSchema = z.object({
  format: z.literal('tvault-redaction-plan/1'),
  testimonyId: z.string(),
  testimonyVersion: z.number().int(),
  suggestions: z.array(PlanSuggestionSchema.strip()),
  spans: z.array(PlanSpanSchema.strip()),
  imageRegions: z.array(ImageRegionSchema.strip()),
  excludedMediaIds: z.array(z.string()),
});

/** `fresh`: ignore the saved plan (e.g. it no longer fits an edited testimony) and start from the suggestions. */
export const RedactionDraftInputSchema = z.strictObject({ testimonyId: RecordIdSchema, fresh: z.boolean().optional() });
/** The plan to review: the saved one, or (none saved, or fresh) every suggestion, accepted. */
export const RedactionDraftSchema = z.object({ source: z.enum(['saved', 'suggested']), plan: RedactionPlanOutputSchema });
export type RedactionDraft = z.infer<typeof RedactionDraftSchema>;

export const RedactionPreviewInputSchema = z.strictObject({ testimonyId: RecordIdSchema, profile: z.enum(EXPORT_PROFILES), plan: RedactionPlanInputSchema });
export const RedactionPreviewSchema = z.object({
  anonymised: z.boolean(),
  title: z.string(),
  summary: z.string(),
  transcript: z.string(),
  events: z.array(z.object({ field: z.string(), category: z.string(), pseudonym: z.string(), offset: z.number().int() })),
  warnings: z.array(z.string()),
});
export type RedactionPreviewView = z.infer<typeof RedactionPreviewSchema>;

export const RedactionSaveInputSchema = z.strictObject({ testimonyId: RecordIdSchema, plan: RedactionPlanInputSchema });
export const RedactionSavedSchema = z.object({ saved: z.literal(true) });

/** A range the documenter selected; main fingerprints the slice so core never applies it to changed text. */
export const RedactionSpanInputSchema = z.strictObject({
  testimonyId: RecordIdSchema,
  version: z.number().int().min(1).max(1_000_000),
  field: z.enum(REDACTABLE_FIELDS),
  start: z.number().int().min(0).max(10_000_000),
  end: z.number().int().min(1).max(10_000_000),
});
export const RedactionSpanSchema = PlanSpanSchema.strip();

const AGE_RECIPIENT = /^age1[qpzry9x8gf2tvdw0s3jn54khce6mua7l]{58}$/;
export const ExportStartInputSchema = z.strictObject({
  testimonyIds: TestimonyIdsSchema,
  profile: z.enum(EXPORT_PROFILES),
  recipients: z.array(z.string().regex(AGE_RECIPIENT, 'must be an age public key (age1 and 58 letters and digits)')).min(1).max(64),
  /** Plans reviewed in the wizard, by testimony id; without one, the saved plan, else every suggestion. */
  plans: z.record(RecordIdSchema, RedactionPlanInputSchema).optional(),
  skipRefused: z.boolean(),
});
export type ExportStartInput = z.input<typeof ExportStartInputSchema>;
/** The export runs as a job (`export:run`) once the user chose a folder; `cancelled` when they closed the dialog. */
export const ExportStartedSchema = z.union([JobStartedSchema, z.object({ cancelled: z.literal(true) })]);

const ExportReportSchema = z.object({
  bundleId: z.string(),
  profile: z.string(),
  createdAt: z.string(),
  /** The chosen folder's last part only; the full path stays in main. */
  folderName: z.string(),
  items: z.array(z.object({
    testimonyId: z.string(),
    controlNumber: z.string(),
    anonymised: z.boolean(),
    redactions: z.number().int(),
    media: z.array(z.object({ mediaId: z.string(), status: z.enum(['included', 'excluded']), file: z.string().optional(), transformations: z.array(z.string()).optional(), reason: z.string().optional() })),
    warnings: z.array(z.string()),
  })),
  refused: z.array(z.object({ testimonyId: z.string(), code: z.string(), reason: z.string() })),
  leaks: z.array(z.object({ file: z.string(), category: z.string(), pseudonym: z.string(), variant: z.string() })),
  fileProblems: z.array(z.object({ file: z.string(), problem: z.string() })),
  payload: z.object({ sha256: z.string(), size: z.number().int(), recipients: z.number().int() }).nullable(),
  signer: z.object({ keyId: z.string(), publicKey: z.string() }).nullable(),
});
export type ExportReportView = z.infer<typeof ExportReportSchema>;

export const EXPORT_STOP_CODES = ['INVALID_OPTIONS', 'OUT_DIR_NOT_EMPTY', 'ITEMS_REFUSED', 'NOTHING_TO_EXPORT', 'LEAK_DETECTED', 'MEDIA_INTEGRITY', 'CONTROL_PREFIX_INVALID'] as const;
/** What sealing ended with: a sealed bundle, or a stop (the leak check, a refusal) with the report of why. Nothing is left on disk after a stop. */
export const ExportOutcomeSchema = z.discriminatedUnion('status', [
  z.object({ status: z.literal('sealed'), report: ExportReportSchema }),
  z.object({ status: z.literal('stopped'), code: z.enum(EXPORT_STOP_CODES), message: z.string(), report: ExportReportSchema.nullable() }),
]);
export type ExportOutcome = z.infer<typeof ExportOutcomeSchema>;

// ----- Opening a received bundle (the lawyer's side) -----

export const BundleOpenInputSchema = z.strictObject({
  /** The exporter's minisign public key (`RW…` or the .pub text), received by another channel. Optional: without it the signature is checked against the key the bundle names. */
  expectedSigner: z.string().max(1000).optional(),
});

const ExportedPersonSchema = z.object({ role: z.string(), pseudonym: z.string().optional(), name: z.string().optional() });
const OpenedTestimonySchema = z.object({
  controlNumber: z.string(),
  profile: z.string(),
  anonymised: z.boolean(),
  language: z.string(),
  title: z.string(),
  summary: z.string(),
  transcript: z.string(),
  interviewDate: z.string().optional(),
  facilities: z.array(z.string()),
  perpetratorUnits: z.array(z.string()),
  violations: z.array(z.string()),
  people: z.array(ExportedPersonSchema),
  media: z.array(z.object({ file: z.string(), mimeType: z.string(), sha256: z.string() })),
  excludedMedia: z.array(z.object({ reason: z.string() })),
});
export type OpenedTestimony = z.infer<typeof OpenedTestimonySchema>;

export const BundleViewSchema = z.object({
  /** `verified`: every outer check passed but no identity was given, so nothing was decrypted. */
  status: z.enum(['opened', 'verified', 'refused']),
  folderName: z.string().optional(),
  checks: z.array(z.object({ name: z.string(), ok: z.boolean() })),
  refusal: z.object({ code: z.string(), message: z.string() }).optional(),
  signer: z.object({ keyId: z.string(), publicKey: z.string() }).optional(),
  signerExpected: z.boolean(),
  bundleId: z.string().optional(),
  createdAt: z.string().optional(),
  profile: z.string().optional(),
  payload: z.object({ sha256: z.string(), size: z.number().int(), plaintextSize: z.number().int(), recipients: z.number().int() }).optional(),
  decrypted: z.boolean(),
  files: z.array(z.object({ path: z.string(), size: z.number().int(), sha256: z.string() })),
  testimonies: z.array(OpenedTestimonySchema),
});
export type BundleView = z.infer<typeof BundleViewSchema>;

/** Opening runs as a job (`bundle:open`, result: BundleView) once the folder was chosen; `cancelled` when the user closed the dialog. */
export const BundleStartedSchema = z.union([JobStartedSchema, z.object({ cancelled: z.literal(true) })]);

/** The research channels, merged into CONTRACT by contract.ts. */
export const RESEARCH_CONTRACT = {
  'search:query': { input: SearchRequestInputSchema, output: SearchResultSchema },
  'search:ids': { input: SearchRequestInputSchema, output: SearchIdsSchema },
  'search:open': { input: z.void(), output: JobStartedSchema },
  'search:reindex': { input: z.void(), output: JobStartedSchema },
  'search:analytics': { input: SearchRequestInputSchema, output: SearchAnalyticsSchema },
  'analytics:save': { input: AnalyticsCsvInputSchema, output: AnalyticsCsvSavedSchema },
  'export:review': { input: ExportReviewInputSchema, output: ExportReviewSchema },
  'redaction:draft': { input: RedactionDraftInputSchema, output: RedactionDraftSchema },
  'redaction:preview': { input: RedactionPreviewInputSchema, output: RedactionPreviewSchema },
  'redaction:save': { input: RedactionSaveInputSchema, output: RedactionSavedSchema },
  'redaction:span': { input: RedactionSpanInputSchema, output: RedactionSpanSchema },
  'export:start': { input: ExportStartInputSchema, output: ExportStartedSchema },
  'bundle:open': { input: BundleOpenInputSchema, output: BundleStartedSchema },
} as const;
export type ResearchChannel = keyof typeof RESEARCH_CONTRACT;
