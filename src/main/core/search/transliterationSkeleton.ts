import type { SearchToken } from './searchTokens.js';

const LATIN_WORD = /^[a-z]+$/;
const VOWELS = /[aeiouy]/g;

/**
 * The consonant skeleton of a Latin word, for tolerant matching of transliterations nobody recorded
 * (docs/SEARCH.md, "Tolerant mode"): `Mohamad`, `Muhammad`, `Mohammed` → `mhmd`; `Darwich`,
 * `Darwish` → `drwx`; `Qassem`, `Kassem`, `Qasim` → `ksm`; `Omar`, `Umar` → `amr`.
 *
 * Steps, on an already normalised token of letters a–z only (others have no skeleton):
 * 1. digraphs: sch, sh, ch → x; kh → k; gh → g; th → t; dh → d; ph → f; dj → j; then q, c → k;
 * 2. a final h after a vowel is dropped (Hamzah → Hamza);
 * 3. a leading vowel becomes `a` (so Omar ≠ Mar); a leading y before a vowel is a consonant;
 * 4. every other vowel (a e i o u y) is dropped; 5. runs of one letter collapse (mm → m).
 * Skeletons shorter than two letters are not used (`undefined`): they would match almost anything.
 */
export function transliterationSkeleton(token: SearchToken | string): string | undefined {
  if (!LATIN_WORD.test(token)) return undefined;
  const folded = token
    .replace(/sch|sh|ch/g, 'x')
    .replace(/kh/g, 'k')
    .replace(/gh/g, 'g')
    .replace(/th/g, 't')
    .replace(/dh/g, 'd')
    .replace(/ph/g, 'f')
    .replace(/dj/g, 'j')
    .replace(/[qc]/g, 'k')
    .replace(/([aeiouy])h$/, '$1');
  const first = folded[0] ?? '';
  const second = folded[1] ?? '';
  const leadingConsonantY = first === 'y' && /[aeiou]/.test(second);
  const head = 'aeiou'.includes(first) || (first === 'y' && !leadingConsonantY) ? 'a' : first;
  const skeleton = (head + folded.slice(1).replace(VOWELS, '')).replace(/(.)\1+/g, '$1');
  return skeleton.length >= 2 ? skeleton : undefined;
}
