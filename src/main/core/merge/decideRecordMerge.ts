/** A local record of the incoming record's family (the same id, the record it copies, or a copy of that), as version digests. */
export type LocalHistory = { id: string; digests: readonly string[] };

export type RecordMergeDecision =
  /** Every incoming version is already the start of this local record's history: nothing new. */
  | { action: 'present'; localId: string }
  /** This local record's history is the start of the incoming one: append the incoming versions from `from` (0-based). */
  | { action: 'extend'; localId: string; from: number }
  /** Unrelated to every local history: keep it as a record of its own (beside the family, if there is one). */
  | { action: 'create' };

function isPrefix(shorter: readonly string[], longer: readonly string[]): boolean {
  return shorter.length <= longer.length && shorter.every((digest, index) => digest === longer[index]);
}

/**
 * How one incoming record joins the vault, by its version history alone. Nothing local is ever
 * rewritten: a local history is only ever extended when the incoming one continues it, and when
 * both sides edited the record apart, the incoming history is kept whole beside the local one.
 * The record with the same id is preferred; otherwise the longest history that fits.
 */
export function decideRecordMerge(incoming: readonly string[], family: readonly LocalHistory[], incomingId: string): RecordMergeDecision {
  const ordered = [...family].sort((a, b) => Number(b.id === incomingId) - Number(a.id === incomingId));
  const holder = ordered.find((member) => isPrefix(incoming, member.digests));
  if (holder) return { action: 'present', localId: holder.id };
  const continued = ordered
    .filter((member) => isPrefix(member.digests, incoming))
    .sort((a, b) => Number(b.id === incomingId) - Number(a.id === incomingId) || b.digests.length - a.digests.length)[0];
  if (continued) return { action: 'extend', localId: continued.id, from: continued.digests.length };
  return { action: 'create' };
}
