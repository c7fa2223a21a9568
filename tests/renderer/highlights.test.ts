import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { focusRanges } from '../../src/renderer/src/research/focusRanges.js';
import { splitByHighlights } from '../../src/renderer/src/research/splitByHighlights.js';

describe('splitByHighlights (snippets rendered as text and <mark>)', () => {
  it('cuts the text at the marks, in order', () => {
    expect(splitByHighlights('moved to صَيْدْنايا in 2014', [{ start: 9, end: 19 }])).toEqual([
      { text: 'moved to ', marked: false },
      { text: 'صَيْدْنايا', marked: true },
      { text: ' in 2014', marked: false },
    ]);
  });

  it('clips overlapping, backward and out-of-range marks from main instead of trusting them', () => {
    expect(splitByHighlights('abcdef', [{ start: 4, end: 99 }, { start: 1, end: 3 }, { start: 2, end: 5 }, { start: 5, end: 2 }])).toEqual([
      { text: 'a', marked: false },
      { text: 'bc', marked: true },
      { text: 'de', marked: true },
      { text: 'f', marked: true },
    ]);
  });

  it('never loses or duplicates a character, whatever the ranges', () => {
    fc.assert(fc.property(fc.string(), fc.array(fc.record({ start: fc.integer({ min: -5, max: 50 }), end: fc.integer({ min: -5, max: 50 }) })), (text, ranges) => {
      const pieces = splitByHighlights(text, ranges);
      expect(pieces.map((piece) => piece.text).join('')).toBe(text);
      expect(pieces.every((piece) => piece.text.length > 0)).toBe(true);
    }));
  });
});

describe('focusRanges (jumping from a hit to the passage in the full record)', () => {
  const transcript = 'I was taken at a checkpoint.\nThen I was moved to Sednaya, the red building.';
  const passage = 'moved to Sednaya, the red building.';

  it('moves the snippet’s marks to where the passage sits in the field', () => {
    const ranges = focusRanges(transcript, { field: 'transcript', passage, highlights: [{ start: 9, end: 16 }] });
    expect(ranges.map((range) => transcript.slice(range.start, range.end))).toEqual(['Sednaya']);
  });

  it('marks nothing when the record changed and the passage is gone', () => {
    expect(focusRanges('a different text', { field: 'transcript', passage, highlights: [{ start: 9, end: 16 }] })).toEqual([]);
    expect(focusRanges(transcript, null)).toEqual([]);
  });
});
