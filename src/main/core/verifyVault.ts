import fs from 'node:fs';
import { checkAuditDigest } from './audit/auditDigest.js';
import { verifyAuditChain } from './audit/auditLog.js';
import { isVaultError } from './errors.js';
import { verifyMergeTables } from './merge/verifyMergeTables.js';
import { openBlobChunks } from './media/readMedia.js';
import type { MediaFields } from './media/mediaSchema.js';
import type { ProgressListener } from './platform.js';
import { readAllVersions } from './records/recordStore.js';
import { loadRedactionPlan } from './redaction/redactionPlans.js';
import { readVerifiedHeader } from './vault/header.js';
import { listKeySlots } from './vault/keySlots.js';
import { BLOB_TEMP_PREFIX } from './vault/vaultPaths.js';
import type { VaultSession } from './vault/VaultSession.js';

export type VerifyProblem = { where: string; problem: string };
export type VerifyReport = {
  ok: boolean;
  problems: VerifyProblem[];
  counts: { records: number; versions: number; blobs: number; blobBytes: number; auditEntries: number };
};

function messageOf(error: unknown): string {
  if (isVaultError(error)) return error.message;
  throw error;
}

/**
 * Decrypts every record version and every blob, checks the database, the header MAC, the audit
 * chain, and that the audit log and the records agree. Collects every problem; never stops at one.
 */
export async function verifyVault(session: VaultSession, onProgress?: ProgressListener): Promise<VerifyReport> {
  const problems: VerifyProblem[] = [];
  const db = session.db;
  const counts = { records: 0, versions: 0, blobs: 0, blobBytes: 0, auditEntries: 0 };

  const integrity = db.pragma('integrity_check') as { integrity_check: string }[];
  for (const row of integrity) if (row.integrity_check !== 'ok') problems.push({ where: 'vault.db', problem: `integrity_check: ${row.integrity_check}` });
  const foreignKeys = db.pragma('foreign_key_check') as { table: string; rowid: number }[];
  for (const row of foreignKeys) problems.push({ where: `vault.db ${row.table}`, problem: `row ${row.rowid} refers to a missing row` });
  try {
    readVerifiedHeader(db, session.key('headerMacKey'));
  } catch (error) {
    problems.push({ where: 'header', problem: messageOf(error) });
  }
  // Key slot labels and redaction plans are sealed outside the header MAC and the records: open each one.
  try {
    listKeySlots(session);
  } catch (error) {
    problems.push({ where: 'key slots', problem: messageOf(error) });
  }
  for (const { testimony_id: testimonyId } of db.prepare('SELECT testimony_id FROM redaction_plans').all() as { testimony_id: string }[]) {
    try {
      loadRedactionPlan(session, testimonyId);
    } catch (error) {
      problems.push({ where: `redaction plan of ${testimonyId}`, problem: messageOf(error) });
    }
  }

  const records = db.prepare('SELECT record_id, kind, head_version FROM records ORDER BY rowid').all() as { record_id: string; kind: string; head_version: number }[];
  const mediaByBlob = new Map<string, { mediaId: string; fields: MediaFields }[]>();
  const linkedBlob = new Map((db.prepare('SELECT record_id, blob_id FROM record_blobs').all() as { record_id: string; blob_id: string }[]).map((r) => [r.record_id, r.blob_id]));
  const liveVersions = new Map<string, number>();
  for (const [index, record] of records.entries()) {
    counts.records += 1;
    liveVersions.set(record.record_id, record.head_version);
    try {
      const versions = readAllVersions(session, record.record_id);
      counts.versions += versions.length;
      if (record.kind === 'media') {
        const fields = versions.at(-1)?.fields as MediaFields;
        if (linkedBlob.get(record.record_id) !== fields.blobId) problems.push({ where: `media ${record.record_id}`, problem: 'is not linked to the blob its metadata names' });
        const users = mediaByBlob.get(fields.blobId) ?? [];
        users.push({ mediaId: record.record_id, fields });
        mediaByBlob.set(fields.blobId, users);
      }
    } catch (error) {
      problems.push({ where: `${record.kind} ${record.record_id}`, problem: messageOf(error) });
    }
    onProgress?.({ done: index + 1, total: records.length, phase: 'records' });
  }

  const blobs = db.prepare('SELECT blob_id FROM blobs').all() as { blob_id: string }[];
  for (const [index, { blob_id: blobId }] of blobs.entries()) {
    counts.blobs += 1;
    const users = mediaByBlob.get(blobId) ?? [];
    if (users.length === 0) problems.push({ where: `blob ${blobId}`, problem: 'no media record uses it' });
    let digest = '';
    try {
      for await (const chunk of openBlobChunks(session, blobId, { onSha256: (sha256) => (digest = sha256) })) counts.blobBytes += chunk.length;
      for (const user of users) {
        if (user.fields.sha256 !== digest) problems.push({ where: `media ${user.mediaId}`, problem: 'content does not match the SHA-256 taken at intake' });
      }
    } catch (error) {
      problems.push({ where: `blob ${blobId}`, problem: messageOf(error) });
    }
    onProgress?.({ done: index + 1, total: blobs.length, phase: 'blobs' });
  }
  const knownBlobs = new Set(blobs.map((b) => b.blob_id));
  if (fs.existsSync(session.paths.blobDir)) {
    for (const name of fs.readdirSync(session.paths.blobDir)) {
      if (!knownBlobs.has(name)) problems.push({ where: `blobs/${name}`, problem: name.startsWith(BLOB_TEMP_PREFIX) ? 'unfinished intake left behind' : 'file is not part of the vault' });
    }
  }

  const audit = verifyAuditChain(session);
  counts.auditEntries = audit.entries.length;
  for (const problem of audit.problems) problems.push({ where: `audit entry ${problem.seq}`, problem: problem.problem });
  problems.push(...verifyMergeTables(session, audit.entries));
  for (const problem of checkAuditDigest(session, audit.entries)) problems.push({ where: 'audit digest', problem });
  // Every record the signed log says exists (and was not deleted later) must still be there.
  const expected = new Map<string, number>();
  for (const entry of audit.entries) {
    if (!entry.recordId) continue;
    if (entry.action.endsWith('.delete')) expected.delete(entry.recordId);
    else if (entry.version !== undefined) expected.set(entry.recordId, Math.max(entry.version, expected.get(entry.recordId) ?? 0));
  }
  for (const [recordId, version] of expected) {
    const live = liveVersions.get(recordId);
    if (live === undefined) problems.push({ where: `record ${recordId}`, problem: 'the audit log records it, but it is missing (deleted outside the app)' });
    else if (live < version) problems.push({ where: `record ${recordId}`, problem: `the audit log records version ${version}, but only ${live} remain (rolled back)` });
  }
  return { ok: problems.length === 0, problems, counts };
}
