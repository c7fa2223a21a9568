import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { applyRedactions } from '../../src/main/core/redaction/applyRedactions.js';
import { markRedacted } from '../../src/main/core/redaction/RedactedText.js';
import type { RedactionRules, RedactionSpan, RedactionTerm } from '../../src/main/core/redaction/redactionRules.js';
import { termPatterns } from '../../src/main/core/redaction/termPatterns.js';
import { FUZZ_RUNS, FUZZ_SEED, FUZZ_TIMEOUT_MS } from './fuzzRuns.js';

/*
 * Texts are built from two disjoint alphabets: FILLER for ordinary words, SECRET for names, aliases
 * and marked spans (pseudonyms use neither: "[#3]"). Then "no redacted span survives" has a sharp
 * form: not one SECRET character may be left in the output. The Arabic secret letters avoid the
 * proclitics (و ف ب ل ك ال), which the redactor rightly leaves in place ("وسمير" → "و[#1]").
 */
const FILLER_LATIN = 'abcdefghij';
const FILLER_ARABIC = 'تثجحخدذرزسشصضطظعغ';
const SECRET_LATIN = 'klmnopqrstuvwxyz';
const SECRET_ARABIC = 'قمنهيةىأإآئؤ';
const HARAKAT = ['\u064b', '\u064c', '\u064d', '\u064e', '\u064f', '\u0650', '\u0651', '\u0652'];
const TATWEEL = '\u0640';
const SECRET_CHARS = new Set([...SECRET_LATIN, ...SECRET_LATIN.toUpperCase(), ...SECRET_ARABIC, ...HARAKAT, TATWEEL]);

const chars = (alphabet: string) => fc.constantFrom(...alphabet);
const word = (alphabet: string, min: number, max: number) => fc.array(chars(alphabet), { minLength: min, maxLength: max }).map((letters) => letters.join(''));
const fillerWord = fc.oneof(word(FILLER_LATIN, 1, 8), word(FILLER_ARABIC, 1, 8));
const fillerGlue = fc.constantFrom(' ', ', ', '. ', '\n', ' — ', ' (', ') ', ': ', '؛ ', '، ');
const secretName = fc.oneof(
  fc.array(word(SECRET_LATIN, 2, 8), { minLength: 1, maxLength: 3 }).map((tokens) => tokens.join(' ')),
  fc.array(word(SECRET_ARABIC, 2, 7), { minLength: 1, maxLength: 3 }).map((tokens) => tokens.join(' ')),
);

/** How a name is written in a transcript: case changes, harakat, tatweel, the alef/yeh/teh-marbuta forms people use interchangeably. */
const writtenAs = (name: string) =>
  fc.array(fc.nat(99), { minLength: [...name].length, maxLength: [...name].length }).map((rolls) =>
    [...name].map((char, index) => {
      const roll = rolls[index] ?? 0;
      if (/[a-z]/.test(char)) return roll < 40 ? char.toUpperCase() : char;
      const swapped = roll < 15 ? ({ ي: 'ى', ى: 'ي', ه: 'ة', ة: 'ه', أ: 'إ', إ: 'آ', آ: 'أ' } as Record<string, string>)[char] ?? char : char;
      if (char === ' ') return char;
      return swapped + (roll > 70 ? HARAKAT[roll % HARAKAT.length] : '') + (roll > 92 ? TATWEEL : '');
    }).join(''));

type Piece = { kind: 'filler'; text: string } | { kind: 'name'; person: number; alias: number } | { kind: 'span'; text: string };

const scenario = fc
  .record({
    persons: fc.array(fc.record({ name: secretName, aliases: fc.array(secretName, { maxLength: 3 }) }), { minLength: 1, maxLength: 3 }),
    pieces: fc.array(
      fc.oneof(
        { weight: 5, arbitrary: fc.tuple(fillerWord, fillerGlue).map(([text, glue]): Piece => ({ kind: 'filler', text: text + glue })) },
        { weight: 2, arbitrary: fc.record({ person: fc.nat(2), alias: fc.nat(3) }).map((at): Piece => ({ kind: 'name', ...at })) },
        { weight: 1, arbitrary: word(SECRET_LATIN + SECRET_ARABIC, 1, 12).map((text): Piece => ({ kind: 'span', text })) },
      ),
      { maxLength: 60 },
    ),
  })
  .chain(({ persons, pieces }) =>
    fc.tuple(
      fc.constant(persons),
      fc.constant(pieces),
      fc.tuple(...pieces.map((piece) => {
        if (piece.kind !== 'name') return fc.constant('');
        const person = persons[piece.person % persons.length] ?? persons[0];
        const forms = [person?.name ?? '', ...(person?.aliases ?? [])];
        return writtenAs(forms[piece.alias % forms.length] ?? '');
      })),
    ),
  );

describe('property: the redaction engine', () => {
  it('leaves no character of a name, an alias or a marked span in its output (Latin and Arabic, with harakat and letter variants)', { timeout: FUZZ_TIMEOUT_MS }, () => {
    let redactions = 0;
    fc.assert(
      fc.property(scenario, ([persons, pieces, written]) => {
        let text = '';
        const spans: RedactionSpan[] = [];
        pieces.forEach((piece, index) => {
          if (piece.kind === 'filler') text += piece.text;
          else if (piece.kind === 'span') {
            spans.push({ field: 'transcript', start: text.length, end: text.length + piece.text.length, pseudonym: markRedacted('[#]'), reason: 'marked' });
            text += piece.text;
          } else text += ` ${written[index] ?? ''} `;
        });
        const terms: RedactionTerm[] = persons.flatMap((person, p) => [person.name, ...person.aliases].map((form, a) => ({
          id: `p${p}-${a}`, category: 'person-name', pseudonym: markRedacted(`[#${p}]`), reason: 'name', patterns: termPatterns('person-name', form),
        })));
        const rules: RedactionRules = { detectors: false, terms, spans, keptDetections: new Set() };
        const result = applyRedactions(text, 'transcript', rules);
        const leaked = [...result.text].filter((char) => SECRET_CHARS.has(char));
        if (leaked.length > 0) throw new Error(`leaked ${JSON.stringify(leaked.join(''))}\n text: ${JSON.stringify(text)}\n out:  ${JSON.stringify(result.text)}\n names: ${JSON.stringify(persons)}`);
        redactions += result.events.length;
      }),
      { numRuns: FUZZ_RUNS * 2, seed: FUZZ_SEED },
    );
    console.log(`fuzz redaction (seed ${FUZZ_SEED}): ${FUZZ_RUNS * 2} texts, ${redactions} replacements, 0 secret characters left`);
  });

  it('never throws and keeps every character outside the replaced ranges, for arbitrary text and spans', { timeout: FUZZ_TIMEOUT_MS }, () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 200 }), fc.array(fc.tuple(fc.nat(220), fc.nat(40)), { maxLength: 5 }), (text, ranges) => {
        const spans: RedactionSpan[] = ranges.map(([start, length]) => ({ field: 'transcript', start: Math.min(start, text.length), end: Math.min(start + length + 1, text.length), pseudonym: markRedacted('[#]'), reason: 'marked' }));
        const result = applyRedactions(text, 'transcript', { detectors: true, terms: [], spans, keptDetections: new Set() });
        expect(typeof result.text).toBe('string');
        if (spans.every((span) => span.end <= span.start) && result.events.length === 0) expect(result.text).toBe(text);
      }),
      { numRuns: FUZZ_RUNS * 2, seed: FUZZ_SEED },
    );
  });
});
