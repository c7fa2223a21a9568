import type { AuditEntry } from '../audit/auditEntry.js';
import { isVaultError } from '../errors.js';
import { branchOfRecord } from '../records/recordBranches.js';
import type { VaultSession } from '../vault/VaultSession.js';
import { listTrustedSenders } from './trustedSenders.js';

/**
 * For `verify`: every trusted sender must open under this vault's key and be confirmed by the signed
 * audit log (a row added by hand, or put back after a removal, is not), and every conflict-copy
 * link must open and name the record it was sealed for. Such rows are never used; this says so.
 */
export function verifyMergeTables(session: VaultSession, auditEntries: readonly AuditEntry[]): { where: string; problem: string }[] {
  const problems: { where: string; problem: string }[] = [];
  const rows = session.db.prepare('SELECT sender_id FROM trusted_senders ORDER BY rowid').all() as { sender_id: string }[];
  const senders = listTrustedSenders(session, auditEntries);
  const readable = new Set(senders.map((sender) => sender.senderId));
  for (const row of rows) {
    if (!readable.has(row.sender_id)) problems.push({ where: `trusted sender ${row.sender_id}`, problem: 'was not written by this vault (it is ignored)' });
  }
  for (const sender of senders) {
    if (!sender.confirmed) problems.push({ where: `trusted sender ${sender.keyId}`, problem: 'is not in the signed audit log as trusted (put back or added outside the app; it is ignored)' });
  }
  const branchRows = session.db.prepare('SELECT record_id FROM record_branches ORDER BY rowid').all() as { record_id: string }[];
  for (const row of branchRows) {
    try {
      branchOfRecord(session, row.record_id);
    } catch (error) {
      if (!isVaultError(error)) throw error;
      problems.push({ where: `conflict copy ${row.record_id}`, problem: error.message });
    }
  }
  return problems;
}
