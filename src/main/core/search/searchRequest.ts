import { z } from 'zod';
import { VaultError } from '../errors.js';
import { PartialDateSchema } from '../records/partialDate.js';
import { CONSENT_SCOPES, describeValidationError, TESTIMONY_STATUSES } from '../records/testimonySchema.js';
import { MAX_QUERY_CHARS } from './parseSearchQuery.js';

const termValues = z.array(z.string().trim().min(1).max(500)).max(50);
const DateRangeSchema = z.object({ from: PartialDateSchema.optional(), to: PartialDateSchema.optional() }).strict();

/**
 * Filters narrow the result set; within one dimension any listed value matches, across dimensions
 * all must. Vocabulary filters take a term id or any label or alias of the term (`Saydnaya`).
 */
export const SearchFiltersSchema = z
  .object({
    facilities: termValues.optional(),
    perpetratorUnits: termValues.optional(),
    violations: termValues.optional(),
    /** Testimonies whose period overlaps this span (partial dates cover their whole year or month). */
    period: DateRangeSchema.optional(),
    /** Testimonies interviewed within this span. */
    interviewDate: DateRangeSchema.optional(),
    /** Language codes; `ar` also matches `ar-SY`. */
    languages: z.array(z.string().trim().toLowerCase().regex(/^[a-z]{2,3}(-[a-z0-9]{2,8})*$/, 'must be a language code such as "ar"')).max(20).optional(),
    /** Consent scopes the testimony grants (a withdrawn consent grants none). */
    consentScopes: z.array(z.enum(CONSENT_SCOPES)).max(CONSENT_SCOPES.length).optional(),
    hasMedia: z.boolean().optional(),
    statuses: z.array(z.enum(TESTIMONY_STATUSES)).max(TESTIMONY_STATUSES.length).optional(),
  })
  .strict();
export type SearchFilters = z.output<typeof SearchFiltersSchema>;

export const SearchRequestSchema = z
  .object({
    /** The query language of docs/SEARCH.md; empty means every testimony (filters still apply). */
    query: z.string().max(MAX_QUERY_CHARS).default(''),
    /** Also match unrecorded Latin spellings by consonant skeleton (docs/SEARCH.md, "Tolerant mode"). */
    tolerant: z.boolean().default(false),
    /** Expand names of vocabulary terms and persons to all their recorded variants. */
    expandVariants: z.boolean().default(true),
    limit: z.number().int().min(0).max(1000).default(20),
    offset: z.number().int().min(0).max(100_000).default(0),
    filters: SearchFiltersSchema.default({}),
  })
  .strict();
export type SearchRequest = z.output<typeof SearchRequestSchema>;
export type SearchRequestInput = z.input<typeof SearchRequestSchema>;

/** Validates a search request from a host (CLI flags, IPC payload) that is not trusted to be well formed. */
export function parseSearchRequest(input: unknown): SearchRequest {
  const parsed = SearchRequestSchema.safeParse(input);
  if (!parsed.success) throw new VaultError('INVALID_INPUT', `invalid search: ${describeValidationError(parsed.error)}`);
  return parsed.data;
}
