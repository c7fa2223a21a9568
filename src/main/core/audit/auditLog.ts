import { createHash } from 'node:crypto';
import { openField, sealField, signDetached, verifyDetached } from '../crypto/index.js';
import { VaultError, isVaultError } from '../errors.js';
import { readVerifiedHeader, writeHeader } from '../vault/header.js';
import type { VaultSession } from '../vault/VaultSession.js';
import { AUDIT_CHAIN_START, noteAppendedEntry, type AuditChainAnchor } from './auditDigestState.js';
import { AuditEntrySchema, type AuditEntry, type NewAuditEntry } from './auditEntry.js';

type AuditRow = { seq: number; entry_ciphertext: Uint8Array; prev_hash: Uint8Array; entry_hash: Uint8Array; signature: Uint8Array };

const AUDIT_RECORD_ID = 'audit-log';

function entryContext(session: VaultSession, seq: number) {
  return { vaultId: session.vaultId, recordId: AUDIT_RECORD_ID, field: 'audit.entry', recordVersion: seq };
}

/** Chain hash: binds the vault, the position, the previous link and the exact ciphertext. */
export function chainHash(vaultId: string, seq: number, prevHash: Uint8Array, entryCiphertext: Uint8Array): Uint8Array {
  const hash = createHash('sha256');
  hash.update(`tvault-audit\0${vaultId}\0${seq}\0`);
  hash.update(prevHash);
  hash.update(entryCiphertext);
  return new Uint8Array(hash.digest());
}

/**
 * Appends one signed, encrypted entry and moves the authenticated head in the header.
 * Runs inside the caller's transaction so the entry commits with the change it describes.
 */
export function appendAuditEntry(session: VaultSession, newEntry: NewAuditEntry): AuditEntry {
  const db = session.db;
  return db.transaction(() => {
    const header = readVerifiedHeader(db, session.key('headerMacKey'));
    const seq = header.auditHeadSeq + 1;
    const entry: AuditEntry = AuditEntrySchema.parse({ seq, at: session.platform.now().toISOString(), ...newEntry });
    const entryCiphertext = sealField(session.key('auditKey'), JSON.stringify(entry), entryContext(session, seq));
    const entryHash = chainHash(session.vaultId, seq, header.auditHeadHash, entryCiphertext);
    const signature = signDetached(session.key('signingSecretKey'), entryHash);
    db.prepare('INSERT INTO audit_log (seq, entry_ciphertext, prev_hash, entry_hash, signature) VALUES (?, ?, ?, ?, ?)').run(
      seq, entryCiphertext, header.auditHeadHash, entryHash, signature,
    );
    writeHeader(db, { ...header, auditHeadSeq: seq, auditHeadHash: entryHash }, session.key('headerMacKey'));
    noteAppendedEntry(session, entry, { seq: header.auditHeadSeq, hash: header.auditHeadHash }, { seq, hash: entryHash });
    return entry;
  })();
}

export type AuditProblem = { seq: number; problem: string };
export type AuditChainReport = { entries: AuditEntry[]; problems: AuditProblem[] };


/**
 * Walks the chain after `from`: order, links, hashes, signatures, decryption, and the head in the
 * header. `head` is the last entry's hash as recomputed (where a later walk can start).
 */
export function walkAuditChain(session: VaultSession, from: AuditChainAnchor): AuditChainReport & { head: AuditChainAnchor } {
  const rows = session.db.prepare('SELECT * FROM audit_log WHERE seq > ? ORDER BY seq').all(from.seq) as AuditRow[];
  const entries: AuditEntry[] = [];
  const problems: AuditProblem[] = [];
  let expectedPrev: Uint8Array = from.hash;
  let expectedSeq = from.seq + 1;
  for (const row of rows) {
    // A changed byte can turn a column into another SQLite type: report the entry, never crash on it.
    if (![row.entry_ciphertext, row.prev_hash, row.entry_hash, row.signature].every((bytes) => bytes instanceof Uint8Array)) {
      problems.push({ seq: row.seq, problem: 'entry is malformed (a column has the wrong type)' });
      expectedSeq = row.seq + 1;
      continue;
    }
    if (row.seq !== expectedSeq) problems.push({ seq: row.seq, problem: `expected entry ${expectedSeq} (entries missing or reordered)` });
    if (Buffer.compare(row.prev_hash, expectedPrev) !== 0) problems.push({ seq: row.seq, problem: 'does not link to the previous entry' });
    const recomputed = chainHash(session.vaultId, row.seq, row.prev_hash, row.entry_ciphertext);
    if (Buffer.compare(recomputed, row.entry_hash) !== 0) problems.push({ seq: row.seq, problem: 'entry hash does not match its content' });
    if (!verifyDetached(session.signingPublicKey, row.entry_hash, row.signature)) problems.push({ seq: row.seq, problem: 'signature is invalid' });
    try {
      const plaintext = openField(session.key('auditKey'), row.entry_ciphertext, entryContext(session, row.seq));
      const parsed = AuditEntrySchema.safeParse(JSON.parse(new TextDecoder().decode(plaintext)));
      if (!parsed.success || parsed.data.seq !== row.seq) problems.push({ seq: row.seq, problem: 'entry content is malformed' });
      else entries.push(parsed.data);
    } catch (error) {
      if (!isVaultError(error)) throw error;
      problems.push({ seq: row.seq, problem: 'entry failed decryption' });
    }
    expectedPrev = recomputed;
    expectedSeq = row.seq + 1;
  }
  const lastRow = rows.at(-1);
  try {
    const header = readVerifiedHeader(session.db, session.key('headerMacKey'));
    const lastSeq = lastRow?.seq ?? from.seq;
    if (header.auditHeadSeq !== lastSeq) problems.push({ seq: lastSeq, problem: `the header says the log ends at entry ${header.auditHeadSeq} (entries were removed or added)` });
    else if (lastRow && Buffer.compare(header.auditHeadHash, lastRow.entry_hash) !== 0) {
      problems.push({ seq: lastSeq, problem: 'the last entry is not the one the header recorded' });
    } else if (!lastRow && from.seq > 0 && Buffer.compare(header.auditHeadHash, from.hash) !== 0) {
      problems.push({ seq: lastSeq, problem: 'the last entry is not the one the header recorded' });
    }
  } catch (error) {
    if (!(error instanceof VaultError)) throw error;
    problems.push({ seq: 0, problem: error.message });
  }
  return { entries, problems, head: { seq: expectedSeq - 1, hash: expectedPrev } };
}

/** Walks the whole chain (`tvault verify`, the audit screen). */
export function verifyAuditChain(session: VaultSession): AuditChainReport {
  const { entries, problems } = walkAuditChain(session, AUDIT_CHAIN_START);
  return { entries, problems };
}
