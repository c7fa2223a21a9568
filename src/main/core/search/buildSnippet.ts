import type { TokenMatcher } from './highlightMatcher.js';
import type { Snippet } from './searchResult.js';
import { tokensOfWord, wordPattern, type TokenSpan } from './searchTokenSpans.js';

export type SnippetFields = { title: string; summary: string; transcript: string };

const SNIPPET_CHARS = 240;
const CONTEXT_TOKENS_BEFORE = 6;
// The scan of a field stops a little past its first match (the passage is chosen among the matches
// seen so far), and gives up on a field after this many characters without one, so a 5 MB
// transcript costs about what a short one does.
const LOOKAHEAD_CHARS = 3 * SNIPPET_CHARS;
const GIVE_UP_CHARS = 512 * 1024;

type Window = { start: number; end: number; highlights: { start: number; end: number }[] };

/** Offsets are into the field; `endsField` says whether the spans run to the end of the field. */
function chooseWindow(spans: readonly TokenSpan[], matched: readonly boolean[], fieldLength: number, endsField: boolean): Window {
  // The start whose window holds the most distinct matching words wins (ties: the earliest).
  let bestStart = 0;
  let bestScore = -1;
  for (let i = 0; i < spans.length; i += 1) {
    if (!matched[i]) continue;
    const startIndex = Math.max(0, i - CONTEXT_TOKENS_BEFORE);
    const startChar = (spans[startIndex] as TokenSpan).start;
    const distinct = new Set<string>();
    for (let j = i; j < spans.length && (spans[j] as TokenSpan).end - startChar <= SNIPPET_CHARS; j += 1) {
      if (matched[j]) distinct.add((spans[j] as TokenSpan).token);
    }
    if (distinct.size > bestScore) {
      bestScore = distinct.size;
      bestStart = startIndex;
    }
  }
  let first = bestStart;
  let last = bestStart;
  const begin = (spans[bestStart] as TokenSpan).start;
  while (last + 1 < spans.length && (spans[last + 1] as TokenSpan).end - begin <= SNIPPET_CHARS) last += 1;
  // Room left at the end (the field ends early): give it to more context before the match.
  while (first > 0 && (spans[last] as TokenSpan).end - (spans[first - 1] as TokenSpan).start <= SNIPPET_CHARS) first -= 1;
  const start = first === 0 ? 0 : (spans[first] as TokenSpan).start;
  // Keep the closing punctuation when the passage runs to the end of the field.
  const end = last === spans.length - 1 && endsField ? fieldLength : (spans[last] as TokenSpan).end;
  const highlights: Window['highlights'] = [];
  for (let j = first; j <= last; j += 1) {
    const span = spans[j] as TokenSpan;
    if (matched[j]) highlights.push({ start: span.start - start, end: span.end - start });
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
 * A short passage of the first field (transcript, then summary, then title) that contains a
 * matching word, with the matches as offsets. Plain text in, plain text out: nothing is escaped or
 * marked up here, so a UI renders it as text and `markSnippet` adds «» for a terminal.
 */
export function buildSnippet(fields: SnippetFields, isMatch: TokenMatcher): Snippet {
  for (const field of ['transcript', 'summary', 'title'] as const) {
    const full = fields[field];
    const spans: TokenSpan[] = [];
    const matched: boolean[] = [];
    let firstMatchEnd = -1;
    let complete = true;
    // The words read here, not through `iterateTokenSpans`: a generator per field cost about half
    // of a page of snippets (measured).
    const words = wordPattern();
    for (let word = words.exec(full); word !== null; word = words.exec(full)) {
      const start = word.index;
      if (firstMatchEnd >= 0 ? start > firstMatchEnd + LOOKAHEAD_CHARS : start > GIVE_UP_CHARS) {
        complete = false;
        break;
      }
      const end = start + word[0].length;
      for (const token of tokensOfWord(word[0])) {
        const isHit = isMatch(token);
        spans.push({ token, start, end });
        matched.push(isHit);
        if (isHit && firstMatchEnd < 0) firstMatchEnd = end;
      }
    }
    if (firstMatchEnd < 0) continue;
    const chosen = chooseWindow(spans, matched, full.length, complete);
    const text = full.slice(chosen.start, chosen.end);
    return {
      field,
      text,
      highlights: mergeAdjacent(text, chosen.highlights),
      clippedStart: chosen.start > 0,
      clippedEnd: chosen.end < full.length,
    };
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
