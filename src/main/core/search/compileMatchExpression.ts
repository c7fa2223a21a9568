import { INDEX_MARKERS } from './indexMarkers.js';
import type { QueryNode } from './queryNode.js';
import type { SearchToken } from './searchTokens.js';
import { transliterationSkeleton } from './transliterationSkeleton.js';

function quoted(tokens: readonly string[], prefix: boolean): string {
  // Tokens hold only letters, digits and marks, so no quote can occur; doubling is the FTS5 escape anyway.
  return `"${tokens.map((token) => token.replace(/"/g, '""')).join(' ')}"${prefix ? ' *' : ''}`;
}

/** Link tokens of the vocabulary terms one of whose names contains the phrase (see SearchIndex). */
export type TermLinks = (tokens: readonly SearchToken[], prefix: boolean) => readonly string[];
export type CompileOptions = { tolerant: boolean; links?: TermLinks };

/** The ways one phrase can match: its words, in tolerant mode their skeletons, and linked terms' names. */
function alternativesOf(tokens: readonly SearchToken[], prefix: boolean, options: CompileOptions): string[] {
  const alternatives = [quoted(tokens, prefix)];
  const skeletons = tokens.map((token) => transliterationSkeleton(token));
  if (options.tolerant && !prefix && skeletons.every((skeleton) => skeleton !== undefined)) {
    alternatives.push(quoted(skeletons.map((skeleton) => `${INDEX_MARKERS.skeleton}${skeleton ?? ''}`), false));
  }
  for (const link of options.links?.(tokens, prefix) ?? []) alternatives.push(quoted([link], false));
  return alternatives;
}

/** An OR of distinct alternatives: a term's link token named by all its variants is evaluated once. */
function anyOf(alternatives: readonly string[]): string {
  const distinct = [...new Set(alternatives)];
  return distinct.length === 1 ? (distinct[0] as string) : `(${distinct.join(' OR ')})`;
}

/**
 * Turns a parsed (and expanded) query into an FTS5 MATCH expression. Only this function writes MATCH
 * syntax, and only from tokens: user text never reaches SQLite's query parser. Every operator is
 * parenthesised, so FTS5's own precedence never matters. Each phrase becomes (the words OR, in
 * tolerant mode, their skeletons OR the link token of every vocabulary term whose name contains it).
 */
export function compileMatchExpression(node: QueryNode, options: CompileOptions): string {
  switch (node.kind) {
    case 'term':
      return anyOf(alternativesOf(node.tokens, node.prefix, options));
    case 'variants':
      return anyOf([
        ...(node.original.kind === 'term' ? alternativesOf(node.original.tokens, node.original.prefix, options) : [compileMatchExpression(node.original, options)]),
        ...node.variants.flatMap((variant) => alternativesOf(variant, false, options)),
      ]);
    case 'and':
      return `(${node.children.map((child) => compileMatchExpression(child, options)).join(' AND ')})`;
    case 'or':
      return `(${node.children.map((child) => compileMatchExpression(child, options)).join(' OR ')})`;
    case 'not':
      return `(${compileMatchExpression(node.include, options)} NOT ${compileMatchExpression(node.exclude, options)})`;
  }
}
