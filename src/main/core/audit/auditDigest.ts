import { z } from 'zod';
import { openField, sealField } from '../crypto/index.js';
import { isVaultError } from '../errors.js';
import type { VaultSession } from '../vault/VaultSession.js';
import type { AuditEntry } from './auditEntry.js';
import {
  AUDIT_CHAIN_START, copyDigestState, emptyDigestState, foldAuditEntries, rememberDigest, rememberedDigest,
  type AuditChainAnchor, type AuditDigest, type DigestAt,
} from './auditDigestState.js';
import { walkAuditChain } from './auditLog.js';

export type { AuditDigest } from './auditDigestState.js';

const CheckpointSchema = z.object({
  throughSeq: z.number().int().min(1),
  throughHash: z.string().regex(/^[0-9a-f]{64}$/),
  highestControlValue: z.number().int().min(0),
  trust: z.array(z.tuple([z.string(), z.boolean()])),
  deletedRecordIds: z.array(z.string()),
}).strict();
type Checkpoint = z.infer<typeof CheckpointSchema>;

const DIGEST_RECORD_ID = 'audit-digest';

function digestContext(session: VaultSession, throughSeq: number) {
  return { vaultId: session.vaultId, recordId: DIGEST_RECORD_ID, field: 'audit.digest', recordVersion: throughSeq };
}

/** The digest of the given entries alone (verify already holds them all). */
export function digestOfEntries(entries: readonly AuditEntry[]): AuditDigest {
  return foldAuditEntries(emptyDigestState(), entries);
}

function toCheckpoint(anchor: AuditChainAnchor, state: AuditDigest): Checkpoint {
  return {
    throughSeq: anchor.seq,
    throughHash: Buffer.from(anchor.hash).toString('hex'),
    highestControlValue: state.highestControlValue,
    trust: [...state.trust].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
    deletedRecordIds: [...state.deletedRecordIds].sort(),
  };
}

/** The log still holds entry `anchor.seq` with that hash (not rolled back, not replaced). */
function anchorHolds(session: VaultSession, anchor: AuditChainAnchor): boolean {
  if (anchor.seq === 0) return true;
  const hash = session.db.prepare('SELECT entry_hash FROM audit_log WHERE seq = ?').pluck().get(anchor.seq) as unknown;
  return hash instanceof Uint8Array && Buffer.compare(hash, anchor.hash) === 0;
}

/**
 * The sealed checkpoint, or why it cannot be used. A checkpoint is trusted only if it opens under the
 * audit key with its seq in the AAD and the log still holds that entry with that hash. A replayed
 * older checkpoint is harmless: the walk from it re-reads every later entry.
 */
function readCheckpoint(session: VaultSession): DigestAt | { problem: string } | null {
  const row = session.db.prepare('SELECT through_seq, digest_ciphertext FROM audit_digest WHERE singleton = 1').get() as
    { through_seq: unknown; digest_ciphertext: unknown } | undefined;
  if (!row) return null;
  if (typeof row.through_seq !== 'number' || !(row.digest_ciphertext instanceof Uint8Array)) return { problem: 'the checkpoint row is malformed' };
  let checkpoint: Checkpoint;
  try {
    const plaintext = openField(session.key('auditKey'), row.digest_ciphertext, digestContext(session, row.through_seq));
    const parsed = CheckpointSchema.safeParse(JSON.parse(new TextDecoder().decode(plaintext)));
    if (!parsed.success || parsed.data.throughSeq !== row.through_seq) return { problem: 'the checkpoint content is malformed' };
    checkpoint = parsed.data;
  } catch (error) {
    if (!isVaultError(error) && !(error instanceof SyntaxError)) throw error;
    return { problem: 'the checkpoint failed decryption' };
  }
  const anchor = { seq: checkpoint.throughSeq, hash: new Uint8Array(Buffer.from(checkpoint.throughHash, 'hex')) };
  if (!anchorHolds(session, anchor)) return { problem: `the checkpoint names entry ${checkpoint.throughSeq}, which the log does not hold as it was` };
  return {
    anchor,
    state: {
      highestControlValue: checkpoint.highestControlValue,
      trust: new Map(checkpoint.trust),
      deletedRecordIds: new Set(checkpoint.deletedRecordIds),
    },
  };
}

function writeCheckpoint(session: VaultSession, anchor: AuditChainAnchor, state: AuditDigest): void {
  const ciphertext = sealField(session.key('auditKey'), JSON.stringify(toCheckpoint(anchor, state)), digestContext(session, anchor.seq));
  session.db.prepare(
    'INSERT INTO audit_digest (singleton, through_seq, digest_ciphertext) VALUES (1, ?, ?) ON CONFLICT (singleton) DO UPDATE SET through_seq = excluded.through_seq, digest_ciphertext = excluded.digest_ciphertext',
  ).run(anchor.seq, ciphertext);
}

/**
 * The digest of the whole log: the last checkpoint (this session's, else the sealed one) plus the
 * entries after it, each verified as `verifyAuditChain` would (link, hash, signature, decryption).
 * With `save`, and when those entries verify cleanly, the sealed checkpoint moves to the head (only
 * callers that write anyway save: a refused merge must leave the vault byte for byte as it was).
 * Entries that do not verify are still folded if they decrypt, as before checkpoints existed, but no
 * checkpoint moves past them; `tvault verify` reports them.
 */
export function readAuditDigest(session: VaultSession, options: { save: boolean }): AuditDigest {
  const inMemory = rememberedDigest(session);
  let start: DigestAt;
  if (inMemory && anchorHolds(session, inMemory.anchor)) start = inMemory;
  else {
    const stored = readCheckpoint(session);
    if (stored !== null && 'problem' in stored) session.platform.logger.warn('audit.digest.unusable');
    start = stored !== null && !('problem' in stored) ? stored : { anchor: AUDIT_CHAIN_START, state: emptyDigestState() };
  }
  const walk = walkAuditChain(session, start.anchor);
  const state = foldAuditEntries(copyDigestState(start.state), walk.entries);
  if (walk.problems.length > 0 || walk.head.seq === 0) return state;
  rememberDigest(session, { anchor: walk.head, state });
  const storedSeq = session.db.prepare('SELECT through_seq FROM audit_digest WHERE singleton = 1').pluck().get() as unknown;
  if (options.save && storedSeq !== walk.head.seq) writeCheckpoint(session, walk.head, state);
  return state;
}

/** For `tvault verify`: the checkpoint, if any, must open and agree with the verified entries up to it. */
export function checkAuditDigest(session: VaultSession, verifiedEntries: readonly AuditEntry[]): string[] {
  const stored = readCheckpoint(session);
  if (stored === null) return [];
  if ('problem' in stored) return [stored.problem];
  const expected = digestOfEntries(verifiedEntries.filter((entry) => entry.seq <= stored.anchor.seq));
  const same = JSON.stringify(toCheckpoint(stored.anchor, expected)) === JSON.stringify(toCheckpoint(stored.anchor, stored.state));
  return same ? [] : ['the checkpoint does not match the signed entries it summarises'];
}
