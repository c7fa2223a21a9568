import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureSodium, parseAgeHeader } from '../../../src/main/core/crypto/index.js';
import { exporterPublicKey } from '../../../src/main/core/export/exporterPublicKey.js';
import { openBundle, type OpenBundleOptions } from '../../../src/main/core/export/openBundle.js';
import { verifyBundle } from '../../../src/main/core/export/verifyBundle.js';
import { createTestVault, errorCodeOf, type VaultFixture } from '../coreFixtures.js';
import { PHOTO_WITH_GPS, exportTo, lawyerKey, listFiles, richSample, type LawyerKey } from './exportFixtures.js';
import {
  fixChecksum, generateSigningKeyPair, headerFor, recipientKey, refreshSums, resign, sha256, testimonyJson, writeHostileBundle, x25519Stanza,
  type AgeKnobs, type HostileSpec, type TarEntry,
} from './hostileBundles.js';

type Case = {
  name: string;
  code: string;
  /** Builds the hostile bundle in `caseDir/bundle`; may return extra open options. */
  build: (caseDir: string) => Promise<Partial<OpenBundleOptions> | void> | Partial<OpenBundleOptions> | void;
  /** The real `age -d` must refuse this payload too. */
  ageRefuses?: boolean;
};

const copyDir = (from: string, to: string) => fs.cpSync(from, to, { recursive: true });
const flipByte = (file: string, offset: (size: number) => number) => {
  const bytes = fs.readFileSync(file);
  const at = offset(bytes.length);
  bytes[at] = (bytes[at] ?? 0) ^ 0x01;
  fs.writeFileSync(file, bytes);
};

/** A JPEG that is only a header announcing 65 000 × 65 000 pixels: tiny on disk, 12 GB decoded. */
function pixelBomb(): Buffer {
  const sof = Buffer.from([0xff, 0xc0, 0x00, 0x11, 0x08, 0xfd, 0xe8, 0xfd, 0xe8, 0x03, 0x01, 0x22, 0x00, 0x02, 0x11, 0x01, 0x03, 0x11, 0x01]);
  return Buffer.concat([Buffer.from([0xff, 0xd8]), sof, Buffer.from([0xff, 0xd9])]);
}

describe('tamper matrix: every hostile bundle is refused before any plaintext is written', () => {
  let vault: VaultFixture;
  let work: string;
  let key: LawyerKey;
  let otherKey: LawyerKey;
  let genuine: string;
  let genuine2: string;
  let exporterPub: string;
  const signer = () => generateSigningKeyPair();
  let hostileSigner: ReturnType<typeof generateSigningKeyPair>;
  const absoluteTarget = path.join(os.tmpdir(), `tv-evil-${randomBytes(6).toString('hex')}`);

  beforeAll(async () => {
    await ensureSodium();
    vault = await createTestVault();
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'tv-tamper-'));
    key = lawyerKey(work);
    otherKey = lawyerKey(work, 'other-key.txt');
    const { testimonyId } = vault.service.addTestimony(richSample().input);
    await vault.service.addMedia(testimonyId, PHOTO_WITH_GPS, { custodian: 'team A' });
    genuine = path.join(work, 'genuine');
    genuine2 = path.join(work, 'genuine2');
    await exportTo(vault.service, { testimonyIds: [testimonyId], profile: 'icc', recipients: [key.recipient], outDir: genuine });
    await exportTo(vault.service, { testimonyIds: [testimonyId], profile: 'icc', recipients: [key.recipient], outDir: genuine2 });
    exporterPub = exporterPublicKey(vault.service.sessionForCore).fileText;
    hostileSigner = signer();
  });
  afterAll(() => {
    vault.cleanup();
    fs.rmSync(work, { recursive: true, force: true });
  });

  /** A genuine export, then an edit made by someone who has no signing key. */
  const fromGenuine = (edit: (bundle: string) => void, withExpectedSigner = true) => (caseDir: string): Partial<OpenBundleOptions> => {
    const bundle = path.join(caseDir, 'bundle');
    copyDir(genuine, bundle);
    edit(bundle);
    return withExpectedSigner ? { expectedSigner: exporterPub } : {};
  };

  /** A bundle made and signed by a hostile (or broken) exporter whose key the lawyer was told to expect. */
  const hostile = (specOrLazy: (Partial<HostileSpec> & { age?: AgeKnobs }) | (() => Partial<HostileSpec>), after?: (bundle: string, built: ReturnType<typeof writeHostileBundle>) => void) => (caseDir: string) => {
    const spec = typeof specOrLazy === 'function' ? specOrLazy() : specOrLazy;
    const built = writeHostileBundle(path.join(caseDir, 'bundle'), {
      signer: hostileSigner,
      recipients: [recipientKey(key.recipient)],
      files: [{ name: 'testimonies/TV-000001.json', content: testimonyJson('TV-000001') }, { name: 'REDACTION_LOG.csv', content: Buffer.from('"item"\r\n') }, { name: 'CUSTODY.csv', content: Buffer.from('"control_number"\r\n') }],
      ...spec,
    });
    after?.(built.dir, built);
    return { expectedSigner: built.signerPub };
  };
  const extra = (entry: TarEntry) => hostile({ extraEntries: [entry] });
  const raw = (name: string, fields: TarEntry['fields'] = {}, content = Buffer.from('x')) => extra({ name, content, fields });

  const cases: Case[] = [
    // Signature games and changed bytes outside the encryption.
    { name: 'a changed byte in manifest.json', code: 'SIGNATURE_INVALID', build: fromGenuine((b) => fs.writeFileSync(path.join(b, 'manifest.json'), fs.readFileSync(path.join(b, 'manifest.json'), 'utf8').replace('"profile": "icc"', '"profile": "ngo"'))) },
    {
      name: 'a changed byte in the signature', code: 'SIGNATURE_INVALID',
      build: fromGenuine((b) => {
        // One base64 letter in the middle of the signature line becomes another: still well-formed, no longer valid.
        const lines = fs.readFileSync(path.join(b, 'manifest.json.minisig'), 'utf8').split('\n');
        const line = lines[1] ?? '';
        lines[1] = `${line.slice(0, 40)}${line.charAt(40) === 'A' ? 'B' : 'A'}${line.slice(41)}`;
        fs.writeFileSync(path.join(b, 'manifest.json.minisig'), lines.join('\n'));
      }),
    },
    { name: 'an edited trusted comment', code: 'SIGNATURE_INVALID', build: fromGenuine((b) => fs.writeFileSync(path.join(b, 'manifest.json.minisig'), fs.readFileSync(path.join(b, 'manifest.json.minisig'), 'utf8').replace('trusted comment: tvault-bundle', 'trusted comment: tvault-bundIe'))) },
    { name: 'a truncated signature file', code: 'SIGNATURE_MALFORMED', build: fromGenuine((b) => fs.writeFileSync(path.join(b, 'manifest.json.minisig'), fs.readFileSync(path.join(b, 'manifest.json.minisig'), 'utf8').slice(0, 120))) },
    {
      name: 'a bundle re-signed by an unknown key', code: 'UNKNOWN_SIGNER',
      build: fromGenuine((b) => resign(b, hostileSigner, (m) => {
        const fake = writeHostileBundle(path.join(b, '..', 'scratch'), { signer: hostileSigner, recipients: [recipientKey(key.recipient)], files: [] });
        m.exporter = JSON.parse(fs.readFileSync(path.join(fake.dir, 'manifest.json'), 'utf8')).exporter;
      })),
    },
    { name: 'a signature by another key than the manifest names', code: 'SIGNER_KEY_MISMATCH', build: fromGenuine((b) => resign(b, hostileSigner, () => undefined), false) },
    {
      name: "another bundle's signed manifest swapped in", code: 'PAYLOAD_HEADER_CHANGED',
      build: fromGenuine((b) => {
        for (const name of ['manifest.json', 'manifest.json.minisig', 'README.txt', 'SHA256SUMS']) fs.copyFileSync(path.join(genuine2, name), path.join(b, name));
        const size = JSON.parse(fs.readFileSync(path.join(b, 'manifest.json'), 'utf8')).payload.size as number;
        const payload = fs.readFileSync(path.join(b, 'payload.age'));
        fs.writeFileSync(path.join(b, 'payload.age'), Buffer.concat([payload, Buffer.alloc(Math.max(0, size - payload.length))]).subarray(0, size));
      }),
    },
    { name: 'a changed SHA256SUMS', code: 'CHECKSUMS_MISMATCH', build: fromGenuine((b) => fs.writeFileSync(path.join(b, 'SHA256SUMS'), fs.readFileSync(path.join(b, 'SHA256SUMS'), 'utf8').replace(/^./, (c) => (c === '0' ? '1' : '0')))) },
    { name: 'a viewer.html that would steal the key (SHA256SUMS updated)', code: 'COMPANION_MODIFIED', build: fromGenuine((b) => { fs.appendFileSync(path.join(b, 'viewer.html'), '<script>exfiltrate()</script>'); refreshSums(b); }) },
    { name: 'a changed byte in payload.age', code: 'PAYLOAD_HASH_MISMATCH', build: fromGenuine((b) => flipByte(path.join(b, 'payload.age'), (size) => Math.floor(size / 2))) },
    { name: 'a truncated payload.age', code: 'PAYLOAD_TRUNCATED', build: fromGenuine((b) => fs.truncateSync(path.join(b, 'payload.age'), fs.statSync(path.join(b, 'payload.age')).size - 100)) },
    { name: 'bytes appended to payload.age', code: 'PAYLOAD_TOO_LONG', build: fromGenuine((b) => fs.appendFileSync(path.join(b, 'payload.age'), randomBytes(64))) },
    { name: 'payload.age replaced by a symlink', code: 'BUNDLE_FILE_NOT_REGULAR', build: fromGenuine((b) => { fs.renameSync(path.join(b, 'payload.age'), path.join(b, '..', 'elsewhere.age')); fs.symlinkSync(path.join(b, '..', 'elsewhere.age'), path.join(b, 'payload.age')); }) },
    { name: 'a missing manifest.json', code: 'BUNDLE_FILE_MISSING', build: fromGenuine((b) => fs.rmSync(path.join(b, 'manifest.json'))) },
    { name: 'an identity that is not a recipient', code: 'AGE_NO_IDENTITY_MATCHED', build: (caseDir) => ({ ...fromGenuine(() => undefined)(caseDir), identityText: otherKey.identityText }) },

    // Recipients changed after signing, by someone who holds the file key.
    {
      name: 'a recipient added after signing', code: 'RECIPIENTS_CHANGED',
      build: hostile({}, (b, built) => {
        const payload = fs.readFileSync(path.join(b, 'payload.age'));
        const stanzas = parseAgeHeader(payload).stanzas.map((s) => ({ args: s.args, body: Buffer.from(s.body) }));
        const header = headerFor([...stanzas, x25519Stanza(built.fileKey, recipientKey(otherKey.recipient))], built.fileKey);
        fs.writeFileSync(path.join(b, 'payload.age'), Buffer.concat([header, payload.subarray(built.headerLength)]));
      }),
    },
    {
      name: 'a recipient removed after signing', code: 'RECIPIENTS_CHANGED',
      build: hostile(() => ({ recipients: [recipientKey(key.recipient), recipientKey(otherKey.recipient)] }), (b, built) => {
        const payload = fs.readFileSync(path.join(b, 'payload.age'));
        const stanzas = parseAgeHeader(payload).stanzas.map((s) => ({ args: s.args, body: Buffer.from(s.body) }));
        fs.writeFileSync(path.join(b, 'payload.age'), Buffer.concat([headerFor(stanzas.slice(0, 1), built.fileKey), payload.subarray(built.headerLength)]));
      }),
    },
    {
      name: 'a recipient swapped after signing', code: 'PAYLOAD_HEADER_CHANGED',
      build: hostile({}, (b, built) => {
        const payload = fs.readFileSync(path.join(b, 'payload.age'));
        fs.writeFileSync(path.join(b, 'payload.age'), Buffer.concat([headerFor([x25519Stanza(built.fileKey, recipientKey(otherKey.recipient))], built.fileKey), payload.subarray(built.headerLength)]));
      }),
    },

    // The age test-vector categories, in payloads a hostile exporter signed.
    { name: 'age: no final chunk', code: 'AGE_TRUNCATED', ageRefuses: true, build: hostile({ age: { noFinalChunk: true } }) },
    { name: 'age: trailing garbage', code: 'AGE_TRAILING_DATA', ageRefuses: true, build: hostile({ age: { trailingGarbage: true } }) },
    { name: 'age: two final chunks', code: 'AGE_TRAILING_DATA', ageRefuses: true, build: hostile({ age: { twoFinalChunks: true }, tarPadTo: 96 * 1024 }) },
    { name: 'age: an empty final chunk after a full one', code: 'AGE_EMPTY_FINAL_CHUNK', ageRefuses: true, build: hostile({ age: { emptyFinalChunk: true }, tarPadTo: 64 * 1024 }) },
    { name: 'age: a bad header MAC', code: 'AGE_HEADER_MAC', ageRefuses: true, build: hostile({ age: { badMac: true } }) },
    { name: 'age: a stanza body in non-canonical base64', code: 'AGE_BAD_STANZA', ageRefuses: true, build: hostile({ age: { nonCanonicalStanza: true } }) },
    { name: 'age: a stanza line longer than 64 columns', code: 'AGE_BAD_STANZA', ageRefuses: true, build: hostile({ age: { longStanzaLine: true } }) },
    { name: 'age: a low-order X25519 share', code: 'AGE_LOW_ORDER_POINT', ageRefuses: true, build: hostile({ age: { lowOrderShare: true } }) },
    { name: 'age: a corrupted chunk', code: 'AGE_CHUNK_AUTH', ageRefuses: true, build: hostile({ age: { corruptChunk: true } }) },

    // The tar inside.
    { name: 'tar: path traversal', code: 'TAR_PATH_TRAVERSAL', build: raw('testimonies/../../evil.json') },
    { name: 'tar: an absolute name', code: 'TAR_ABSOLUTE_PATH', build: raw(absoluteTarget) },
    { name: 'tar: a symlink', code: 'TAR_LINK', build: raw('media/TV-000001-1.jpg', { typeflag: '2', linkname: '/etc/passwd' }, Buffer.alloc(0)) },
    { name: 'tar: a hard link', code: 'TAR_LINK', build: raw('media/TV-000001-1.jpg', { typeflag: '1', linkname: 'manifest.json' }, Buffer.alloc(0)) },
    { name: 'tar: a character device', code: 'TAR_SPECIAL_FILE', build: raw('media/TV-000001-1.jpg', { typeflag: '3', devmajor: 1, devminor: 3 }, Buffer.alloc(0)) },
    { name: 'tar: a FIFO', code: 'TAR_SPECIAL_FILE', build: raw('media/TV-000001-1.jpg', { typeflag: '6' }, Buffer.alloc(0)) },
    { name: 'tar: a pax extended header', code: 'TAR_EXTENDED_HEADER', build: raw('PaxHeader', { typeflag: 'x' }, Buffer.from('30 path=../../../../etc/cron.d/x\n')) },
    { name: 'tar: a GNU long name', code: 'TAR_EXTENDED_HEADER', build: raw('././@LongLink', { typeflag: 'L' }, Buffer.from(`${'a/'.repeat(300)}x\0`)) },
    { name: 'tar: a huge name through the prefix field', code: 'TAR_BAD_NAME', build: raw('TV-000001.json', { prefix: `testimonies/${'x'.repeat(140)}` }) },
    { name: 'tar: a NUL hiding a second name', code: 'TAR_BAD_NAME', build: extra({ name: 'REDACTION_LOG.csv', content: Buffer.from('x'), patch: (h) => { h.set(Buffer.from('\0../../../x'), 17); fixChecksum(h); } }) },
    { name: 'tar: a look-alike hyphen', code: 'TAR_BAD_NAME', build: raw('testimonies/TV\u2010000001.json') },
    { name: 'tar: a Cyrillic look-alike letter', code: 'TAR_BAD_NAME', build: raw('manif\u0435st.json') },
    { name: 'tar: an absurd size', code: 'TAR_SIZE_ABSURD', build: extra({ name: 'CUSTODY.csv', content: Buffer.alloc(0), patch: (h) => { h.set(Buffer.from('77777777777\0'), 124); fixChecksum(h); } }) },
    { name: 'tar: a bad header checksum', code: 'TAR_BAD_CHECKSUM', build: extra({ name: 'CUSTODY.csv', content: Buffer.from('x'), patch: (h) => { h[0] = 0x44; } }) },
    { name: 'tar: the same entry twice', code: 'TAR_DUPLICATE_ENTRY', build: hostile({ editEntries: (entries) => { const entry = entries.find((e) => e.name === 'CUSTODY.csv'); if (entry) entries.push({ ...entry }); } }) },
    { name: 'tar: an entry this format does not have', code: 'TAR_UNEXPECTED_ENTRY', build: raw('notes.txt') },
    { name: 'tar: a directory entry', code: 'TAR_UNEXPECTED_ENTRY', build: raw('media', { typeflag: '5' }, Buffer.alloc(0)) },
    { name: 'tar: setuid bits', code: 'TAR_BAD_HEADER', build: raw('REDACTION_LOG.csv', { mode: 0o4755 }) },
    { name: 'tar: data hidden in the padding', code: 'TAR_BAD_HEADER', build: hostile({ editEntries: (entries) => { const entry = entries.find((e) => e.name === 'REDACTION_LOG.csv'); if (entry) entry.paddingByte = 0x41; } }) },
    { name: 'tar: data after the end marker', code: 'TAR_TRAILING_DATA', build: hostile({ tarSuffix: Buffer.from('hidden after the end') }) },
    { name: 'tar: no end marker', code: 'TAR_TRUNCATED', build: hostile({ tarWithoutEnd: true }) },

    // Bombs and contents that do not match the signed manifest.
    { name: 'bomb: a payload that would unpack to 100 GiB', code: 'BUNDLE_TOO_LARGE', build: hostile({ editOuter: (m) => { m.payload.plaintextSize = 100 * 1024 ** 3; } }) },
    { name: 'bomb: a JPEG announcing 65000×65000 pixels', code: 'IMAGE_ABSURD_DIMENSIONS', build: extra({ name: 'media/TV-000001-1.jpg', content: pixelBomb() }) },
    { name: 'an image that still carries GPS EXIF', code: 'IMAGE_METADATA_PRESENT', build: extra({ name: 'media/TV-000001-1.jpg', content: fs.readFileSync(PHOTO_WITH_GPS) }) },
    { name: 'an entry not in the signed manifest', code: 'ENTRY_NOT_IN_MANIFEST', build: extra({ name: 'testimonies/TV-000009.json', content: testimonyJson('TV-000009') }) },
    { name: 'an entry changed after it was hashed', code: 'ENTRY_HASH_MISMATCH', build: hostile({ editEntries: (entries) => { const entry = entries.find((e) => e.name === 'CUSTODY.csv'); if (entry) entry.content = Buffer.from('"control_number"\r\n"forged"\r\n'); } }) },
    { name: 'inner and outer manifests that disagree', code: 'INNER_MANIFEST_MISMATCH', build: hostile({ editOuter: (m) => { m.appVersion = '9.9.9'; } }) },
    { name: 'an inner manifest signed by another key', code: 'INNER_SIGNATURE_INVALID', build: hostile(() => ({ innerSigner: signer() })) },
    { name: 'a testimony that does not parse', code: 'TESTIMONY_MALFORMED', build: hostile({ files: [{ name: 'testimonies/TV-000001.json', content: Buffer.from('{"format": "something else"}') }, { name: 'REDACTION_LOG.csv', content: Buffer.from('x') }, { name: 'CUSTODY.csv', content: Buffer.from('x') }] }) },
  ];

  it('has at least 25 hostile bundles', () => {
    expect(cases.length).toBeGreaterThanOrEqual(25);
  });

  for (const [index, testCase] of cases.entries()) {
    it(`refuses ${testCase.name} with ${testCase.code}`, async () => {
      const caseDir = path.join(work, `case-${index}`);
      fs.mkdirSync(caseDir);
      const extraOptions = (await testCase.build(caseDir)) ?? {};
      const bundle = path.join(caseDir, 'bundle');
      const before = listFiles(caseDir);
      const outDir = path.join(caseDir, 'out');
      const options: OpenBundleOptions = { bundleDir: bundle, outDir, identityText: key.identityText, ...extraOptions };
      expect(await errorCodeOf(() => openBundle(options))).toBe(testCase.code);
      // Nothing written: no output folder, nothing new next to the bundle, nothing at the absolute target.
      expect(fs.existsSync(outDir)).toBe(false);
      expect(listFiles(caseDir)).toEqual(before);
      expect(fs.existsSync(absoluteTarget)).toBe(false);
      if (testCase.ageRefuses) {
        expect(() => execFileSync('age', ['-d', '-i', key.keyPath, '-o', path.join(caseDir, 'age-out'), path.join(bundle, 'payload.age')], { stdio: 'pipe' })).toThrow();
      }
      const verification = await verifyBundle(bundle, options.expectedSigner !== undefined ? { expectedSigner: options.expectedSigner } : {});
      if (!verification.ok) expect(verification.code).toBe(testCase.code);
    });
  }

  it('still opens the genuine bundles it started from', async () => {
    const out = path.join(work, 'genuine-open');
    const result = await openBundle({ bundleDir: genuine, outDir: out, identityText: key.identityText, expectedSigner: exporterPub });
    expect(result.files.length).toBe(7);
    const hostileOk = path.join(work, 'hostile-ok');
    fs.mkdirSync(hostileOk);
    const options = hostile({})(hostileOk);
    expect((await openBundle({ bundleDir: path.join(hostileOk, 'bundle'), outDir: path.join(hostileOk, 'out'), identityText: key.identityText, ...options })).files.map((f) => f.path)).toEqual([
      'testimonies/TV-000001.json', 'REDACTION_LOG.csv', 'CUSTODY.csv', 'manifest.json', 'manifest.json.minisig', 'SHA256SUMS',
    ]);
    expect(sha256(fs.readFileSync(path.join(hostileOk, 'out', 'CUSTODY.csv')))).toBe(sha256('"control_number"\r\n'));
  });
});
