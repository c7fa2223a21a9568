/** The first and last day a partial date (`2014`, `2014-03`, `2014-03-09`) can mean, as YYYY-MM-DD. */
export function partialDateBounds(date: string): [string, string] {
  if (date.length === 4) return [`${date}-01-01`, `${date}-12-31`];
  // "-31" for every month is a safe upper bound for string comparison, even for February.
  if (date.length === 7) return [`${date}-01`, `${date}-31`];
  return [date, date];
}

/**
 * The days a possibly open period covers. A period with only `from` (or only `to`) is taken to be
 * that one partial date, not an open-ended span: the index never claims years the record does not
 * state. Returns null when the record has no period at all.
 */
export function periodBounds(period: { from?: string; to?: string } | undefined): [string, string] | null {
  const from = period?.from ?? period?.to;
  const to = period?.to ?? period?.from;
  if (from === undefined || to === undefined) return null;
  const [fromLow, fromHigh] = partialDateBounds(from);
  const [toLow, toHigh] = partialDateBounds(to);
  const low = fromLow < toLow ? fromLow : toLow;
  const high = fromHigh > toHigh ? fromHigh : toHigh;
  return [low, high];
}

/** Every calendar year a span touches (at most 200, so a typo like 1014–2014 cannot explode counts). */
export function yearsOf(bounds: [string, string] | null): number[] {
  if (!bounds) return [];
  const first = Number(bounds[0].slice(0, 4));
  const last = Math.min(Number(bounds[1].slice(0, 4)), first + 199);
  return Array.from({ length: last - first + 1 }, (_, i) => first + i);
}
