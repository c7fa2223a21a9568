import type { SearchFacets, SearchResult, Snippet } from '../../core/search/searchResult.js';
import { defineCommand } from '../CommandSpec.js';
import type { Output } from '../Output.js';
import { parseCommandArgs, VAULT_HELP, VAULT_OPTIONS } from '../parseCommandArgs.js';
import { withProgressBar } from '../progressBar.js';
import { SEARCH_FILTER_HELP, SEARCH_FILTER_OPTIONS, searchRequestFromFlags } from '../searchRequestFromFlags.js';
import { withVault } from '../withVault.js';

/** The snippet as one line, matches between « and » (the terminal has no other way to show them). */
export function markedSnippet(snippet: Snippet): string {
  let marked = '';
  let at = 0;
  for (const { start, end } of snippet.highlights) {
    marked += `${snippet.text.slice(at, start)}«${snippet.text.slice(start, end)}»`;
    at = end;
  }
  marked += snippet.text.slice(at);
  return `${snippet.clippedStart ? '…' : ''}${marked}${snippet.clippedEnd ? '…' : ''}`;
}

const FACET_NAMES: [keyof SearchFacets, string][] = [
  ['facility', 'facility'],
  ['perpetratorUnit', 'unit'],
  ['violation', 'violation'],
  ['year', 'year'],
  ['language', 'language'],
  ['status', 'status'],
  ['hasMedia', 'media'],
];

function printResult(out: Output, result: SearchResult, offset: number): void {
  const what = result.total === 1 ? '1 testimony matches' : `${result.total} testimonies match`;
  const widened = result.expansions.flatMap((expansion) => expansion.variants);
  out.line(widened.length > 0 ? `${what} (also searched: ${[...new Set(widened)].slice(0, 12).join(', ')})` : what);
  result.hits.forEach((hit, index) => {
    out.line(`${String(offset + index + 1).padStart(3)}  ${hit.reference}  ${hit.score.toFixed(2)}  ${hit.title}`);
    out.line(`     ${markedSnippet(hit.snippet)}`);
  });
  for (const [facet, name] of FACET_NAMES) {
    const buckets = result.facets[facet].filter((bucket) => bucket.count > 0).slice(0, 6);
    if (buckets.length === 0) continue;
    out.line(`${name}: ${buckets.map((bucket) => `${bucket.labelEn ?? bucket.labelAr ?? bucket.value} ${bucket.count}`).join(' · ')}`);
  }
}

export const searchCommand = defineCommand({
  words: ['search'],
  summary: 'ranked full-text search with Arabic-aware matching, name variants, filters and facets',
  usage: 'search <dir> "<query>" [filters] [--limit N] [--offset N]',
  help: [
    'Query: words (all must match), "a phrase", prefix*, AND, OR, NOT, parentheses. Arabic matches with',
    'or without harakat, alef variants, ta marbuta; digits in any script. Names of places, units,',
    'violations and persons also match their recorded aliases and spellings in both scripts.',
    'An empty query ("") lists every testimony the filters allow. See docs/SEARCH.md.',
    'The index is decrypted into memory only; it is saved sealed in <dir>/index.snapshot.',
    ...SEARCH_FILTER_HELP,
    '--limit N                hits to show (default 20, at most 1000)',
    '--offset N               skip the first N hits',
    ...VAULT_HELP,
  ],
  cancellable: false,
  async run(args, context) {
    const { values, positionals } = parseCommandArgs(
      context.spec,
      args,
      { ...VAULT_OPTIONS, ...SEARCH_FILTER_OPTIONS, limit: { type: 'string' }, offset: { type: 'string' } },
      { min: 2, max: 2 },
    );
    const [dir = '', query = ''] = positionals;
    const request = searchRequestFromFlags(context.spec, query, values);
    const { out } = context;
    const result = await withVault(context, dir, values['passphrase-file'], async (vault) => {
      await withProgressBar(context, { label: 'index', unit: 'items' }, (onProgress) => vault.openSearch({ onProgress }));
      return vault.search(request);
    });
    out.result(
      {
        total: result.total,
        hits: result.hits.map((hit) => ({ id: hit.id, reference: hit.reference, title: hit.title, score: hit.score, snippet: { ...hit.snippet, marked: markedSnippet(hit.snippet) } })),
        facets: result.facets,
        expansions: result.expansions,
      },
      () => printResult(out, result, typeof request.offset === 'number' ? request.offset : 0),
    );
  },
});
