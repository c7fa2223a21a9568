import type { IndexDocument } from './indexDocument.js';
import { INDEX_MARKERS } from './indexMarkers.js';
import { casedSearchTokens, searchTokens, type SearchToken } from './searchTokens.js';
import { transliterationSkeleton } from './transliterationSkeleton.js';

/** The FTS5 columns, in table order. `linked` holds the names of linked persons and a link token per linked term. */
export const INDEX_COLUMNS = ['reference', 'title', 'tags', 'linked', 'summary', 'transcript', 'skel'] as const;
export type IndexColumnName = (typeof INDEX_COLUMNS)[number];
export type IndexColumns = Record<IndexColumnName, string>;
/** bm25 weights, in column order: a hit in the reference or title counts more than one in the transcript. */
export const INDEX_COLUMN_WEIGHTS: Record<IndexColumnName, number> = {
  reference: 8, title: 5, tags: 3, linked: 3, summary: 2, transcript: 1, skel: 0.5,
};

const skeletonCache = new Map<string, string | undefined>();

/** Drops the cached skeletons (of names from decrypted text): called when the index closes. */
export function forgetIndexSkeletons(): number {
  const size = skeletonCache.size;
  skeletonCache.clear();
  return size;
}

function cachedSkeleton(token: SearchToken): string | undefined {
  if (skeletonCache.has(token)) return skeletonCache.get(token);
  const skeleton = transliterationSkeleton(token);
  if (skeletonCache.size < 200_000) skeletonCache.set(token, skeleton);
  return skeleton;
}

function joinItems(items: readonly (readonly SearchToken[])[]): SearchToken[] {
  const out: SearchToken[] = [];
  for (const item of items) {
    if (item.length === 0) continue;
    // The barrier is not a search token (no query can produce it); it only keeps items apart.
    if (out.length > 0) out.push(INDEX_MARKERS.barrier as SearchToken);
    out.push(...item);
  }
  return out;
}

/** Tokens per column (before joining), for the index and for the test oracle. */
export type IndexColumnTokens = Record<Exclude<IndexColumnName, 'skel'>, SearchToken[]> & { skel: string[] };

/**
 * What the index stores for one testimony: the normalised tokens of each field (items of a list
 * separated by a barrier token, so a phrase cannot run from one tag into the next), plus the
 * `skel` column of transliteration skeletons used by tolerant mode (docs/SEARCH.md).
 * `personNames` are the already-normalised names of the linked persons; `linkTokens` stand for the
 * linked vocabulary terms (their names live once, in the index's vocabulary, not in every row).
 */
export function indexColumnTokens(document: IndexDocument, personNames: readonly string[], linkTokens: readonly string[] = []): IndexColumnTokens {
  const title = casedSearchTokens(document.title);
  const summary = casedSearchTokens(document.summary);
  const transcript = casedSearchTokens(document.transcript);
  const tags = joinItems(document.tags.map((tag) => searchTokens(tag)));
  const names = joinItems(personNames.map((name) => searchTokens(name)));
  const linked = [...names, ...(linkTokens.length > 0 ? [INDEX_MARKERS.barrier as SearchToken, ...(linkTokens as SearchToken[])] : [])];
  const skel: string[] = [];
  const pushSkeletons = (tokens: readonly SearchToken[], isName: (i: number) => boolean) => {
    tokens.forEach((token, i) => {
      const skeleton = isName(i) ? cachedSkeleton(token) : undefined;
      if (skeleton !== undefined) skel.push(`${INDEX_MARKERS.skeleton}${skeleton}`);
      else if (skel[skel.length - 1] !== INDEX_MARKERS.barrier) skel.push(INDEX_MARKERS.barrier);
    });
    if (skel[skel.length - 1] !== INDEX_MARKERS.barrier) skel.push(INDEX_MARKERS.barrier);
  };
  // Tolerant mode covers words written with a capital in the free text (that is how names are
  // written), and every word of tags and of the names of linked persons (terms: see SearchIndex).
  pushSkeletons(title.tokens, (i) => title.capitalized[i] === true);
  pushSkeletons(tags, () => true);
  pushSkeletons(names, () => true);
  pushSkeletons(summary.tokens, (i) => summary.capitalized[i] === true);
  pushSkeletons(transcript.tokens, (i) => transcript.capitalized[i] === true);
  return {
    reference: searchTokens(document.reference), title: title.tokens, tags, linked, summary: summary.tokens, transcript: transcript.tokens, skel,
  };
}
