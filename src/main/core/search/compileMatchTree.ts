import { INDEX_MARKERS } from './indexMarkers.js';
import type { MatchPhrase, MatchTree } from './matchTree.js';
import type { QueryNode } from './queryNode.js';
import type { SearchToken } from './searchTokens.js';
import { transliterationSkeleton } from './transliterationSkeleton.js';

/** Link tokens of the vocabulary terms one of whose names contains the phrase (see SearchIndex). */
export type TermLinks = (tokens: readonly SearchToken[], prefix: boolean) => readonly string[];
export type CompileOptions = { tolerant: boolean; links?: TermLinks };

const phrase = (tokens: readonly string[], prefix: boolean): MatchPhrase => ({ kind: 'phrase', tokens, prefix });

/** The ways one phrase can match: its words, in tolerant mode their skeletons, and linked terms' names. */
function alternativesOf(tokens: readonly SearchToken[], prefix: boolean, options: CompileOptions): MatchPhrase[] {
  const alternatives = [phrase(tokens, prefix)];
  const skeletons = tokens.map((token) => transliterationSkeleton(token));
  if (options.tolerant && !prefix && skeletons.every((skeleton) => skeleton !== undefined)) {
    alternatives.push(phrase(skeletons.map((skeleton) => `${INDEX_MARKERS.skeleton}${skeleton ?? ''}`), false));
  }
  for (const link of options.links?.(tokens, prefix) ?? []) alternatives.push(phrase([link], false));
  return alternatives;
}

const phraseKey = (tree: MatchTree): string => (tree.kind === 'phrase' ? `${tree.prefix ? '*' : ''}${tree.tokens.join(' ')}` : JSON.stringify(tree));

/** An OR of distinct alternatives: a term's link token named by all its variants is evaluated (and scored) once. */
function anyOf(alternatives: readonly MatchTree[]): MatchTree {
  const distinct = [...new Map(alternatives.map((tree) => [phraseKey(tree), tree])).values()];
  return distinct.length === 1 ? (distinct[0] as MatchTree) : { kind: 'or', children: distinct };
}

/**
 * Turns a parsed (and expanded) query into the tree the index evaluates. Each phrase becomes (the
 * words OR, in tolerant mode, their skeletons OR the link token of every vocabulary term whose
 * name contains it). Only tokens reach the index: user text is never an expression of any engine.
 */
export function compileMatchTree(node: QueryNode, options: CompileOptions): MatchTree {
  switch (node.kind) {
    case 'term':
      return anyOf(alternativesOf(node.tokens, node.prefix, options));
    case 'variants':
      return anyOf([
        ...(node.original.kind === 'term' ? alternativesOf(node.original.tokens, node.original.prefix, options) : [compileMatchTree(node.original, options)]),
        ...node.variants.flatMap((variant) => alternativesOf(variant, false, options)),
      ]);
    case 'and':
    case 'or':
      return { kind: node.kind, children: node.children.map((child) => compileMatchTree(child, options)) };
    case 'not':
      return { kind: 'not', include: compileMatchTree(node.include, options), exclude: compileMatchTree(node.exclude, options) };
  }
}
