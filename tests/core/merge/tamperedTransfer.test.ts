import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureSodium, minisignKeyIdHex, minisignKeyOf } from '../../../src/main/core/crypto/index.js';
import { exporterPublicKey } from '../../../src/main/core/export/exporterPublicKey.js';
import { TRANSFER_MEDIA_FORMAT, TRANSFER_RECORD_FORMAT } from '../../../src/main/core/export/transferRecordSchema.js';
import { addTrustedSender } from '../../../src/main/core/merge/trustedSenders.js';
import { createTestVault, errorCodeOf, sampleTestimony, type VaultFixture } from '../coreFixtures.js';
import { PHOTO_WITH_GPS, exportTo, lawyerKey, shell, type LawyerKey } from '../export/exportFixtures.js';
import { generateSigningKeyPair, recipientKey, writeHostileBundle, type TarEntry } from '../export/hostileBundles.js';
import { transferTo, vaultSnapshot } from './mergeFixtures.js';

type Case = { name: string; code: string; build: (bundle: string) => void | Promise<void>; identityText?: () => string };

const sha256 = (bytes: Uint8Array | string) => createHash('sha256').update(bytes).digest('hex');
const id = () => randomBytes(16).toString('hex');
const json = (value: unknown) => Buffer.from(`${JSON.stringify(value)}\n`);
const AT = '2025-02-01T10:00:00.000Z';

describe('a damaged, tampered or foreign transfer bundle is refused with nothing written', () => {
  let sender: VaultFixture;
  let archive: VaultFixture;
  let work: string;
  let archiveKey: LawyerKey;
  let otherKey: LawyerKey;
  let genuine: string;
  let localTestimonyId: string;
  let signer: ReturnType<typeof generateSigningKeyPair>;
  let signerKeyId: string;

  beforeAll(async () => {
    await ensureSodium();
    [sender, archive] = await Promise.all([createTestVault(), createTestVault()]);
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'tv-merge-tamper-'));
    archiveKey = lawyerKey(work, 'archive.txt');
    otherKey = lawyerKey(work, 'other.txt');
    const { testimonyId } = sender.service.addTestimony(sampleTestimony());
    sender.service.updateTestimony(testimonyId, { title: 'Edited once' });
    await sender.service.addMedia(testimonyId, PHOTO_WITH_GPS, { custodian: 'team A' });
    genuine = path.join(work, 'genuine');
    await transferTo(sender.service, { recipients: [archiveKey.recipient], outDir: genuine });
    addTrustedSender(archive.service.sessionForCore, exporterPublicKey(sender.service.sessionForCore).publicKey, 'field team');
    localTestimonyId = archive.service.addTestimony({ reference: 'LOCAL-1', title: 'Already in the archive', language: 'en' }).testimonyId;
    // A sender the archive trusts but whose bundles are built by hand: the "malicious trusted sender" cases.
    signer = generateSigningKeyPair();
    const key = minisignKeyOf(signer.publicKey);
    signerKeyId = minisignKeyIdHex(key.keyId);
    addTrustedSender(archive.service.sessionForCore, `untrusted comment: x\n${Buffer.concat([Buffer.from('Ed'), key.keyId, key.publicKey]).toString('base64')}\n`, 'hand-built');
  });
  afterAll(() => {
    sender.cleanup();
    archive.cleanup();
    fs.rmSync(work, { recursive: true, force: true });
  });

  const copyGenuine = (edit: (bundle: string) => void) => (bundle: string) => {
    fs.cpSync(genuine, bundle, { recursive: true });
    edit(bundle);
  };

  /** A well-formed transfer payload: one testimony, one person, one media file, by `signer`, for bundle `bundleId`. */
  function transferEntries(bundleId: string, options: { testimonyId?: string; personId?: string; extraField?: boolean; sentBundleId?: string; mediaBytes?: Buffer } = {}): TarEntry[] {
    const testimonyId = options.testimonyId ?? id();
    const personId = options.personId ?? id();
    const media = randomBytes(70_000);
    const fields = {
      reference: 'HB-1', title: 'hand-built', language: 'en', transcript: 'text', summary: '', tags: [],
      consent: { scopes: [], anonymity: true, mediaUse: false, withdrawn: false }, status: 'draft', sensitivity: 'high',
      intervieweeId: personId, persons: [], facilityIds: [], perpetratorUnitIds: [], violationIds: [], createdAt: AT, updatedAt: AT,
      ...(options.extraField ? { hiddenInstruction: 'overwrite' } : {}),
    };
    const custody = {
      format: TRANSFER_MEDIA_FORMAT, id: id(), testimonyId, file: 'media/000001.bin', originalName: 'a.bin', mimeType: 'application/octet-stream',
      sizeBytes: media.length, sha256: sha256(media), intakeAt: AT, custodian: 'c',
      custodyLog: [
        { event: 'intake', at: AT, vaultKeyId: signerKeyId, custodian: 'c', originalName: 'a.bin', sha256: sha256(media), sizeBytes: media.length },
        { event: 'transfer.sent', at: AT, vaultKeyId: signerKeyId, bundleId: options.sentBundleId ?? bundleId, recipients: [`sha256:${'0'.repeat(64)}`] },
      ],
    };
    return [
      { name: 'records/person-000001-v0001.json', content: json({ format: TRANSFER_RECORD_FORMAT, kind: 'person', id: personId, version: 1, versions: 1, fields: { name: 'P', aliases: [] } }) },
      { name: 'records/testimony-000001-v0001.json', content: json({ format: TRANSFER_RECORD_FORMAT, kind: 'testimony', id: testimonyId, version: 1, versions: 1, fields }) },
      { name: 'custody/000001.json', content: json(custody) },
      { name: 'media/000001.bin', content: options.mediaBytes ?? media },
    ];
  }

  const handBuilt = (entries: (bundleId: string) => TarEntry[]) => (bundle: string) => {
    const bundleId = id();
    writeHostileBundle(bundle, {
      signer, recipients: [recipientKey(archiveKey.recipient)], files: entries(bundleId),
      editInner: (manifest) => {
        manifest.profile = 'transfer';
        manifest.bundleId = bundleId;
      },
    });
  };

  const cases: Case[] = [
    {
      name: 'a changed byte in payload.age', code: 'PAYLOAD_HASH_MISMATCH',
      build: copyGenuine((bundle) => {
        const file = path.join(bundle, 'payload.age');
        const bytes = fs.readFileSync(file);
        bytes[bytes.length - 100] = (bytes[bytes.length - 100] ?? 0) ^ 1;
        fs.writeFileSync(file, bytes);
      }),
    },
    {
      name: 'a changed byte in manifest.json', code: 'SIGNATURE_INVALID',
      build: copyGenuine((bundle) => {
        const file = path.join(bundle, 'manifest.json');
        fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace('"appVersion": "0.1.0-test"', '"appVersion": "0.1.1-test"'));
      }),
    },
    {
      name: 'a changed byte in the signature', code: 'SIGNATURE_INVALID',
      build: copyGenuine((bundle) => {
        const file = path.join(bundle, 'manifest.json.minisig');
        const lines = fs.readFileSync(file, 'utf8').split('\n');
        const signature = Buffer.from(lines[1] ?? '', 'base64');
        signature[40] = (signature[40] ?? 0) ^ 1;
        lines[1] = signature.toString('base64');
        fs.writeFileSync(file, lines.join('\n'));
      }),
    },
    {
      name: 'a recipient added (re-encrypted with the real age, through a pipe)', code: 'RECIPIENTS_CHANGED',
      build: copyGenuine((bundle) => {
        shell(`age -d -i ${JSON.stringify(archiveKey.keyPath)} payload.age | age -r ${archiveKey.recipient} -r ${otherKey.recipient} -o payload.age.new && mv payload.age.new payload.age`, bundle);
      }),
    },
    {
      name: 'a truncated payload.age', code: 'PAYLOAD_TRUNCATED',
      build: copyGenuine((bundle) => {
        const file = path.join(bundle, 'payload.age');
        fs.truncateSync(file, fs.statSync(file).size - 1000);
      }),
    },
    { name: 'an identity the bundle was not sealed to', code: 'AGE_NO_IDENTITY_MATCHED', build: copyGenuine(() => undefined), identityText: () => otherKey.identityText },
    {
      name: 'a redacted export from a trusted vault (not the records)', code: 'WRONG_PROFILE',
      build: async (bundle) => {
        const [testimony] = sender.service.listTestimonies();
        await exportTo(sender.service, { testimonyIds: [testimony?.id ?? ''], profile: 'icc', recipients: [archiveKey.recipient], outDir: bundle });
      },
    },
    {
      name: 'a consistent bundle signed by a key the archive does not trust', code: 'UNTRUSTED_SENDER',
      build: (bundle) => {
        const bundleId = id();
        writeHostileBundle(bundle, {
          signer: generateSigningKeyPair(), recipients: [recipientKey(archiveKey.recipient)], files: transferEntries(bundleId),
          editInner: (manifest) => {
            manifest.profile = 'transfer';
            manifest.bundleId = bundleId;
          },
        });
      },
    },
    { name: 'a trusted sender: a testimony field the app does not know', code: 'TRANSFER_MALFORMED', build: handBuilt((bundleId) => transferEntries(bundleId, { extraField: true })) },
    { name: 'a trusted sender: a custody log copied from another bundle', code: 'TRANSFER_MALFORMED', build: handBuilt((bundleId) => transferEntries(bundleId, { sentBundleId: id() })) },
    { name: 'a trusted sender: media bytes that are not the ones the custody facts describe', code: 'TRANSFER_MALFORMED', build: handBuilt((bundleId) => transferEntries(bundleId, { mediaBytes: randomBytes(70_000) })) },
    {
      name: 'a trusted sender: a record with a version missing', code: 'TRANSFER_MALFORMED',
      build: handBuilt((bundleId) => transferEntries(bundleId).map((entry) => (entry.name.startsWith('records/person') ? { ...entry, content: Buffer.from(entry.content.toString().replace('"versions":1', '"versions":2')) } : entry))),
    },
    {
      name: 'a trusted sender: an entry outside the transfer layout', code: 'TAR_UNEXPECTED_ENTRY',
      build: handBuilt((bundleId) => [...transferEntries(bundleId), { name: 'media/000002.sh', content: Buffer.from('#!/bin/sh\n') }]),
    },
    {
      // Verification passes and the second pass writes the new media blob; the merge then refuses, and the blob goes.
      name: 'a trusted sender: an id that is a testimony here sent as a person', code: 'RECORD_ID_CONFLICT',
      build: handBuilt((bundleId) => transferEntries(bundleId, { personId: localTestimonyId })),
    },
  ];

  for (const testCase of cases) {
    it(`refuses ${testCase.name} (${testCase.code})`, async () => {
      const bundle = path.join(work, `case-${cases.indexOf(testCase)}`);
      await testCase.build(bundle);
      const before = vaultSnapshot(archive.dir);
      const auditLength = archive.service.auditLog().entries.length;
      const identityText = testCase.identityText?.() ?? archiveKey.identityText;
      expect(await errorCodeOf(() => archive.service.mergeTransferBundle(bundle, { identityText }))).toBe(testCase.code);
      expect(vaultSnapshot(archive.dir)).toEqual(before);
      expect(archive.service.auditLog().entries).toHaveLength(auditLength);
      expect(fs.readdirSync(path.join(archive.dir, 'blobs'))).toEqual([]);
    });
  }

  it('leaves the archive verifiable, and merges the genuine bundle and a well-formed hand-built one', async () => {
    expect((await archive.service.verify()).problems).toEqual([]);
    const report = await archive.service.mergeTransferBundle(genuine, { identityText: archiveKey.identityText });
    expect(report).toMatchObject({ sender: { trust: 'trusted-sender', label: 'field team' }, testimonies: { added: 1 }, media: { added: 1 } });
    const control = path.join(work, 'control');
    handBuilt((bundleId) => transferEntries(bundleId))(control);
    const handReport = await archive.service.mergeTransferBundle(control, { identityText: archiveKey.identityText });
    expect(handReport).toMatchObject({ sender: { keyId: signerKeyId, label: 'hand-built' }, testimonies: { added: 1 }, persons: { added: 1 }, media: { added: 1 } });
    expect((await archive.service.verify()).problems).toEqual([]);
  });
});
