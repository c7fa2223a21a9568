import { VaultError } from '../errors.js';
import type { AndNode, QueryNode, TermNode } from './queryNode.js';
import { searchTokens } from './searchTokens.js';

export const MAX_QUERY_CHARS = 2000;
const MAX_TERMS = 64;
const MAX_DEPTH = 16;
const MIN_PREFIX_CHARS = 2;

type Lexeme =
  | { type: 'term'; node: TermNode }
  | { type: 'and' | 'or' | 'not' | 'open' | 'close'; position: number };

function fail(message: string): never {
  throw new VaultError('INVALID_INPUT', `query: ${message}`);
}

function termNode(text: string, position: number, quoted: boolean, prefix: boolean): TermNode | undefined {
  const tokens = searchTokens(text);
  if (tokens.length === 0) {
    if (prefix) fail(`the * at character ${position + text.length} has no letters or digits before it`);
    if (quoted) fail(`the phrase at character ${position} has no letters or digits`);
    return undefined;
  }
  const last = tokens[tokens.length - 1] ?? '';
  if (prefix && [...last].length < MIN_PREFIX_CHARS) {
    fail(`the prefix at character ${position} is too short: a prefix search needs at least ${MIN_PREFIX_CHARS} letters before the *`);
  }
  return { kind: 'term', tokens, prefix, quoted, position };
}

function lex(query: string): Lexeme[] {
  const lexemes: Lexeme[] = [];
  let i = 0;
  while (i < query.length) {
    const char = query[i] ?? '';
    const position = i + 1;
    if (/\s/.test(char)) {
      i += 1;
    } else if (char === '(' || char === ')') {
      lexemes.push({ type: char === '(' ? 'open' : 'close', position });
      i += 1;
    } else if (char === '"') {
      const close = query.indexOf('"', i + 1);
      if (close === -1) fail(`the quote at character ${position} is never closed; add a closing "`);
      const prefix = query[close + 1] === '*';
      const node = termNode(query.slice(i + 1, close), position, true, prefix);
      if (node) lexemes.push({ type: 'term', node });
      i = close + 1 + (prefix ? 1 : 0);
    } else {
      let end = i;
      while (end < query.length && !/[\s()"]/.test(query[end] ?? '')) end += 1;
      const word = query.slice(i, end);
      i = end;
      if (word === 'AND' || word === 'OR' || word === 'NOT') {
        lexemes.push({ type: word === 'AND' ? 'and' : word === 'OR' ? 'or' : 'not', position });
        continue;
      }
      const star = word.indexOf('*');
      if (star !== -1 && star !== word.length - 1) fail(`the * at character ${position + star} may only end a word (prefix search), as in tortur*`);
      const prefix = star === word.length - 1;
      const body = prefix ? word.slice(0, -1) : word;
      if (/^[-\u2212]/.test(body) && searchTokens(body).length > 0) {
        fail(`the - at character ${position}: to leave a word out, write NOT before it, as in torture NOT beating`);
      }
      const node = termNode(body, position, false, prefix);
      if (node) lexemes.push({ type: 'term', node });
    }
  }
  return lexemes;
}

const OPERATOR_NAME = { and: 'AND', or: 'OR', not: 'NOT', open: '(', close: ')' } as const;

/**
 * Parses the query language of docs/SEARCH.md: words, "phrases", prefix*, AND, OR, NOT and
 * parentheses (NOT binds tightest, then AND, then OR; words side by side are ANDed). Only upper-case
 * AND/OR/NOT are operators. Returns null for a query with nothing in it (match everything). Any
 * mistake is a VaultError('INVALID_INPUT') naming the character where it is (never echoing the
 * words, which may be a witness's name).
 */
export function parseSearchQuery(query: string): QueryNode | null {
  if (query.length > MAX_QUERY_CHARS) fail(`is ${query.length} characters long; the limit is ${MAX_QUERY_CHARS}`);
  const lexemes = lex(query);
  if (lexemes.length === 0) {
    return null;
  }
  if (lexemes.filter((lexeme) => lexeme.type === 'term').length > MAX_TERMS) fail(`has more than ${MAX_TERMS} words; split it into several searches`);
  let index = 0;
  const peek = () => lexemes[index];
  const describe = (lexeme: Lexeme | undefined): string =>
    lexeme === undefined ? 'the end of the query' : lexeme.type === 'term' ? `the word at character ${lexeme.node.position}` : `${OPERATOR_NAME[lexeme.type]} at character ${lexeme.position}`;

  const notFirst = (position: number) =>
    fail(`NOT at character ${position} needs a word before it: to leave a word out, write e.g. torture NOT beating`);

  /** `after` names what came before (an operator or an opening parenthesis), for the error message. */
  function primary(depth: number, after: string): QueryNode {
    const lexeme = peek();
    if (lexeme === undefined) fail(`${after} needs a word after it`);
    if (lexeme.type === 'term') {
      index += 1;
      return lexeme.node;
    }
    if (lexeme.type === 'open') {
      if (depth >= MAX_DEPTH) fail(`parentheses are nested more than ${MAX_DEPTH} deep`);
      index += 1;
      if (peek()?.type === 'close') fail(`the parentheses at character ${lexeme.position} are empty`);
      const inner = orExpression(depth + 1, `( at character ${lexeme.position}`);
      const close = peek();
      if (close?.type !== 'close') fail(`the ( at character ${lexeme.position} is never closed; expected ) before ${describe(close)}`);
      index += 1;
      return inner;
    }
    if (lexeme.type === 'not') notFirst(lexeme.position);
    if (lexeme.type === 'close') fail(`${after} needs a word after it, before ) at character ${lexeme.position}`);
    fail(`${after} needs a word after it, not ${OPERATOR_NAME[lexeme.type]} at character ${lexeme.position}`);
  }

  function notExpression(depth: number, after: string): QueryNode {
    let node = primary(depth, after);
    while (peek()?.type === 'not') {
      const not = peek() as { position: number };
      index += 1;
      node = { kind: 'not', include: node, exclude: primary(depth, `NOT at character ${not.position}`) };
    }
    return node;
  }

  function andExpression(depth: number, after: string): QueryNode {
    const children: QueryNode[] = [notExpression(depth, after)];
    for (;;) {
      const next = peek();
      if (next?.type === 'and') {
        index += 1;
        const following = peek();
        if (following?.type === 'not') {
          // "a AND NOT b" means "a NOT b": within an AND chain both read a ∧ ¬b.
          index += 1;
          const last = children.pop() as QueryNode;
          children.push({ kind: 'not', include: last, exclude: primary(depth, `NOT at character ${following.position}`) });
          continue;
        }
        children.push(notExpression(depth, `AND at character ${next.position}`));
      } else if (next?.type === 'term' || next?.type === 'open') {
        children.push(notExpression(depth, after));
      } else {
        break;
      }
    }
    const flat = children.flatMap((child) => (child.kind === 'and' ? child.children : [child]));
    return flat.length === 1 ? (flat[0] as QueryNode) : ({ kind: 'and', children: flat } satisfies AndNode);
  }

  function orExpression(depth: number, after: string): QueryNode {
    const children: QueryNode[] = [andExpression(depth, after)];
    while (peek()?.type === 'or') {
      const or = peek() as { position: number };
      index += 1;
      if (peek()?.type === 'not') notFirst((peek() as { position: number }).position);
      children.push(andExpression(depth, `OR at character ${or.position}`));
    }
    const flat = children.flatMap((child) => (child.kind === 'or' ? child.children : [child]));
    return flat.length === 1 ? (flat[0] as QueryNode) : { kind: 'or', children: flat };
  }

  const first = peek();
  if (first && first.type !== 'term' && first.type !== 'open') {
    if (first.type === 'not') notFirst(first.position);
    if (first.type === 'close') fail(`) at character ${first.position} has no matching (`);
    fail(`the query starts with ${OPERATOR_NAME[first.type]} (character ${first.position}); put a word before it`);
  }
  const tree = orExpression(0, 'the query');
  const rest = peek();
  if (rest !== undefined) {
    if (rest.type === 'close') fail(`) at character ${(rest as { position: number }).position} has no matching (`);
    fail(`unexpected ${describe(rest)}`);
  }
  return tree;
}
