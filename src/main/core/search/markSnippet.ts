import type { Snippet } from './searchResult.js';

/** A snippet as one line of plain text for a terminal or CSV: matches in «», clipped ends as …. */
export function markSnippet(snippet: Snippet, open = '«', close = '»'): string {
  let out = snippet.clippedStart ? '…' : '';
  let at = 0;
  for (const { start, end } of snippet.highlights) {
    out += snippet.text.slice(at, start) + open + snippet.text.slice(start, end) + close;
    at = end;
  }
  out += snippet.text.slice(at) + (snippet.clippedEnd ? '…' : '');
  return out.replace(/[\r\n\t]+/g, ' ');
}
