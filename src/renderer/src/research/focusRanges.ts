/** Where a search hit matched: the snippet's passage (a verbatim slice of the field) and its marks. */
export type MatchFocus = { field: 'title' | 'summary' | 'transcript'; passage: string; highlights: { start: number; end: number }[] };

/** The ranges of `focus` inside the full field text, or none when the passage is no longer there (the record changed). */
export function focusRanges(text: string, focus: MatchFocus | null | undefined): { start: number; end: number }[] {
  if (!focus || focus.passage === '') return [];
  const at = text.indexOf(focus.passage);
  if (at < 0) return [];
  return focus.highlights.map((range) => ({ start: at + range.start, end: at + range.end }));
}
