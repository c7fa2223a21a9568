import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exporterPublicKey } from '../../../src/main/core/export/exporterPublicKey.js';
import { openBundle } from '../../../src/main/core/export/openBundle.js';
import { verifyBundle } from '../../../src/main/core/export/verifyBundle.js';
import type { CustodyEvent } from '../../../src/main/core/media/custodyLog.js';
import { addTrustedSender, listTrustedSenders } from '../../../src/main/core/merge/trustedSenders.js';
import { listRecordBranches } from '../../../src/main/core/records/recordBranches.js';
import { listRecordIds, readAllVersions } from '../../../src/main/core/records/recordStore.js';
import type { VaultService } from '../../../src/main/core/VaultService.js';
import { randomArabicCanary, randomCanary } from '../../helpers/randomCanary.js';
import { scanForCanary } from '../../helpers/scanForCanary.js';
import { createTestVault, errorCodeOf, sampleTestimony, type VaultFixture } from '../coreFixtures.js';
import { PHOTO_WITH_GPS, lawyerKey, run, shell, type LawyerKey } from '../export/exportFixtures.js';
import { personHistory, portableHistory, randomFile, sha256File, sha256Of, transferTo, vaultSnapshot } from './mergeFixtures.js';

const events = (log: readonly CustodyEvent[] | undefined) => (log ?? []).map((event) => `${event.event}${'bundleId' in event ? ` ${event.bundleId}` : ''}${event.event === 'transfer.received' ? ` @${event.vaultKeyId}` : ''}`);

describe('transfer and merge between two vaults: A → B → A', () => {
  let fieldVault: VaultFixture;
  let archiveVault: VaultFixture;
  let work: string;
  let archiveKey: LawyerKey;
  let fieldKey: LawyerKey;
  const canaries = [randomCanary(), randomArabicCanary(), randomCanary()];
  let testimonyId: string;
  let secondId: string;
  let personIds: string[];
  const originals: { file: string; sha256: string; mediaId: string; testimonyId: string }[] = [];
  let firstBundle: string;
  let firstBundleId: string;
  let secondBundleId: string;
  const A = () => fieldVault.service;
  const B = () => archiveVault.service;
  const keyIdOf = (service: VaultService) => exporterPublicKey(service.sessionForCore).keyId;

  beforeAll(async () => {
    [fieldVault, archiveVault] = await Promise.all([createTestVault(), createTestVault()]);
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'tv-transfer-'));
    archiveKey = lawyerKey(work, 'archive-key.txt');
    fieldKey = lawyerKey(work, 'field-key.txt');
    const sample = sampleTestimony();
    sample.transcript = `${String(sample.transcript)} The guard said ${canaries[0]}.`;
    const added = A().addTestimony(sample);
    testimonyId = added.testimonyId;
    personIds = [added.intervieweeId ?? '', ...added.personIds];
    A().updateTestimony(testimonyId, { title: 'Arrest at a Homs checkpoint (reviewed)', violations: ['torture', 'falaqa'] });
    A().updatePerson(added.personIds[0] ?? '', { name: 'Nour Hamdan', aliases: ['نور حمدان', canaries[1]] });
    secondId = A().addTestimony({ reference: 'FIELD-2', title: 'Second account', language: 'ar', transcript: `شهادة ${canaries[2]}`, facilities: ['فرع جديد 291'] }).testimonyId;
    const inputs = [
      { source: PHOTO_WITH_GPS, testimony: testimonyId },
      { source: randomFile(work, 'recording.m4a', 300_001), testimony: testimonyId },
      { source: randomFile(work, 'exact-chunks.pdf', 128 * 1024), testimony: secondId },
      { source: randomFile(work, 'empty.txt', 0), testimony: secondId },
    ];
    for (const input of inputs) {
      const media = await A().addMedia(input.testimony, input.source, { custodian: 'Field team, Idlib' });
      originals.push({ file: input.source, sha256: sha256File(input.source), mediaId: media.id, testimonyId: input.testimony });
    }
  });
  afterAll(() => {
    fieldVault.cleanup();
    archiveVault.cleanup();
    fs.rmSync(work, { recursive: true, force: true });
  });

  it('exports a full transfer bundle that sha256sum, minisign and age check, which bundle open refuses to unpack', async () => {
    firstBundle = path.join(work, 'bundle-1');
    const report = await transferTo(A(), { recipients: [archiveKey.recipient], outDir: firstBundle });
    firstBundleId = report.bundleId;
    expect(report.counts).toEqual({ testimonies: 2, persons: 3, vocabularyTerms: 8, recordVersions: 2 + 1 + 3 + 1 + 8, conflictCopies: 0, media: 4, mediaBytes: fs.statSync(PHOTO_WITH_GPS).size + 300_001 + 128 * 1024 });
    const pub = path.join(firstBundle, 'sender.pub');
    fs.writeFileSync(pub, exporterPublicKey(A().sessionForCore).fileText);
    expect(run('sha256sum', ['-c', 'SHA256SUMS'], { cwd: firstBundle })).toMatch(/payload\.age: OK/);
    expect(run('minisign', ['-Vm', 'manifest.json', '-p', 'sender.pub'], { cwd: firstBundle })).toContain(`tvault-bundle ${report.bundleId} payload.age sha256=${report.payload.sha256}`);
    fs.rmSync(pub);
    // Listed, never unpacked: the payload is unredacted.
    const listing = shell(`age -d -i ${JSON.stringify(archiveKey.keyPath)} payload.age | tar -t`, firstBundle).trim().split('\n');
    expect(listing).toContain('records/testimony-000001-v0002.json');
    expect(listing).toContain('records/person-000002-v0002.json');
    expect(listing.filter((name) => /^media\/\d{6}\.bin$/.test(name))).toHaveLength(4);
    expect(listing.filter((name) => /^custody\/\d{6}\.json$/.test(name))).toHaveLength(4);
    expect(listing.slice(-4)).toEqual(['CUSTODY.csv', 'manifest.json', 'manifest.json.minisig', 'SHA256SUMS']);
    expect(await verifyBundle(firstBundle, { expectedSigner: exporterPublicKey(A().sessionForCore).fileText })).toMatchObject({ ok: true, profile: 'transfer', items: [] });
    const out = path.join(work, 'must-not-exist');
    expect(await errorCodeOf(() => openBundle({ bundleDir: firstBundle, outDir: out, identityText: archiveKey.identityText }))).toBe('WRONG_PROFILE');
    expect(fs.existsSync(out)).toBe(false);
    const audit = A().auditLog().entries.filter((entry) => entry.action === 'export').at(-1);
    expect(audit).toMatchObject({ recordId: report.bundleId, details: { profile: 'transfer', consentChecks: expect.stringContaining('not applied'), withdrawnConsent: 0, media: 4 } });
  });

  it('refuses the bundle while the sender is not trusted, writing nothing', async () => {
    const before = vaultSnapshot(B().dir);
    expect(await errorCodeOf(() => B().mergeTransferBundle(firstBundle, { identityText: archiveKey.identityText }))).toBe('UNTRUSTED_SENDER');
    expect(vaultSnapshot(B().dir)).toEqual(before);
    expect(listTrustedSenders(B().sessionForCore)).toEqual([]);
  });

  it('merges with trust: every version, person, term and media byte, the intake facts unchanged, the custody log extended', async () => {
    const report = await B().mergeTransferBundle(firstBundle, { identityText: archiveKey.identityText, trust: true, senderLabel: 'Field team, Idlib' });
    expect(report.sender).toMatchObject({ keyId: keyIdOf(A()), trust: 'trusted-now', label: 'Field team, Idlib' });
    expect(report.testimonies).toEqual({ added: 2, extended: 0, alreadyPresent: 0, conflictCopies: 0, skippedDeleted: 0 });
    expect(report.persons).toEqual({ added: 3, extended: 0, alreadyPresent: 0, conflictCopies: 0, skippedDeleted: 0 });
    // Seven seeded terms are matched by label; the one typed in the field is new here.
    expect(report.vocabulary).toEqual({ matched: 7, added: 1, labelsAdded: 0 });
    expect(report.media).toEqual({ added: 4, alreadyPresent: 0, custodyExtended: 0, bytesDeduplicated: 0, skippedDeleted: 0 });
    expect(report.nothingNew).toBe(false);
    expect(listTrustedSenders(B().sessionForCore).map((sender) => [sender.keyId, sender.label, sender.confirmed])).toEqual([[keyIdOf(A()), 'Field team, Idlib', true]]);

    for (const id of [testimonyId, secondId]) expect(portableHistory(B(), id)).toEqual(portableHistory(A(), id));
    for (const id of personIds) expect(personHistory(B(), id)).toEqual(personHistory(A(), id));
    for (const original of originals) {
      const here = A().getMedia(original.mediaId);
      const there = B().getMedia(original.mediaId);
      const { bytes } = await B().readMediaBytes(original.mediaId, 10_000_000);
      expect(sha256Of(bytes)).toBe(original.sha256);
      expect({ ...there, blobId: '', custodyLog: [] }).toEqual({ ...here, blobId: '', custodyLog: [] });
      expect(events(there.custodyLog)).toEqual(['intake', `transfer.sent ${firstBundleId}`, `transfer.received ${firstBundleId} @${keyIdOf(B())}`]);
      expect(there.custodyLog?.[0]).toMatchObject({ event: 'intake', vaultKeyId: keyIdOf(A()), custodian: 'Field team, Idlib', sha256: original.sha256, at: here.intakeAt });
    }
    expect((await B().verify()).problems).toEqual([]);
  });

  it('merging the same bundle twice adds nothing', async () => {
    const count = () => listRecordIds(B().sessionForCore).length;
    const before = count();
    const report = await B().mergeTransferBundle(firstBundle, { identityText: archiveKey.identityText });
    expect(report.nothingNew).toBe(true);
    expect(report.sender.trust).toBe('trusted-sender');
    expect(report.testimonies.alreadyPresent).toBe(2);
    expect(report.persons.alreadyPresent).toBe(3);
    expect(report.media).toMatchObject({ added: 0, alreadyPresent: 4, custodyExtended: 0 });
    expect(count()).toBe(before);
    expect(fs.readdirSync(path.join(B().dir, 'blobs'))).toHaveLength(4);
  });

  it('keeps both when the same testimony was edited in both vaults, and merging it twice still makes one copy', async () => {
    A().updateTestimony(testimonyId, { summary: 'Field edit after the transfer.' });
    B().updateTestimony(testimonyId, { status: 'in-review', summary: 'Archive review edit.' });
    const bundle = path.join(work, 'bundle-2');
    secondBundleId = (await transferTo(A(), { recipients: [archiveKey.recipient], outDir: bundle, testimonyIds: [testimonyId] })).bundleId;
    const report = await B().mergeTransferBundle(bundle, { identityText: archiveKey.identityText });
    expect(report.testimonies).toMatchObject({ conflictCopies: 1, added: 0, extended: 0 });
    const conflict = report.conflicts[0];
    expect(conflict).toMatchObject({ kind: 'testimony', recordId: testimonyId, incomingId: testimonyId });
    const copyId = conflict?.conflictCopyId ?? '';
    expect(B().getTestimony(testimonyId).summary).toBe('Archive review edit.');
    expect(B().getTestimony(copyId).summary).toBe('Field edit after the transfer.');
    // The copy carries the whole field history; the archive's record keeps its own.
    expect(portableHistory(B(), copyId)).toEqual(portableHistory(A(), testimonyId));
    expect(portableHistory(B(), testimonyId).slice(0, 2)).toEqual(portableHistory(A(), testimonyId).slice(0, 2));
    expect(listRecordBranches(B().sessionForCore).map((branch) => [branch.recordId, branch.branchOf, branch.senderKeyId])).toEqual([[copyId, testimonyId, keyIdOf(A())]]);
    const again = await B().mergeTransferBundle(bundle, { identityText: archiveKey.identityText });
    expect(again.testimonies).toMatchObject({ conflictCopies: 0, alreadyPresent: 1 });
    expect(again.nothingNew).toBe(true);
    expect((await B().verify()).problems).toEqual([]);
  });

  it('goes back to A with no loss and no duplication: every hash and custody entry intact, the log extended', async () => {
    const bundle = path.join(work, 'bundle-3');
    const back = await transferTo(B(), { recipients: [fieldKey.recipient], outDir: bundle });
    expect(back.counts).toMatchObject({ testimonies: 3, conflictCopies: 1, media: 4 });
    addTrustedSender(A().sessionForCore, exporterPublicKey(B().sessionForCore).fileText, 'Central archive');
    const before = { testimonies: A().listTestimonies().length, persons: A().listPersons().length, terms: A().listVocabulary().length };
    const report = await A().mergeTransferBundle(bundle, { identityText: fieldKey.identityText });
    // A's own history comes back as B's conflict copy and is recognised; B's branch is kept beside A's record.
    expect(report.testimonies).toEqual({ added: 0, extended: 0, alreadyPresent: 2, conflictCopies: 1, skippedDeleted: 0 });
    expect(report.persons).toEqual({ added: 0, extended: 0, alreadyPresent: 3, conflictCopies: 0, skippedDeleted: 0 });
    expect(report.vocabulary).toMatchObject({ added: 0, labelsAdded: 0 });
    expect(report.media).toEqual({ added: 0, alreadyPresent: 4, custodyExtended: 4, bytesDeduplicated: 0, skippedDeleted: 0 });
    expect(A().listTestimonies()).toHaveLength(before.testimonies + 1);
    expect(A().listPersons()).toHaveLength(before.persons);
    expect(A().listVocabulary()).toHaveLength(before.terms);
    const copyInA = report.conflicts[0]?.conflictCopyId ?? '';
    expect(A().getTestimony(testimonyId).summary).toBe('Field edit after the transfer.');
    expect(A().getTestimony(copyInA).summary).toBe('Archive review edit.');
    expect(portableHistory(A(), copyInA)).toEqual(portableHistory(B(), testimonyId));

    for (const original of originals) {
      const media = A().getMedia(original.mediaId);
      const { bytes } = await A().readMediaBytes(original.mediaId, 10_000_000);
      expect(sha256Of(bytes)).toBe(original.sha256);
      expect(media.sha256).toBe(original.sha256);
      // Every link, in order: the intake here, each transfer to B (bundle 2 carried only the first testimony), and this one back.
      expect(events(media.custodyLog)).toEqual([
        'intake', `transfer.sent ${firstBundleId}`, `transfer.received ${firstBundleId} @${keyIdOf(B())}`,
        ...(original.testimonyId === testimonyId ? [`transfer.sent ${secondBundleId}`, `transfer.received ${secondBundleId} @${keyIdOf(B())}`] : []),
        `transfer.sent ${back.bundleId}`, `transfer.received ${back.bundleId} @${keyIdOf(A())}`,
      ]);
      expect(media.custodyLog?.[0]).toMatchObject({ event: 'intake', at: media.intakeAt, vaultKeyId: keyIdOf(A()), sha256: original.sha256 });
      // The media record's first version, the intake facts as taken, is still there unchanged.
      expect(readAllVersions(A().sessionForCore, original.mediaId)[0]?.fields).toEqual({ ...media, id: undefined, custodyLog: undefined, blobId: media.blobId });
    }
    expect(fs.readdirSync(path.join(A().dir, 'blobs'))).toHaveLength(4);
    expect((await A().verify()).problems).toEqual([]);
  });

  it('converges: another round trip adds no record on either side', async () => {
    const toB = path.join(work, 'bundle-4');
    await transferTo(A(), { recipients: [archiveKey.recipient], outDir: toB });
    const inB = await B().mergeTransferBundle(toB, { identityText: archiveKey.identityText });
    const toA = path.join(work, 'bundle-5');
    await transferTo(B(), { recipients: [fieldKey.recipient], outDir: toA });
    const inA = await A().mergeTransferBundle(toA, { identityText: fieldKey.identityText });
    for (const report of [inB, inA]) {
      expect(report.testimonies).toEqual({ added: 0, extended: 0, alreadyPresent: 3, conflictCopies: 0, skippedDeleted: 0 });
      expect(report.persons).toMatchObject({ added: 0, extended: 0, conflictCopies: 0 });
      expect(report.media).toMatchObject({ added: 0, alreadyPresent: 4 });
    }
    expect(A().listTestimonies()).toHaveLength(3);
    expect(B().listTestimonies()).toHaveLength(3);
  });

  it('keeps both vaults verifiable and names each sender in the signed audit log', async () => {
    for (const [service, other] of [[A(), B()], [B(), A()]] as const) {
      expect((await service.verify()).problems).toEqual([]);
      const merges = service.auditLog().entries.filter((entry) => entry.action === 'merge' && entry.version === undefined);
      expect(merges.length).toBeGreaterThan(0);
      for (const entry of merges) expect(entry.details).toMatchObject({ senderKeyId: keyIdOf(other), senderPublicKey: exporterPublicKey(other.sessionForCore).publicKey });
    }
  });

  it('never writes a testimony in plaintext: not in either vault, the bundles, or the temp dir', async () => {
    A().lock();
    B().lock();
    const scan = await scanForCanary([fieldVault.dir, archiveVault.dir, work, os.tmpdir()], canaries);
    expect(scan.hits).toEqual([]);
    expect(scan.scanned.some((file) => file.endsWith('payload.age'))).toBe(true);
    expect(scan.scanned.some((file) => file.includes(`${path.sep}blobs${path.sep}`))).toBe(true);
  });
});
