import { INDEX_MARKERS } from './indexMarkers.js';
import type { SearchToken } from './searchTokens.js';
import { transliterationSkeleton } from './transliterationSkeleton.js';

/** The token that stands for a link to vocabulary term `rowid` in a testimony's `linked` column. */
export function vocabularyLinkToken(rowid: number): string {
  return `${INDEX_MARKERS.link}${rowid.toString(36)}`;
}

type Entry = { link: string; names: string[][]; skeletons: (string | undefined)[][] };

function contains(name: readonly (string | undefined)[], phrase: readonly string[], prefix: boolean): boolean {
  for (let start = 0; start + phrase.length <= name.length; start += 1) {
    let all = true;
    for (let i = 0; i < phrase.length && all; i += 1) {
      const word = name[start + i];
      const wanted = phrase[i] as string;
      all = word !== undefined && (prefix && i === phrase.length - 1 ? word.startsWith(wanted) : word === wanted);
    }
    if (all) return true;
  }
  return false;
}

/**
 * The names of every vocabulary term, held once in memory instead of in every linked testimony's
 * row: a phrase (or prefix) that occurs in any name of a term, or in tolerant mode has the same
 * skeletons as part of one, adds that term's link token to the query. So `military` finds the
 * testimonies linked to "Sednaya Military Prison" as the name were in their text, at one token per
 * link in the index, and renaming a term re-indexes nothing.
 */
export class VocabularyMatcher {
  private readonly entries: Entry[];
  private readonly memo = new Map<string, string[]>();

  constructor(terms: readonly { rowid: number; keys: readonly string[] }[]) {
    this.entries = terms.map(({ rowid, keys }) => {
      const names = keys.map((key) => key.split(' '));
      return { link: vocabularyLinkToken(rowid), names, skeletons: names.map((tokens) => tokens.map((token) => transliterationSkeleton(token))) };
    });
  }

  linksFor(tokens: readonly SearchToken[], prefix: boolean, tolerant: boolean): string[] {
    const memoKey = `${prefix ? 1 : 0}${tolerant ? 1 : 0}${tokens.join(' ')}`;
    const cached = this.memo.get(memoKey);
    if (cached) return cached;
    const skeletons = tokens.map((token) => transliterationSkeleton(token));
    const bySkeleton = tolerant && !prefix && skeletons.every((skeleton) => skeleton !== undefined);
    const links = this.entries
      .filter((entry) => entry.names.some((name) => contains(name, tokens, prefix)) || (bySkeleton && entry.skeletons.some((name) => contains(name, skeletons as string[], false))))
      .map((entry) => entry.link);
    if (this.memo.size < 10_000) this.memo.set(memoKey, links);
    return links;
  }
}
