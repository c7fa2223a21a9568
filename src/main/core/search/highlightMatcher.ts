import type { QueryNode } from './queryNode.js';
import type { SearchToken } from './searchTokens.js';
import { transliterationSkeleton } from './transliterationSkeleton.js';

export type TokenMatcher = (token: SearchToken) => boolean;

const skeletonCache = new Map<string, string | undefined>();

/** Drops the cached skeletons (of words from decrypted text): called when the index closes. */
export function forgetHighlightSkeletons(): number {
  const size = skeletonCache.size;
  skeletonCache.clear();
  return size;
}
function cachedSkeleton(token: string): string | undefined {
  if (skeletonCache.has(token)) return skeletonCache.get(token);
  const skeleton = transliterationSkeleton(token);
  if (skeletonCache.size < 100_000) skeletonCache.set(token, skeleton);
  return skeleton;
}

/**
 * Which tokens of a hit to highlight: every word the query looks for (variants included, words
 * under NOT excluded), every word starting with a prefix, and in tolerant mode every Latin word with
 * the same consonant skeleton as a query word.
 */
export function highlightMatcher(node: QueryNode | null, tolerant: boolean): TokenMatcher {
  const exact = new Set<string>();
  const prefixes: string[] = [];
  const skeletons = new Set<string>();
  const addTokens = (tokens: readonly SearchToken[], prefix: boolean) => {
    tokens.forEach((token, i) => {
      if (prefix && i === tokens.length - 1) prefixes.push(token);
      else {
        exact.add(token);
        const skeleton = tolerant ? transliterationSkeleton(token) : undefined;
        if (skeleton !== undefined) skeletons.add(skeleton);
      }
    });
  };
  const walk = (current: QueryNode): void => {
    switch (current.kind) {
      case 'term':
        addTokens(current.tokens, current.prefix);
        return;
      case 'variants':
        walk(current.original);
        for (const variant of current.variants) addTokens(variant, false);
        return;
      case 'and':
      case 'or':
        current.children.forEach(walk);
        return;
      case 'not':
        walk(current.include);
    }
  };
  if (node) walk(node);
  return (token) => {
    if (exact.has(token)) return true;
    for (const prefix of prefixes) if (token.startsWith(prefix)) return true;
    if (skeletons.size > 0) {
      const skeleton = cachedSkeleton(token);
      if (skeleton !== undefined && skeletons.has(skeleton)) return true;
    }
    return false;
  };
}
