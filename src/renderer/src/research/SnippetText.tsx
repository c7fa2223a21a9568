import type { SnippetView } from '../../../shared/ipc/researchSchemas.js';
import { splitByHighlights } from './splitByHighlights';

/** A search snippet: text nodes and <mark> elements only (React escapes every piece; never HTML). */
export function SnippetText({ snippet, lang }: { snippet: SnippetView; lang?: string }) {
  return (
    <p className="snippet" dir="auto" lang={lang}>
      {snippet.clippedStart ? '… ' : null}
      {splitByHighlights(snippet.text, snippet.highlights).map((piece, index) => (piece.marked ? <mark key={index}>{piece.text}</mark> : <span key={index}>{piece.text}</span>))}
      {snippet.clippedEnd ? ' …' : null}
    </p>
  );
}
