/** Core refuses shorter new passphrases (src/main/core/vault/passphrasePolicy.ts; a test keeps them equal). */
export const MIN_NEW_PASSPHRASE_CHARS = 10;

export type PassphraseStrength = {
  level: 'too-short' | 'weak' | 'fair' | 'strong';
  /** A rough, deliberately pessimistic estimate of the guessing entropy. */
  bits: number;
};

/**
 * Feedback while a new passphrase is typed. Counts words for passphrases of several words (about
 * 10 bits each, less than a diceware word, since people pick words that go together) and character
 * classes otherwise, with repeated characters counted once. It never sees a dictionary: it only
 * steers people away from short and repetitive choices.
 */
export function passphraseStrength(passphrase: string): PassphraseStrength {
  const characters = [...passphrase.normalize('NFC')];
  const words = passphrase.trim().split(/[\s\-_.,]+/u).filter((word) => [...word].length >= 3);
  let pool = 0;
  if (characters.some((c) => /\p{Ll}/u.test(c))) pool += 26;
  if (characters.some((c) => /\p{Lu}/u.test(c))) pool += 26;
  if (characters.some((c) => /\p{Nd}/u.test(c))) pool += 10;
  if (characters.some((c) => /\p{Script=Arabic}/u.test(c))) pool += 36;
  if (characters.some((c) => /[^\p{L}\p{Nd}]/u.test(c))) pool += 20;
  const distinct = new Set(characters).size;
  const byCharacters = Math.min(characters.length, distinct * 2) * Math.log2(Math.max(pool, 2)) * 0.5;
  const byWords = new Set(words.map((word) => word.toLowerCase())).size * 10;
  const bits = Math.round(Math.max(byCharacters, byWords));
  if (characters.length < MIN_NEW_PASSPHRASE_CHARS) return { level: 'too-short', bits };
  return { level: bits >= 60 ? 'strong' : bits >= 40 ? 'fair' : 'weak', bits };
}
