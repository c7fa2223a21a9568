import type { TokenMatcher } from './highlightMatcher.js';
import type { Snippet } from './searchResult.js';
import type { SearchToken } from './searchTokens.js';
import { WordCursor } from './searchTokenSpans.js';

/** The text a snippet is cut from. A source may decrypt each field only when it is first read. */
export type SnippetFields = { readonly title: string; readonly summary: string; readonly transcript: string };

const SNIPPET_CHARS = 240;
const CONTEXT_TOKENS_BEFORE = 6;
// The scan of a field stops a little past its first match (the passage is chosen among the matches
// seen so far), and gives up on a field after this many characters without one, so a 5 MB
// transcript costs about what a short one does.
const LOOKAHEAD_CHARS = 3 * SNIPPET_CHARS;
const GIVE_UP_CHARS = 512 * 1024;

type Window = { start: number; end: number; highlights: { start: number; end: number }[] };

/**
 * The tokens of the field being scanned, as parallel arrays reused by every snippet, so a scan
 * allocates nothing per word. Holds decrypted words only until the snippet is cut (`buildSnippet`
 * clears it).
 */
class SpanScratch {
  count = 0;
  starts = new Int32Array(1024);
  ends = new Int32Array(1024);
  matched = new Uint8Array(1024);
  tokens: SearchToken[] = [];

  push(token: SearchToken, start: number, end: number, isHit: boolean): void {
    const i = this.count;
    if (i === this.starts.length) this.grow();
    this.starts[i] = start;
    this.ends[i] = end;
    this.matched[i] = isHit ? 1 : 0;
    this.tokens[i] = token;
    this.count = i + 1;
  }

  private grow(): void {
    const starts = new Int32Array(this.starts.length * 2);
    const ends = new Int32Array(starts.length);
    const matched = new Uint8Array(starts.length);
    starts.set(this.starts);
    ends.set(this.ends);
    matched.set(this.matched);
    this.starts = starts;
    this.ends = ends;
    this.matched = matched;
  }

  clear(): void {
    this.count = 0;
    this.tokens.length = 0;
  }
}

const scratch = new SpanScratch();
const cursor = new WordCursor();

/** Distinct matching tokens in the window that starts at span `from` (a window holds a handful). */
function distinctMatches(spans: SpanScratch, from: number, startChar: number, seen: SearchToken[]): number {
  seen.length = 0;
  for (let j = from; j < spans.count && (spans.ends[j] as number) - startChar <= SNIPPET_CHARS; j += 1) {
    if (spans.matched[j] === 1) {
      const token = spans.tokens[j] as SearchToken;
      if (!seen.includes(token)) seen.push(token);
    }
  }
  return seen.length;
}

/** Offsets are into the field; `endsField` says whether the spans run to the end of the field. */
function chooseWindow(spans: SpanScratch, fieldLength: number, endsField: boolean): Window {
  const { starts, ends, matched, count } = spans;
  // The start whose window holds the most distinct matching words wins (ties: the earliest).
  let bestStart = 0;
  let bestScore = -1;
  const seen: SearchToken[] = [];
  for (let i = 0; i < count; i += 1) {
    if (matched[i] !== 1) continue;
    const startIndex = Math.max(0, i - CONTEXT_TOKENS_BEFORE);
    const distinct = distinctMatches(spans, i, starts[startIndex] as number, seen);
    if (distinct > bestScore) {
      bestScore = distinct;
      bestStart = startIndex;
    }
  }
  let first = bestStart;
  let last = bestStart;
  const begin = starts[bestStart] as number;
  while (last + 1 < count && (ends[last + 1] as number) - begin <= SNIPPET_CHARS) last += 1;
  // Room left at the end (the field ends early): give it to more context before the match.
  while (first > 0 && (ends[last] as number) - (starts[first - 1] as number) <= SNIPPET_CHARS) first -= 1;
  const start = first === 0 ? 0 : (starts[first] as number);
  // Keep the closing punctuation when the passage runs to the end of the field.
  const end = last === count - 1 && endsField ? fieldLength : (ends[last] as number);
  const highlights: Window['highlights'] = [];
  for (let j = first; j <= last; j += 1) {
    if (matched[j] === 1) highlights.push({ start: (starts[j] as number) - start, end: (ends[j] as number) - start });
  }
  return { start, end, highlights };
}

/** Words of one phrase (`Sednaya Military Prison`) become one highlight when only spaces lie between them. */
function mergeAdjacent(text: string, highlights: Window['highlights']): Window['highlights'] {
  const merged: Window['highlights'] = [];
  for (const highlight of highlights) {
    const last = merged[merged.length - 1];
    if (last && /^\s*$/.test(text.slice(last.end, highlight.start))) last.end = highlight.end;
    else merged.push({ ...highlight });
  }
  return merged;
}

/**
 * Reads `full`'s words into the scratch until a little past the first match: false when no word
 * matches. `complete` is set when the scan reached the end of the field.
 */
function scanField(full: string, isMatch: TokenMatcher, spans: SpanScratch, state: { complete: boolean }): boolean {
  spans.clear();
  let firstMatchEnd = -1;
  state.complete = true;
  const words = cursor;
  words.reset(full);
  while (words.next()) {
    const { start, end } = words;
    if (firstMatchEnd >= 0 ? start > firstMatchEnd + LOOKAHEAD_CHARS : start > GIVE_UP_CHARS) {
      state.complete = false;
      break;
    }
    const plain = words.plainToken();
    if (plain !== null) {
      const isHit = isMatch(plain);
      spans.push(plain, start, end, isHit);
      if (isHit && firstMatchEnd < 0) firstMatchEnd = end;
      continue;
    }
    const tokens = words.tokens();
    for (let t = 0; t < tokens.length; t += 1) {
      const token = tokens[t] as SearchToken;
      const isHit = isMatch(token);
      spans.push(token, start, end, isHit);
      if (isHit && firstMatchEnd < 0) firstMatchEnd = end;
    }
  }
  words.reset('');
  return firstMatchEnd >= 0;
}

/**
 * A short passage of the first field (transcript, then summary, then title) that contains a
 * matching word, with the matches as offsets. Plain text in, plain text out: nothing is escaped or
 * marked up here, so a UI renders it as text and `markSnippet` adds «» for a terminal. A field is
 * read only when the fields before it hold no match.
 */
export function buildSnippet(fields: SnippetFields, isMatch: TokenMatcher): Snippet {
  const state = { complete: true };
  try {
    for (const field of ['transcript', 'summary', 'title'] as const) {
      const full = fields[field];
      if (!scanField(full, isMatch, scratch, state)) continue;
      const chosen = chooseWindow(scratch, full.length, state.complete);
      const text = full.slice(chosen.start, chosen.end);
      return {
        field,
        text,
        highlights: mergeAdjacent(text, chosen.highlights),
        clippedStart: chosen.start > 0,
        clippedEnd: chosen.end < full.length,
      };
    }
  } finally {
    scratch.clear();
  }
  return leadSnippet(fields);
}

/** No word to show (an empty query, or a match only in names and tags): the start of the summary. */
export function leadSnippet(fields: SnippetFields): Snippet {
  const field = fields.summary.trim().length > 0 ? 'summary' : fields.transcript.trim().length > 0 ? 'transcript' : 'title';
  const full = fields[field];
  let end = Math.min(full.length, SNIPPET_CHARS);
  if (end < full.length) {
    const space = full.lastIndexOf(' ', end);
    if (space > SNIPPET_CHARS / 2) end = space;
  }
  return { field, text: full.slice(0, end), highlights: [], clippedStart: false, clippedEnd: end < full.length };
}
