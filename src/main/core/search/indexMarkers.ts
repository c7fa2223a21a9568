/**
 * Private-use characters the index uses for its own tokens. `searchTokens` treats private-use
 * characters as separators, so no document or query text can ever produce or match these.
 */
export const INDEX_MARKERS = {
  /** Prefix of a transliteration-skeleton token in the `skel` column. */
  skeleton: '\uE000',
  /** A token between separate items (two tags, two aliases): a phrase never matches across it. */
  barrier: '\uE001',
  /** Prefix of a vocabulary-term link token in the `linked` column (the term's rowid in base 36). */
  link: '\uE002',
} as const;
