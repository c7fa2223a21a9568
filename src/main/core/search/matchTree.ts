/** A phrase of the match tree: its tokens in order; with `prefix`, the last token matches any token it begins. */
export type MatchPhrase = { kind: 'phrase'; tokens: readonly string[]; prefix: boolean };

/** What the index evaluates: phrases combined by AND, OR and NOT (NOT keeps `include` rows without `exclude`). */
export type MatchTree =
  | MatchPhrase
  | { kind: 'and' | 'or'; children: readonly MatchTree[] }
  | { kind: 'not'; include: MatchTree; exclude: MatchTree };
