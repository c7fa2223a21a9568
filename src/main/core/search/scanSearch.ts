import { normalizeText } from './normalizeText.js';

export type SearchableTestimony = { id: string; reference: string; texts: string[] };
export type ScanHit = { id: string; reference: string; matchedTerms: number };

/**
 * A plain decrypt-and-scan match (every term must occur, after normalisation), in memory only.
 * It stands in until the encrypted FTS5 index arrives; the index must agree with it.
 */
export function scanSearch(documents: Iterable<SearchableTestimony>, query: string): ScanHit[] {
  const terms = normalizeText(query).split(/\s+/).filter(Boolean);
  if (terms.length === 0) return [];
  const hits: ScanHit[] = [];
  for (const document of documents) {
    const haystack = normalizeText(document.texts.join('\n'));
    if (terms.every((term) => haystack.includes(term))) hits.push({ id: document.id, reference: document.reference, matchedTerms: terms.length });
  }
  return hits;
}
