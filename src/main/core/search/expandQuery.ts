import type { EntityKind } from './indexDocument.js';
import type { AndNode, QueryNode, TermNode, VariantsNode } from './queryNode.js';
import type { SearchToken } from './searchTokens.js';

/** One entity whose name equals a looked-up key, with all its names as token keys (`yousef darwish`). */
export type EntityMatch = { kind: EntityKind; keys: readonly string[] };
/** Finds the entities one of whose names normalises to exactly `key` (tokens joined by one space). */
export type VariantLookup = (key: string) => readonly EntityMatch[];
/** Reported with results, so the user sees what else was searched for. */
export type QueryExpansion = { matched: string; kinds: EntityKind[]; variants: string[] };

function isCandidate(node: QueryNode): node is TermNode {
  return node.kind === 'term' && !node.prefix;
}

/**
 * Name and place variants: a word, a run of adjacent words or a phrase that equals any name of a
 * vocabulary term or person becomes (original OR every other name of that entity). Runs are matched
 * longest first, left to right; quoted phrases and prefixes are matched only on their own.
 */
export function expandQuery(root: QueryNode, lookup: VariantLookup, maxKeyTokens: number): { node: QueryNode; expansions: QueryExpansion[] } {
  const expansions: QueryExpansion[] = [];

  function variantsFor(original: QueryNode, tokens: readonly SearchToken[]): VariantsNode | undefined {
    const key = tokens.join(' ');
    const matches = lookup(key);
    if (matches.length === 0) return undefined;
    const keys = [...new Set(matches.flatMap((match) => match.keys))].filter((other) => other !== key).sort();
    if (keys.length === 0) return undefined;
    expansions.push({ matched: key, kinds: [...new Set(matches.map((match) => match.kind))].sort(), variants: keys });
    return { kind: 'variants', original, variants: keys.map((other) => other.split(' ') as SearchToken[]), matched: key };
  }

  function expandAnd(node: AndNode): QueryNode {
    const out: QueryNode[] = [];
    const { children } = node;
    for (let i = 0; i < children.length; ) {
      const child = children[i] as QueryNode;
      let replaced = false;
      if (isCandidate(child) && !child.quoted) {
        // The longest run of adjacent plain words that names an entity wins.
        let runEnd = i;
        let tokenCount = 0;
        while (runEnd < children.length) {
          const next = children[runEnd] as QueryNode;
          if (!isCandidate(next) || next.quoted || tokenCount + next.tokens.length > maxKeyTokens) break;
          tokenCount += next.tokens.length;
          runEnd += 1;
        }
        for (let end = runEnd; end > i && !replaced; end -= 1) {
          const run = children.slice(i, end) as TermNode[];
          const original: QueryNode = run.length === 1 ? (run[0] as TermNode) : { kind: 'and', children: run };
          const expanded = variantsFor(original, run.flatMap((term) => term.tokens));
          if (expanded) {
            out.push(expanded);
            i = end;
            replaced = true;
          }
        }
      }
      if (!replaced) {
        out.push(expand(child));
        i += 1;
      }
    }
    return out.length === 1 ? (out[0] as QueryNode) : { kind: 'and', children: out };
  }

  function expand(node: QueryNode): QueryNode {
    switch (node.kind) {
      case 'term':
        return isCandidate(node) ? (variantsFor(node, node.tokens) ?? node) : node;
      case 'variants':
        return node;
      case 'and':
        return expandAnd(node);
      case 'or':
        return { kind: 'or', children: node.children.map(expand) };
      case 'not':
        return { kind: 'not', include: expand(node.include), exclude: expand(node.exclude) };
    }
  }

  return { node: expand(root), expansions };
}
