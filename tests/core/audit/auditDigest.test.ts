import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readAuditDigest } from '../../../src/main/core/audit/auditDigest.js';
import { appendAuditEntry, verifyAuditChain } from '../../../src/main/core/audit/auditLog.js';
import { ensureSodium, formatMinisignPublicKeyFile, generateSigningKeyPair, minisignKeyOf, minisignPublicKeyBase64 } from '../../../src/main/core/crypto/index.js';
import { allocateControlNumbers } from '../../../src/main/core/export/controlNumbers.js';
import { addTrustedSender, listTrustedSenders, removeTrustedSender } from '../../../src/main/core/merge/trustedSenders.js';
import { verifyVault } from '../../../src/main/core/verifyVault.js';
import type { VaultSession } from '../../../src/main/core/vault/VaultSession.js';
import { createTestVault, reopen, sampleTestimony, type VaultFixture } from '../coreFixtures.js';

type DigestRow = { through_seq: number; digest_ciphertext: Buffer };

/** What exportBundle does around its control numbers: reserve, then log the last one in a signed entry. */
function exportLike(session: VaultSession, count: number): number[] {
  const { values } = allocateControlNumbers(session, count);
  appendAuditEntry(session, { action: 'export', details: { items: count, lastControlValue: values.at(-1) ?? 0 } });
  return values;
}

function senderKeyText(): { fileText: string; publicKey: string } {
  const key = minisignKeyOf(generateSigningKeyPair().publicKey);
  return { fileText: formatMinisignPublicKeyFile(key), publicKey: minisignPublicKeyBase64(key) };
}

describe('the audit digest: control numbers, trust and deletions without re-verifying the whole log', () => {
  let vault: VaultFixture;
  const session = () => vault.service.sessionForCore;
  const digestRow = () => session().db.prepare('SELECT * FROM audit_digest').get() as DigestRow | undefined;
  const auditRowCount = () => session().db.prepare('SELECT count(*) FROM audit_log').pluck().get() as number;
  const verifyProblems = async () => (await verifyVault(session())).problems.filter((p) => p.where === 'audit digest').map((p) => p.problem);

  beforeEach(async () => {
    await ensureSodium();
    vault = await createTestVault();
  });
  afterEach(() => vault.cleanup());

  it('seals a checkpoint at the head when numbers are issued, and verify agrees with it', async () => {
    expect(digestRow()).toBeUndefined();
    expect(exportLike(session(), 3)).toEqual([1, 2, 3]);
    // The checkpoint was taken when the numbers were reserved, before the export entry.
    expect(digestRow()?.through_seq).toBe(auditRowCount() - 1);
    expect(exportLike(session(), 2)).toEqual([4, 5]);
    expect(digestRow()?.through_seq).toBe(auditRowCount() - 1);
    expect(await verifyProblems()).toEqual([]);
    expect((await verifyVault(session())).ok).toBe(true);
  });

  it('still never reissues a number when the counter is reset, in a new session, from the sealed checkpoint', async () => {
    exportLike(session(), 4);
    exportLike(session(), 1);
    vault.service.lock();
    vault.service = await reopen(vault.dir);
    session().db.prepare('UPDATE control_numbers SET last_issued = 0').run();
    expect(exportLike(session(), 1)).toEqual([6]);
  });

  it('is not fooled by an older checkpoint put back: the walk from it re-reads every later export', async () => {
    exportLike(session(), 2);
    exportLike(session(), 1);
    const older = digestRow() as DigestRow;
    exportLike(session(), 5);
    exportLike(session(), 1);
    vault.service.lock();
    vault.service = await reopen(vault.dir);
    session().db.prepare('UPDATE audit_digest SET through_seq = ?, digest_ciphertext = ?').run(older.through_seq, older.digest_ciphertext);
    session().db.prepare('UPDATE control_numbers SET last_issued = 0').run();
    expect(exportLike(session(), 1)).toEqual([10]);
    expect(await verifyProblems()).toEqual([]);
  });

  it('reports a damaged or moved checkpoint in verify, and falls back to the whole log for the numbers', async () => {
    exportLike(session(), 3);
    exportLike(session(), 1);
    const row = digestRow() as DigestRow;
    const damaged = Buffer.from(row.digest_ciphertext);
    damaged[damaged.length - 5] = (damaged[damaged.length - 5] ?? 0) ^ 0x01;
    vault.service.lock();
    vault.service = await reopen(vault.dir);
    session().db.prepare('UPDATE audit_digest SET digest_ciphertext = ?').run(damaged);
    expect(await verifyProblems()).toEqual(['the checkpoint failed decryption']);
    session().db.prepare('UPDATE audit_digest SET digest_ciphertext = ?, through_seq = ?').run(row.digest_ciphertext, row.through_seq - 1);
    expect(await verifyProblems()).toEqual(['the checkpoint failed decryption']);
    session().db.prepare('UPDATE control_numbers SET last_issued = 0').run();
    expect(exportLike(session(), 1)).toEqual([5]);
    // The full walk was clean, so a good checkpoint replaced the bad one.
    expect(await verifyProblems()).toEqual([]);
  });

  it('does not move past an audit entry that fails verification, and verify names the entry', async () => {
    exportLike(session(), 2);
    // The export entry lies past the checkpoint. Changed in the file between sessions (within a
    // session, entries the session signed itself are not verified again).
    const seq = auditRowCount();
    vault.service.lock();
    vault.service = await reopen(vault.dir);
    const signature = Buffer.from(session().db.prepare('SELECT signature FROM audit_log WHERE seq = ?').pluck().get(seq) as Buffer);
    signature[0] = (signature[0] ?? 0) ^ 0x80;
    session().db.prepare('UPDATE audit_log SET signature = ? WHERE seq = ?').run(signature, seq);
    const before = digestRow();
    expect(before?.through_seq).toBe(seq - 1);
    // The entry still decrypts, so its number still counts (never reissued); the checkpoint stays put.
    expect(exportLike(session(), 1)).toEqual([3]);
    expect(digestRow()).toEqual(before);
    expect(verifyAuditChain(session()).problems).toContainEqual({ seq, problem: 'signature is invalid' });
  });

  it('follows trust added and removed, across a reopen', async () => {
    const key = senderKeyText();
    addTrustedSender(session(), key.fileText, 'Idlib team laptop');
    exportLike(session(), 1);
    vault.service.lock();
    vault.service = await reopen(vault.dir);
    expect(listTrustedSenders(session()).map((s) => [s.publicKey, s.confirmed])).toEqual([[key.publicKey, true]]);
    expect(readAuditDigest(session(), { save: false }).trust.get(key.publicKey)).toBe(true);
    removeTrustedSender(session(), key.publicKey);
    expect(readAuditDigest(session(), { save: false }).trust.get(key.publicKey)).toBe(false);
    expect(listTrustedSenders(session())).toEqual([]);
  });

  it('forgets what a rolled-back transaction logged, though this session had read it', () => {
    const { testimonyId } = vault.service.addTestimony(sampleTestimony());
    exportLike(session(), 1);
    const db = session().db;
    db.exec('SAVEPOINT attempt');
    vault.service.deleteTestimony(testimonyId);
    expect(readAuditDigest(session(), { save: false }).deletedRecordIds.has(testimonyId)).toBe(true);
    db.exec('ROLLBACK TO attempt; RELEASE attempt');
    vault.service.addPerson({ name: 'Another entry at the same seq' });
    expect(readAuditDigest(session(), { save: false }).deletedRecordIds.has(testimonyId)).toBe(false);
    expect(verifyAuditChain(session()).problems).toEqual([]);
  });
});
