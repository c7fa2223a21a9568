import { z } from 'zod';
import { openField, sealField } from '../crypto/index.js';
import { VaultError } from '../errors.js';
import type { VaultSession } from '../vault/VaultSession.js';

/**
 * A conflict copy: a record kept beside `branchOf` because both were edited apart (docs/MERGE.md).
 * `bundleId` and `senderKeyId` say which transfer brought it, `receivedAt` when.
 */
export type RecordBranch = { recordId: string; branchOf: string; bundleId: string; senderKeyId: string; receivedAt: string };

const InfoSchema = z.object({ branchOf: z.string(), bundleId: z.string(), senderKeyId: z.string(), receivedAt: z.string() }).strict();
type BranchRow = { record_id: string; branch_of: string; info_ciphertext: Uint8Array };

function infoContext(session: VaultSession, recordId: string) {
  return { vaultId: session.vaultId, recordId, field: 'recordBranch.info', recordVersion: 1 };
}

/** Links a copy to the record it stands beside. Inside the merge's transaction. */
export function addRecordBranch(session: VaultSession, branch: RecordBranch): void {
  const { recordId, ...info } = branch;
  session.db.prepare('INSERT INTO record_branches (record_id, branch_of, info_ciphertext) VALUES (?, ?, ?)').run(
    recordId, info.branchOf, sealField(session.key('masterKey'), JSON.stringify(info), infoContext(session, recordId)),
  );
}

function decode(session: VaultSession, row: BranchRow): RecordBranch {
  const info = InfoSchema.parse(JSON.parse(new TextDecoder().decode(openField(session.key('masterKey'), row.info_ciphertext, infoContext(session, row.record_id)))));
  // The link in the clear must be the one that was sealed: a copy cannot be re-parented by hand.
  if (info.branchOf !== row.branch_of) throw new VaultError('AUTH_FAILED', `the conflict-copy link of record ${row.record_id} was altered outside the app`);
  return { recordId: row.record_id, ...info };
}

/** Every conflict copy, or those kept beside `branchOf`; for the UI to show them side by side. */
export function listRecordBranches(session: VaultSession, branchOf?: string): RecordBranch[] {
  const rows = (branchOf === undefined
    ? session.db.prepare('SELECT * FROM record_branches ORDER BY rowid').all()
    : session.db.prepare('SELECT * FROM record_branches WHERE branch_of = ? ORDER BY rowid').all(branchOf)) as BranchRow[];
  return rows.map((row) => decode(session, row));
}

/** The record `recordId` is a conflict copy of, or null if it is not a copy. */
export function branchOfRecord(session: VaultSession, recordId: string): string | null {
  const row = session.db.prepare('SELECT * FROM record_branches WHERE record_id = ?').get(recordId) as BranchRow | undefined;
  return row ? decode(session, row).branchOf : null;
}
