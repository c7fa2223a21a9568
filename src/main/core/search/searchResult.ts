import type { QueryExpansion } from './expandQuery.js';

/** A highlighted passage, to be rendered as text: `highlights` are [start, end) offsets into `text`. */
export type Snippet = {
  field: 'title' | 'summary' | 'transcript';
  text: string;
  highlights: { start: number; end: number }[];
  /** True when `text` starts (ends) inside the field, so a UI shows an ellipsis there. */
  clippedStart: boolean;
  clippedEnd: boolean;
};

export type SearchHit = {
  id: string;
  reference: string;
  title: string;
  /** Higher is better: the negated bm25 score (0 when the query is empty). */
  score: number;
  snippet: Snippet;
};

export type FacetBucket = { value: string; count: number; labelEn?: string; labelAr?: string };
export type SearchFacets = {
  facility: FacetBucket[];
  perpetratorUnit: FacetBucket[];
  violation: FacetBucket[];
  /** Calendar years the testimony period touches; `unknown` when it has no period. */
  year: FacetBucket[];
  /** Year of the interview; `unknown` when not recorded. */
  interviewYear: FacetBucket[];
  language: FacetBucket[];
  consentScope: FacetBucket[];
  hasMedia: FacetBucket[];
  status: FacetBucket[];
};

export type SearchResult = {
  total: number;
  hits: SearchHit[];
  facets: SearchFacets;
  /** What the query was widened to: names of terms and persons found under other spellings. */
  expansions: QueryExpansion[];
};
