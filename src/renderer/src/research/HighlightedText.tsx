import { useEffect, useRef } from 'react';
import { focusRanges, type MatchFocus } from './focusRanges';
import { splitByHighlights } from './splitByHighlights';

export type { MatchFocus } from './focusRanges';

type Props = { text: string; focus?: MatchFocus | null | undefined; className?: string; lang?: string };

/**
 * A record field as text, with the matched words of a search hit marked and scrolled into view.
 * Text nodes and <mark> only; never HTML.
 */
export function HighlightedText({ text, focus, className, lang }: Props) {
  const firstMark = useRef<HTMLElement | null>(null);
  const ranges = focusRanges(text, focus);
  const hasRanges = ranges.length > 0;

  useEffect(() => {
    if (hasRanges) firstMark.current?.scrollIntoView({ block: 'center' });
  }, [hasRanges, text]);

  let seenMark = false;
  return (
    <div className={className} dir="auto" lang={lang}>
      {splitByHighlights(text, ranges).map((piece, index) => {
        if (!piece.marked) return <span key={index}>{piece.text}</span>;
        const first = !seenMark;
        seenMark = true;
        return (
          <mark key={index} className="match" ref={first ? (element) => void (firstMark.current = element) : undefined}>
            {piece.text}
          </mark>
        );
      })}
    </div>
  );
}
