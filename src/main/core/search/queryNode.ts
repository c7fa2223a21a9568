import type { SearchToken } from './searchTokens.js';

/**
 * A parsed query. A `term` with several tokens is a phrase (typed in quotes, or one word that
 * normalises to several tokens, like `al-Khatib`); `prefix` marks its last token as a prefix.
 * `variants` appears only after expansion: the original, or any recorded spelling of the entity.
 */
export type TermNode = { kind: 'term'; tokens: SearchToken[]; prefix: boolean; quoted: boolean; position: number };
export type VariantsNode = { kind: 'variants'; original: QueryNode; variants: SearchToken[][]; matched: string };
export type AndNode = { kind: 'and'; children: QueryNode[] };
export type OrNode = { kind: 'or'; children: QueryNode[] };
export type NotNode = { kind: 'not'; include: QueryNode; exclude: QueryNode };
export type QueryNode = TermNode | VariantsNode | AndNode | OrNode | NotNode;
