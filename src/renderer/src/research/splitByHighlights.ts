export type TextPiece = { text: string; marked: boolean };

/**
 * Splits text at the given [start, end) ranges, for rendering as text nodes and <mark>s. Ranges
 * that overlap, run backwards or fall outside the text are clipped or dropped: the offsets come
 * from main and are not trusted to be tidy.
 */
export function splitByHighlights(text: string, highlights: readonly { start: number; end: number }[]): TextPiece[] {
  const pieces: TextPiece[] = [];
  let cursor = 0;
  for (const { start, end } of [...highlights].sort((a, b) => a.start - b.start)) {
    const from = Math.max(cursor, Math.min(start, text.length));
    const to = Math.min(end, text.length);
    if (to <= from) continue;
    if (from > cursor) pieces.push({ text: text.slice(cursor, from), marked: false });
    pieces.push({ text: text.slice(from, to), marked: true });
    cursor = to;
  }
  if (cursor < text.length) pieces.push({ text: text.slice(cursor), marked: false });
  return pieces;
}
