import { expandQuery, type EntityMatch } from '../../../src/main/core/search/expandQuery.js';
import type { IndexDocument, IndexEntity } from '../../../src/main/core/search/indexDocument.js';
import { parseSearchQuery } from '../../../src/main/core/search/parseSearchQuery.js';
import type { QueryNode } from '../../../src/main/core/search/queryNode.js';
import type { SearchRequest } from '../../../src/main/core/search/searchRequest.js';
import { casedSearchTokens, searchTokens } from '../../../src/main/core/search/searchTokens.js';
import { transliterationSkeleton } from '../../../src/main/core/search/transliterationSkeleton.js';

type Prepared = {
  document: IndexDocument;
  /** Each separately searchable piece of text, as tokens: a phrase never spans two. */
  items: string[][];
  /** The same for tolerant mode: skeletons of capitalised words (all words of tags and names), null elsewhere. */
  skeletonItems: (string | null)[][];
};

function dayRange(date: string, end: boolean): string {
  if (date.length === 4) return end ? `${date}-12-31` : `${date}-01-01`;
  if (date.length === 7) return end ? `${date}-31` : `${date}-01`;
  return date;
}

/**
 * The oracle: a plain scan over the decrypted records, written from the rules in docs/SEARCH.md
 * without SQLite, FTS5 or the index's column layout. It shares only the tokenizer, the skeleton
 * function, the parser and the expansion walk (each tested on its own).
 */
export class BruteForceSearch {
  private readonly prepared: Prepared[];
  private readonly byKey = new Map<string, EntityMatch[]>();
  private readonly maxKeyTokens: number;

  constructor(entities: readonly IndexEntity[], documents: readonly IndexDocument[], private readonly mediaCounts: ReadonlyMap<string, number>) {
    const entityById = new Map(entities.map((entity) => [entity.id, entity]));
    let longest = 1;
    for (const entity of entities) {
      const keys = [...new Set(entity.names.map((name) => searchTokens(name).join(' ')).filter(Boolean))];
      for (const key of keys) {
        longest = Math.max(longest, key.split(' ').length);
        this.byKey.set(key, [...(this.byKey.get(key) ?? []), { kind: entity.kind, keys }]);
      }
    }
    this.maxKeyTokens = Math.min(12, longest);
    this.prepared = documents.map((document) => {
      const names = [...document.facilityIds, ...document.perpetratorUnitIds, ...document.violationIds, ...document.personIds]
        .flatMap((id) => entityById.get(id)?.names ?? []);
      const all = (text: string) => searchTokens(text).map((token) => transliterationSkeleton(token) ?? null);
      const capitals = (text: string) => {
        const { tokens, capitalized } = casedSearchTokens(text);
        return tokens.map((token, i) => (capitalized[i] ? (transliterationSkeleton(token) ?? null) : null));
      };
      return {
        document,
        items: [document.reference, document.title, document.summary, document.transcript, ...document.tags, ...names].map(searchTokens),
        skeletonItems: [capitals(document.title), ...document.tags.map(all), ...names.map(all), capitals(document.summary), capitals(document.transcript)],
      };
    });
  }

  private phraseIn(items: readonly (readonly (string | null)[])[], phrase: readonly string[], prefix: boolean): boolean {
    return items.some((item) => {
      for (let start = 0; start + phrase.length <= item.length; start += 1) {
        if (phrase.every((token, i) => {
          const candidate = item[start + i];
          if (candidate === null || candidate === undefined) return false;
          return prefix && i === phrase.length - 1 ? candidate.startsWith(token) : candidate === token;
        })) return true;
      }
      return false;
    });
  }

  private termMatches(doc: Prepared, tokens: readonly string[], prefix: boolean, tolerant: boolean): boolean {
    if (this.phraseIn(doc.items, tokens, prefix)) return true;
    if (!tolerant || prefix) return false;
    const skeletons = tokens.map((token) => transliterationSkeleton(token));
    if (skeletons.some((skeleton) => skeleton === undefined)) return false;
    return this.phraseIn(doc.skeletonItems, skeletons as string[], false);
  }

  private matches(doc: Prepared, node: QueryNode, tolerant: boolean): boolean {
    switch (node.kind) {
      case 'term':
        return this.termMatches(doc, node.tokens, node.prefix, tolerant);
      case 'variants':
        return this.matches(doc, node.original, tolerant) || node.variants.some((variant) => this.termMatches(doc, variant, false, tolerant));
      case 'and':
        return node.children.every((child) => this.matches(doc, child, tolerant));
      case 'or':
        return node.children.some((child) => this.matches(doc, child, tolerant));
      case 'not':
        return this.matches(doc, node.include, tolerant) && !this.matches(doc, node.exclude, tolerant);
    }
  }

  private passes(document: IndexDocument, request: SearchRequest, termIds: (values: readonly string[], kind: IndexEntity['kind']) => Set<string>): boolean {
    const f = request.filters;
    const anyLinked = (values: readonly string[] | undefined, kind: IndexEntity['kind'], linked: readonly string[]) =>
      values === undefined || linked.some((id) => termIds(values, kind).has(id));
    if (!anyLinked(f.facilities, 'facility', document.facilityIds)) return false;
    if (!anyLinked(f.perpetratorUnits, 'perpetratorUnit', document.perpetratorUnitIds)) return false;
    if (!anyLinked(f.violations, 'violation', document.violationIds)) return false;
    const overlaps = (range: { from?: string | undefined; to?: string | undefined } | undefined, span: [string, string] | null) => {
      if (!range || (range.from === undefined && range.to === undefined)) return true;
      if (span === null) return false;
      return (range.to === undefined || span[0] <= dayRange(range.to, true)) && (range.from === undefined || span[1] >= dayRange(range.from, false));
    };
    const from = document.period?.from ?? document.period?.to;
    const to = document.period?.to ?? document.period?.from;
    const period: [string, string] | null = from && to ? [[dayRange(from, false), dayRange(to, false)].sort()[0] as string, [dayRange(from, true), dayRange(to, true)].sort()[1] as string] : null;
    if (!overlaps(f.period, period)) return false;
    const interview: [string, string] | null = document.interviewDate ? [dayRange(document.interviewDate, false), dayRange(document.interviewDate, true)] : null;
    if (!overlaps(f.interviewDate, interview)) return false;
    const language = document.language.toLowerCase();
    if (f.languages && !f.languages.some((l) => language === l || language.startsWith(`${l}-`))) return false;
    const scopes = document.consentWithdrawn ? [] : document.consentScopes;
    if (f.consentScopes && !scopes.some((scope) => f.consentScopes?.includes(scope))) return false;
    if (f.hasMedia !== undefined && ((this.mediaCounts.get(document.id) ?? 0) > 0) !== f.hasMedia) return false;
    if (f.statuses && !f.statuses.includes(document.status)) return false;
    return true;
  }

  /** Ids of every matching testimony, by scanning all of them. */
  search(request: SearchRequest, entities: readonly IndexEntity[]): IndexDocument[] {
    const parsed = parseSearchQuery(request.query);
    const node = parsed && request.expandVariants ? expandQuery(parsed, (key) => this.byKey.get(key) ?? [], this.maxKeyTokens).node : parsed;
    const resolved = new Map<string, Set<string>>();
    const termIds = (values: readonly string[], kind: IndexEntity['kind']) => {
      const key = `${kind}:${values.join('\n')}`;
      let ids = resolved.get(key);
      if (!ids) {
        ids = new Set(entities.filter((entity) => entity.kind === kind &&
          values.some((value) => value === entity.id || entity.names.some((name) => searchTokens(name).join(' ') === searchTokens(value).join(' ')))).map((entity) => entity.id));
        resolved.set(key, ids);
      }
      return ids;
    };
    return this.prepared
      .filter((doc) => (node === null || this.matches(doc, node, request.tolerant)) && this.passes(doc.document, request, termIds))
      .map((doc) => doc.document);
  }
}
