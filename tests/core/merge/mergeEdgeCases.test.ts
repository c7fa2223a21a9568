import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exporterPublicKey } from '../../../src/main/core/export/exporterPublicKey.js';
import { exportTransferBundle } from '../../../src/main/core/export/exportTransferBundle.js';
import { addTrustedSender } from '../../../src/main/core/merge/trustedSenders.js';
import { listRecordBranches } from '../../../src/main/core/records/recordBranches.js';
import { createTestVault, errorCodeOf, sampleTestimony, type VaultFixture } from '../coreFixtures.js';
import { lawyerKey, type LawyerKey } from '../export/exportFixtures.js';
import { personHistory, randomFile, sha256File, sha256Of, transferTo } from './mergeFixtures.js';

describe('merge: persons edited apart, shared bytes, deletions, consent, vocabulary, subsets', () => {
  let field: VaultFixture;
  let archive: VaultFixture;
  let work: string;
  let archiveKey: LawyerKey;
  let fieldKey: LawyerKey;
  let bundleCount = 0;
  const A = () => field.service;
  const B = () => archive.service;
  const send = async (options: { testimonyIds?: string[] } = {}) => {
    const outDir = path.join(work, `bundle-${(bundleCount += 1)}`);
    const report = await transferTo(A(), { recipients: [archiveKey.recipient], outDir, ...options });
    return { outDir, report };
  };
  const merge = (bundle: string) => B().mergeTransferBundle(bundle, { identityText: archiveKey.identityText });

  beforeAll(async () => {
    [field, archive] = await Promise.all([createTestVault(), createTestVault()]);
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'tv-merge-edges-'));
    archiveKey = lawyerKey(work, 'archive.txt');
    fieldKey = lawyerKey(work, 'field.txt');
    addTrustedSender(B().sessionForCore, exporterPublicKey(A().sessionForCore).publicKey, 'field');
  });
  afterAll(() => {
    field.cleanup();
    archive.cleanup();
    fs.rmSync(work, { recursive: true, force: true });
  });

  it('keeps a person edited in both vaults as a conflict copy beside the archive\'s, and the testimony as it is', async () => {
    const { testimonyId, intervieweeId } = A().addTestimony(sampleTestimony());
    const personId = intervieweeId ?? '';
    await merge((await send({ testimonyIds: [testimonyId] })).outDir);
    A().updatePerson(personId, { name: 'Samir Y. Qassem', aliases: ['Sameer Yusuf Kassem'] });
    B().updatePerson(personId, { name: 'Samir Youssef Qassem', aliases: ['سمير يوسف قاسم', 'Abu Samir'] });
    const report = await merge((await send({ testimonyIds: [testimonyId] })).outDir);
    expect(report.persons).toMatchObject({ conflictCopies: 1, alreadyPresent: 2 });
    expect(report.testimonies).toMatchObject({ alreadyPresent: 1, conflictCopies: 0 });
    const copy = report.conflicts.find((conflict) => conflict.kind === 'person');
    expect(copy).toMatchObject({ recordId: personId, incomingId: personId });
    expect(B().getPerson(personId).aliases).toContain('Abu Samir');
    expect(personHistory(B(), copy?.conflictCopyId ?? '')).toEqual(personHistory(A(), personId));
    expect(listRecordBranches(B().sessionForCore, personId).map((branch) => branch.recordId)).toEqual([copy?.conflictCopyId]);
    expect((await B().verify()).problems).toEqual([]);
    // A copy re-parented by hand (the link in the clear no longer the sealed one) is caught by verify.
    const relink = (to: string) => B().sessionForCore.db.prepare('UPDATE record_branches SET branch_of = ? WHERE record_id = ?').run(to, copy?.conflictCopyId);
    relink('0'.repeat(32));
    expect((await B().verify()).problems.map((problem) => problem.where)).toEqual([`conflict copy ${copy?.conflictCopyId}`]);
    relink(personId);
    expect((await B().verify()).problems).toEqual([]);
  });

  it('stores bytes the archive already holds once, and streams a large original through unchanged', async () => {
    const shared = randomFile(work, 'shared.jpg', 200_000);
    const large = randomFile(work, 'interview.m4a', 2_500_001);
    const local = B().addTestimony({ reference: 'ARCHIVE-1', title: 'Archive copy of a photo', language: 'en' }).testimonyId;
    await B().addMedia(local, shared, { custodian: 'archive desk' });
    const blobsBefore = fs.readdirSync(path.join(B().dir, 'blobs')).length;
    const { testimonyId } = A().addTestimony({ reference: 'FIELD-9', title: 'Photo and recording', language: 'en' });
    const photo = await A().addMedia(testimonyId, shared, { custodian: 'field' });
    const recording = await A().addMedia(testimonyId, large, { custodian: 'field' });
    const report = await merge((await send({ testimonyIds: [testimonyId] })).outDir);
    expect(report.media).toMatchObject({ added: 2, bytesDeduplicated: 1 });
    expect(fs.readdirSync(path.join(B().dir, 'blobs'))).toHaveLength(blobsBefore + 1);
    // Two records (two intakes, two custody chains), one copy of the bytes.
    expect(B().getMedia(photo.id)).toMatchObject({ sha256: sha256File(shared), custodian: 'field', testimonyId });
    expect(sha256Of((await B().readMediaBytes(recording.id, 3_000_000)).bytes)).toBe(sha256File(large));
    expect((await B().verify()).problems).toEqual([]);
  });

  it('does not bring back what the archive deleted, and says so', async () => {
    const { testimonyId } = A().addTestimony({ reference: 'FIELD-10', title: 'To be deleted at the archive', language: 'en' });
    await A().addMedia(testimonyId, randomFile(work, 'x.pdf', 1000), { custodian: 'field' });
    await merge((await send({ testimonyIds: [testimonyId] })).outDir);
    B().deleteTestimony(testimonyId);
    A().updateTestimony(testimonyId, { summary: 'edited after' });
    const report = await merge((await send({ testimonyIds: [testimonyId] })).outDir);
    expect(report.testimonies).toMatchObject({ skippedDeleted: 1, added: 0 });
    expect(report.media).toMatchObject({ skippedDeleted: 1, added: 0 });
    expect(report.skipped.map((item) => item.kind)).toEqual(['testimony', 'media']);
    expect(B().listTestimonies().map((item) => item.id)).not.toContain(testimonyId);
    expect((await B().verify()).problems).toEqual([]);
  });

  it('carries withdrawn consent as recorded (a transfer does not check consent) and the audit log counts it', async () => {
    const input = { ...sampleTestimony(), consent: { scopes: [], anonymity: true, mediaUse: false, withdrawn: true } };
    const { testimonyId } = A().addTestimony(input);
    const { outDir, report } = await send({ testimonyIds: [testimonyId] });
    expect(report.withdrawnConsent).toBe(1);
    expect(A().auditLog().entries.at(-1)).toMatchObject({ action: 'export', details: { profile: 'transfer', withdrawnConsent: 1, testimonyIds: testimonyId } });
    await merge(outDir);
    expect(B().getTestimony(testimonyId).consent).toEqual(A().getTestimony(testimonyId).consent);
  });

  it('matches vocabulary by label and adds the labels the archive lacked as aliases', async () => {
    A().addVocabularyTerm({ scheme: 'facility', labelEn: 'Branch 291', labelAr: 'فرع 291', aliases: ['Kafr Sousa branch'] });
    B().addVocabularyTerm({ scheme: 'facility', labelEn: 'branch  291' });
    const { testimonyId } = A().addTestimony({ reference: 'FIELD-11', title: 'Held in Branch 291', language: 'en', facilities: ['Branch 291'] });
    const report = await merge((await send({ testimonyIds: [testimonyId] })).outDir);
    expect(report.vocabulary).toMatchObject({ added: 0, labelsAdded: 2 });
    const term = B().listVocabulary('facility').find((item) => item.labelEn === 'branch  291');
    expect(term?.aliases).toEqual(['فرع 291', 'Kafr Sousa branch']);
    expect(B().getTestimony(testimonyId).facilities.map((facility) => facility.id)).toEqual([term?.id]);
    // The same bundle again: the labels are there now, so nothing changes.
    expect((await merge(path.join(work, `bundle-${bundleCount}`))).nothingNew).toBe(true);
  });

  it('does not finish a merge when the vault changed while the bundle was read, and removes the blobs it wrote', async () => {
    const { testimonyId } = A().addTestimony({ reference: 'FIELD-12', title: 'Raced', language: 'en' });
    await A().addMedia(testimonyId, randomFile(work, 'raced.bin', 150_000), { custodian: 'field' });
    const { outDir } = await send({ testimonyIds: [testimonyId] });
    const blobs = () => fs.readdirSync(path.join(B().dir, 'blobs')).sort();
    const before = blobs();
    let deleted = false;
    const code = await errorCodeOf(() => B().mergeTransferBundle(outDir, {
      identityText: archiveKey.identityText,
      onProgress: (progress) => {
        // Another window deletes something while the media are being received.
        if (progress.phase !== 'receiving media' || deleted) return;
        deleted = true;
        B().deleteTestimony(B().listTestimonies()[0]?.id ?? '');
      },
    }));
    expect(deleted).toBe(true);
    expect(code).toBe('VAULT_CHANGED');
    expect(blobs().filter((name) => !before.includes(name))).toEqual([]);
    expect(B().listTestimonies().map((item) => item.id)).not.toContain(testimonyId);
    expect((await merge(outDir)).testimonies.added).toBe(1);
    expect((await B().verify()).problems).toEqual([]);
  });

  it('refuses transfer options that would not reach only the archive, and leaves no folder behind', async () => {
    const outDir = path.join(work, 'refused');
    const base = { appVersion: '0.1.0-test', outDir };
    const session = A().sessionForCore;
    expect(await errorCodeOf(() => exportTransferBundle(session, { ...base, recipients: [] }))).toBe('INVALID_OPTIONS');
    expect(await errorCodeOf(() => exportTransferBundle(session, { ...base, recipients: [archiveKey.recipient], passphrase: 'x' } as never))).toBe('INVALID_OPTIONS');
    expect(await errorCodeOf(() => exportTransferBundle(session, { ...base, recipients: ['age1notakey'] }))).toBe('INVALID_OPTIONS');
    expect(await errorCodeOf(() => exportTransferBundle(session, { ...base, recipients: [archiveKey.recipient], testimonyIds: ['0'.repeat(32)] }))).toBe('INVALID_OPTIONS');
    expect(fs.existsSync(outDir)).toBe(false);
    fs.mkdirSync(outDir);
    fs.writeFileSync(path.join(outDir, 'other.txt'), 'x');
    expect(await errorCodeOf(() => exportTransferBundle(session, { ...base, recipients: [archiveKey.recipient] }))).toBe('OUT_DIR_NOT_EMPTY');
    expect(fs.readdirSync(outDir)).toEqual(['other.txt']);
  });

  it('merges a vault\'s own transfer as trusted and adds no record', async () => {
    const outDir = path.join(work, 'own');
    await transferTo(A(), { recipients: [fieldKey.recipient], outDir });
    const report = await A().mergeTransferBundle(outDir, { identityText: fieldKey.identityText });
    expect(report.sender.trust).toBe('this-vault');
    for (const counts of [report.testimonies, report.persons]) expect(counts).toMatchObject({ added: 0, extended: 0, conflictCopies: 0 });
    expect(report.vocabulary).toMatchObject({ added: 0, labelsAdded: 0 });
    // Only the custody logs change: they now say this vault sent and received its own bundle.
    expect(report.media).toMatchObject({ added: 0, alreadyPresent: report.media.custodyExtended });
    expect((await A().verify()).problems).toEqual([]);
  });
});
