import { compileMatchTree, type CompileOptions } from './compileMatchTree.js';
import type { MatchTree } from './matchTree.js';
import type { QueryNode } from './queryNode.js';

function fts5Expression(tree: MatchTree): string {
  switch (tree.kind) {
    case 'phrase':
      // Tokens hold only letters, digits and marks, so no quote can occur; doubling is the FTS5 escape anyway.
      return `"${tree.tokens.map((token) => token.replace(/"/g, '""')).join(' ')}"${tree.prefix ? ' *' : ''}`;
    case 'and':
    case 'or':
      return `(${tree.children.map(fts5Expression).join(` ${tree.kind.toUpperCase()} `)})`;
    case 'not':
      return `(${fts5Expression(tree.include)} NOT ${fts5Expression(tree.exclude)})`;
  }
}

/**
 * The same query as an SQLite FTS5 MATCH expression, for the plaintext FTS5 baseline of the search
 * benchmark (the index itself evaluates `compileMatchTree`'s tree). Every operator is
 * parenthesised, so FTS5's own precedence never matters.
 */
export function compileMatchExpression(node: QueryNode, options: CompileOptions): string {
  return fts5Expression(compileMatchTree(node, options));
}
