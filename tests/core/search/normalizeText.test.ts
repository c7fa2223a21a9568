import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { foldDigits, matchKey, normalizeArabic, normalizeText } from '../../../src/main/core/search/normalizeText.js';
import { searchTokenSpans, WordCursor, wordPattern } from '../../../src/main/core/search/searchTokenSpans.js';
import { searchTokens } from '../../../src/main/core/search/searchTokens.js';

describe('normalisation: every rule, the same at index and query time', () => {
  it.each([
    ['fatha, kasra, damma, sukun', 'صَيْدْنايا', 'صيدنايا'],
    ['shadda and tanwin', 'محمّدٌ', 'محمد'],
    ['tanwin fath and kasr', 'شكراً كتابٍ', 'شكرا كتاب'],
    ['superscript alef', 'هٰذا', 'هذا'],
    ['Quranic marks', 'الرحمۡن', 'الرحمن'],
    ['tatweel', 'ســجـن', 'سجن'],
    ['alef with hamza above', 'أحمد', 'احمد'],
    ['alef with hamza below', 'إبراهيم', 'ابراهيم'],
    ['alef with madda', 'آذار', 'اذار'],
    ['alef wasla', 'ٱلسجن', 'السجن'],
    ['alef maqsura', 'مصطفى', 'مصطفي'],
    ['ta marbuta', 'حماة', 'حماه'],
    ['waw with hamza', 'مؤمن', 'مومن'],
    ['ya with hamza', 'عائشة', 'عايشه'],
    ['Persian kaf', 'کتاب', 'كتاب'],
    ['Persian (Farsi) ya', 'علی', 'علي'],
    ['Arabic-Indic digits', '٢٠١٤', '2014'],
    ['Persian digits', '۲۰۱۴', '2014'],
    ['lam-alef ligature (presentation form)', 'ﻻ', 'لا'],
    ['zero-width joiner and bidi marks', 'صيد\u200Dنايا\u200F', 'صيدنايا'],
  ])('Arabic: %s', (_rule, written, normalised) => {
    expect(normalizeText(written)).toBe(normalised);
    expect(searchTokens(written)).toEqual(searchTokens(normalised));
  });

  it.each([
    ['upper case', 'SEDNAYA', 'sednaya'],
    ['acute, grave, circumflex', 'Échec à Crète', 'echec a crete'],
    ['umlaut and cedilla', 'Müller Façade', 'muller facade'],
    ['tilde', 'Año', 'ano'],
    ['decomposed accents (NFD input)', 'Cafe\u0301', 'cafe'],
    ['sharp s', 'Straße', 'strasse'],
    ['letters NFKD cannot split: ø ł đ ı æ œ', 'Øland Łódź Đorđe Kılıç Æsir Œuvre', 'oland lodz dorde kilic aesir oeuvre'],
    ['ligature fi', 'ﬁle', 'file'],
    ['dotted capital I', 'İstanbul', 'istanbul'],
    ['Greek final sigma folds to sigma', 'ΟΔΟΣ', 'οδοσ'],
  ])('Latin and other scripts: %s', (_rule, written, normalised) => {
    expect(normalizeText(written)).toBe(normalised);
  });

  it('keeps the existing helpers: foldDigits, normalizeArabic and matchKey', () => {
    expect(foldDigits('٠١٢٣٤٥٦٧٨٩ ۰۱۲۳۴۵۶۷۸۹')).toBe('0123456789 0123456789');
    expect(normalizeArabic('إِبْرَاهِيم')).toBe('ابراهيم');
    expect(matchKey('  Sednaya\u00A0 Military   PRISON ')).toBe('sednaya military prison');
  });

  it('gives the issue\'s three examples one token each way', () => {
    expect(searchTokens('صَيْدْنايا')).toEqual(searchTokens('صيدنايا'));
    expect(searchTokens('إبراهيم')).toEqual(searchTokens('ابراهيم'));
    expect(searchTokens('٢٠١٤')).toEqual(searchTokens('2014'));
  });

  it('splits on punctuation, spaces and private-use characters (the index\'s own markers)', () => {
    expect(searchTokens('al-Khatib, (Branch 251); «Far\' Falastin»')).toEqual(['al', 'khatib', 'branch', '251', 'far', 'falastin']);
    expect(searchTokens('a\uE000b\uE001c')).toEqual(['a', 'b', 'c']);
    expect(searchTokens('سجن، صيدنايا؟')).toEqual(['سجن', 'صيدنايا']);
  });

  it('maps every highlight span back onto the original text, harakat and tatweel included', () => {
    const text = 'نقلوني إلى صَيْدْنايا ثم ســجـن عدرا (٢٠١٤).';
    const spans = searchTokenSpans(text);
    expect(spans.map((span) => span.token)).toEqual(searchTokens(text));
    expect(spans.map((span) => text.slice(span.start, span.end))).toEqual(['نقلوني', 'إلى', 'صَيْدْنايا', 'ثم', 'ســجـن', 'عدرا', '٢٠١٤']);
  });

  it('agrees with searchTokens on random mixed-script text (property)', () => {
    const alphabet = [...'abcXYZéÉüß -,.()\'"0123٠١٢۳بتثجحخصيدناأإآىةؤئکی\u064E\u064F\u0650\u0651\u0652\u0640\u200D'];
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...alphabet), { maxLength: 60 }).map((chars) => chars.join('')), (text) => {
        const spans = searchTokenSpans(text);
        expect(spans.map((span) => span.token)).toEqual(searchTokens(text));
        for (const span of spans) expect(searchTokens(text.slice(span.start, span.end))).toContain(span.token);
      }),
      { numRuns: 500 },
    );
  });

  it('finds the same words and tokens with its code-unit table as the Unicode-property regex does (property)', () => {
    // Plain words (a–z, unfolded Arabic letters) skip normalisation; everything else here must not.
    const alphabet = [
      ...'abzAZ09 -,.()«»\'"éÉüßøŁΣσς½²ﬁ中가',
      ...'بتثجحخصيدناءأإآٱىةؤئکیےۀہٹ٠١٢۳\u064E\u064F\u0650\u0651\u0652\u0670\u0640\u0653\u0654',
      '\u200C', '\u200D', '\u200F', '\u061C', '\u0600', '\u0301', '\uFEFB', '\uFDF2', '\u1100', '\u1161', '\uE000',
      '\u{1D400}', '\u{1F600}', '\uD800', '\uDC00',
    ];
    const byRegex = (text: string) => {
      const spans: { token: string; start: number; end: number }[] = [];
      const words = wordPattern();
      for (let word = words.exec(text); word !== null; word = words.exec(text)) {
        for (const token of searchTokens(word[0])) spans.push({ token, start: word.index, end: word.index + word[0].length });
      }
      return spans;
    };
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...alphabet), { maxLength: 40 }).map((chars) => chars.join('')), (text) => {
        expect(searchTokenSpans(text)).toEqual(byRegex(text));
      }),
      { numRuns: 3000 },
    );
    const cursor = new WordCursor();
    cursor.reset('Sednaya صيدنايا صَيْدْنايا ٢٠١٤');
    const plain: (string | null)[] = [];
    while (cursor.next()) plain.push(cursor.plainToken());
    expect(plain).toEqual(['sednaya', 'صيدنايا', null, null]);
  });
});
