import type { VaultSession } from '../vault/VaultSession.js';
import type { AuditEntry } from './auditEntry.js';

/**
 * What exports and merges need from the signed audit log: the highest control number any export
 * issued, whether each sender key was last trusted or untrusted, and which records were deleted.
 */
export type AuditDigest = {
  highestControlValue: number;
  trust: ReadonlyMap<string, boolean>;
  deletedRecordIds: ReadonlySet<string>;
};

export type DigestState = { highestControlValue: number; trust: Map<string, boolean>; deletedRecordIds: Set<string> };

/** A place in the chain: after entry `seq`, whose chain hash is `hash` (0 and 32 zero bytes: the start). */
export type AuditChainAnchor = { seq: number; hash: Uint8Array };
export const AUDIT_CHAIN_START: AuditChainAnchor = { seq: 0, hash: new Uint8Array(32) };

/** A digest and the place in the chain it covers. */
export type DigestAt = { anchor: AuditChainAnchor; state: DigestState };

export function emptyDigestState(): DigestState {
  return { highestControlValue: 0, trust: new Map(), deletedRecordIds: new Set() };
}

export function copyDigestState(state: DigestState): DigestState {
  return { highestControlValue: state.highestControlValue, trust: new Map(state.trust), deletedRecordIds: new Set(state.deletedRecordIds) };
}

/** Folds entries in log order into the state (the same rules whether from the start or a checkpoint). */
export function foldAuditEntries(state: DigestState, entries: readonly AuditEntry[]): DigestState {
  for (const entry of entries) {
    const last = entry.action === 'export' ? entry.details?.lastControlValue : undefined;
    if (typeof last === 'number' && last > state.highestControlValue) state.highestControlValue = last;
    const publicKey = entry.details?.publicKey;
    if (typeof publicKey === 'string' && entry.action === 'trust.add') state.trust.set(publicKey, true);
    if (typeof publicKey === 'string' && entry.action === 'trust.remove') state.trust.set(publicKey, false);
    if (entry.action.endsWith('.delete') && entry.recordId !== undefined) state.deletedRecordIds.add(entry.recordId);
  }
  return state;
}

/**
 * This session's digest, kept current as it appends: an entry the session just signed needs no
 * verifying. Whoever reads it must still check that the log holds its anchor (a rolled-back
 * transaction can have taken the last entries away).
 */
const remembered = new WeakMap<VaultSession, DigestAt>();

export function rememberedDigest(session: VaultSession): DigestAt | undefined {
  return remembered.get(session);
}

export function rememberDigest(session: VaultSession, digest: DigestAt): void {
  remembered.set(session, { anchor: digest.anchor, state: copyDigestState(digest.state) });
}

/** Called by appendAuditEntry: folds the new entry in if the remembered digest ends right before it. */
export function noteAppendedEntry(session: VaultSession, entry: AuditEntry, previous: AuditChainAnchor, head: AuditChainAnchor): void {
  const current = remembered.get(session);
  if (entry.seq === 1) {
    remembered.set(session, { anchor: head, state: foldAuditEntries(emptyDigestState(), [entry]) });
  } else if (current && current.anchor.seq === previous.seq && Buffer.compare(current.anchor.hash, previous.hash) === 0) {
    remembered.set(session, { anchor: head, state: foldAuditEntries(copyDigestState(current.state), [entry]) });
  }
}
