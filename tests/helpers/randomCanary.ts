import { randomBytes, randomInt } from 'node:crypto';

// Letters that normalizeText() leaves unchanged (no folds, no marks), so stored and searched forms agree.
const ARABIC_LETTERS = [...'بتثجحخدذرزسشصضطظعغفقكلمنهوي'];

/** `CANARY-` and 24 random hex digits: unique per run, so a hit can only come from this run's data. */
export function randomCanary(): string {
  return `CANARY-${randomBytes(12).toString('hex')}`;
}

/** An Arabic canary (`شاهد-` and 16 random letters, about 77 bits): catches leaks of non-Latin text and UTF-16 copies. */
export function randomArabicCanary(): string {
  const letters = Array.from({ length: 16 }, () => ARABIC_LETTERS[randomInt(ARABIC_LETTERS.length)] ?? 'ب');
  return `شاهد-${letters.join('')}`;
}

/**
 * The canaries plus the fragments an index would keep: the random token after the last `-` (a
 * tokenizer splits `CANARY-…` there and lowercases it) and the token's last 60 % (FTS5
 * prefix-compresses neighbouring terms byte by byte, even inside a UTF-8 letter, so only a term's
 * tail is sure to be stored whole). 14 hex digits or 9 Arabic letters still carry over 40 random bits.
 */
export function withIndexFragments(canaries: readonly string[]): string[] {
  const needles = new Set<string>();
  for (const canary of canaries) {
    needles.add(canary);
    const token = canary.slice(canary.lastIndexOf('-') + 1);
    if (token.length < 12) continue;
    needles.add(token);
    needles.add(token.slice(-Math.floor(token.length * 0.6)));
  }
  return [...needles];
}
