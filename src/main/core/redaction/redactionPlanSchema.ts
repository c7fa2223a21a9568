import { z } from 'zod';
import { REDACTABLE_FIELDS, REDACTION_CATEGORIES } from './redactionRules.js';

/**
 * The redaction plan file: what `tvault export --plan` reads and what a testimony can keep, encrypted.
 * It lists every suggestion with the documenter's decision, extra terms, marked spans and image
 * regions. It holds the very text it hides, so it is sensitive: keep it in the vault, not on disk.
 */
export const REDACTION_PLAN_FORMAT = 'tvault-redaction-plan/1';

const recordId = z.string().regex(/^[0-9a-f]{32}$/, 'must be a record id');
/** `[WITNESS-1]`, `[PLACE-2]`: upper-case, bracketed, so it can never carry a real name. */
export const PseudonymSchema = z.string().regex(/^\[[A-Z][A-Z0-9-]{0,30}\]$/, 'must look like [PLACE-1]: upper-case letters, digits and hyphens in brackets');
const pixels = z.number().int().min(0).max(100_000);

export const PlanSuggestionSchema = z
  .object({
    /** Stable for generated suggestions (`person-name-1a2b…`); optional for ones the documenter adds. */
    id: z.string().regex(/^[a-z0-9][a-z0-9-]{0,63}$/).optional(),
    source: z.enum(['person', 'detector', 'user']),
    category: z.enum(REDACTION_CATEGORIES),
    text: z.string().trim().min(1).max(1000),
    reason: z.string().max(500).default(''),
    pseudonym: PseudonymSchema.optional(),
    decision: z.enum(['accept', 'reject']),
    /** Informational: how often the text occurs in the testimony's fields when the plan was made. */
    occurrences: z.number().int().min(0).optional(),
  })
  .strict();

export const PlanSpanSchema = z
  .object({
    field: z.enum(REDACTABLE_FIELDS),
    start: z.number().int().min(0),
    end: z.number().int().min(1),
    /** SHA-256 of the exact slice, so a span is never applied to a text that changed under it. */
    textSha256: z.string().regex(/^[0-9a-f]{64}$/),
    reason: z.string().max(500).default(''),
    pseudonym: PseudonymSchema.optional(),
  })
  .strict()
  .refine((span) => span.end > span.start, 'end must be after start');

export const ImageRegionSchema = z
  .object({ mediaId: recordId, x: pixels, y: pixels, width: pixels.min(1), height: pixels.min(1), reason: z.string().max(500).default('') })
  .strict();

export const RedactionPlanSchema = z
  .object({
    format: z.literal(REDACTION_PLAN_FORMAT),
    testimonyId: recordId,
    /** The testimony version the spans were marked on. */
    testimonyVersion: z.number().int().min(1),
    suggestions: z.array(PlanSuggestionSchema).max(20_000).default([]),
    spans: z.array(PlanSpanSchema).max(20_000).default([]),
    imageRegions: z.array(ImageRegionSchema).max(5_000).default([]),
    excludedMediaIds: z.array(recordId).max(5_000).default([]),
  })
  .strict();

export type RedactionPlan = z.output<typeof RedactionPlanSchema>;
export type RedactionPlanInput = z.input<typeof RedactionPlanSchema>;
export type PlanSuggestion = z.output<typeof PlanSuggestionSchema>;
export type PlanSpan = z.output<typeof PlanSpanSchema>;
export type ImageRegion = z.output<typeof ImageRegionSchema>;
