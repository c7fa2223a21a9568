import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exporterPublicKey } from '../../../src/main/core/export/exporterPublicKey.js';
import { openBundle } from '../../../src/main/core/export/openBundle.js';
import { setControlNumberPrefix } from '../../../src/main/core/export/controlNumbers.js';
import { verifyBundle } from '../../../src/main/core/export/verifyBundle.js';
import { writeAgeIdentityFile } from '../../../src/main/core/export/writeAgeIdentityFile.js';
import { foldDigits, normalizeText } from '../../../src/main/core/search/normalizeText.js';
import { randomCanary, randomArabicCanary } from '../../helpers/randomCanary.js';
import { scanForCanary } from '../../helpers/scanForCanary.js';
import { createTestVault, errorCodeOf, type VaultFixture } from '../coreFixtures.js';
import { PHOTO_WITH_GPS, exportTo, lawyerKey, listFiles, richSample, run, shell, type LawyerKey } from './exportFixtures.js';

const PAYLOAD_ENTRIES = (control: string) => [
  'CUSTODY.csv', 'REDACTION_LOG.csv', 'SHA256SUMS', 'manifest.json', 'manifest.json.minisig', `media/${control}-1.jpg`, `testimonies/${control}.json`,
];

/** Every form a secret could take in the payload: as written, normalised (no harakat, folded alef and digits), digits without separators. */
function findSecrets(dir: string, secrets: readonly string[]): string[] {
  const hits: string[] = [];
  for (const file of listFiles(dir)) {
    const bytes = fs.readFileSync(path.join(dir, file));
    const raw = bytes.toString('utf8').toLowerCase();
    const normalised = normalizeText(bytes.toString('utf8')).replace(/\s+/g, ' ');
    const digits = foldDigits(raw).replace(/(?<=\d)[\s\-./()]+(?=\d)/g, '');
    const utf16 = bytes.toString('utf16le').toLowerCase();
    secrets.forEach((secret, index) => {
      const secretDigits = foldDigits(secret).replace(/\D/g, '');
      const forms = [secret.toLowerCase(), normalizeText(secret).replace(/\s+/g, ' ')];
      if (forms.some((form) => raw.includes(form) || normalised.includes(form) || utf16.includes(form))) hits.push(`${file}: secret #${index}`);
      if (secretDigits.length >= 9 && digits.includes(secretDigits.slice(-9))) hits.push(`${file}: digits of secret #${index}`);
    });
  }
  return hits;
}

describe('export round trip with age, tar, sha256sum and minisign', () => {
  let vault: VaultFixture;
  let work: string;
  let key: LawyerKey;
  let testimonyId: string;
  let secrets: string[];
  let exporterPubPath: string;

  beforeAll(async () => {
    vault = await createTestVault();
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'tv-export-'));
    key = lawyerKey(work);
    const sample = richSample();
    secrets = sample.secrets;
    testimonyId = vault.service.addTestimony(sample.input).testimonyId;
    await vault.service.addMedia(testimonyId, PHOTO_WITH_GPS, { custodian: 'Documentation team A' });
    exporterPubPath = path.join(work, 'exporter.pub');
    fs.writeFileSync(exporterPubPath, exporterPublicKey(vault.service.sessionForCore).fileText);
  });
  afterAll(() => {
    vault.cleanup();
    fs.rmSync(work, { recursive: true, force: true });
  });

  it('passes sha256sum -c, minisign -V, age -d and tar -x exactly as README.txt says, outside and inside', async () => {
    const bundle = path.join(work, 'bundle-a');
    const report = await exportTo(vault.service, { testimonyIds: [testimonyId], profile: 'icc', recipients: [key.recipient], outDir: bundle });
    const control = report.items[0]?.controlNumber ?? '';
    expect(control).toMatch(/^TV-\d{6}$/);
    expect(listFiles(bundle)).toEqual(['README.txt', 'SHA256SUMS', 'manifest.json', 'manifest.json.minisig', 'payload.age', 'viewer.html']);
    const readme = fs.readFileSync(path.join(bundle, 'README.txt'), 'utf8');
    for (const command of ['sha256sum -c SHA256SUMS', 'minisign -Vm manifest.json -p exporter.pub', 'age -d -i key.txt payload.age | tar -x --no-same-owner --no-same-permissions -C payload']) {
      expect(readme).toContain(command);
    }

    expect(run('sha256sum', ['-c', 'SHA256SUMS'], { cwd: bundle })).toMatch(/payload\.age: OK/);
    fs.copyFileSync(exporterPubPath, path.join(bundle, 'exporter.pub'));
    const verified = run('minisign', ['-Vm', 'manifest.json', '-p', 'exporter.pub'], { cwd: bundle });
    expect(verified).toContain('Signature and comment signature verified');
    const payloadSha = run('sha256sum', ['payload.age'], { cwd: bundle }).split(' ')[0];
    expect(verified).toContain(`payload.age sha256=${payloadSha}`);

    fs.copyFileSync(key.keyPath, path.join(bundle, 'key.txt'));
    shell('mkdir payload && age -d -i key.txt payload.age | tar -x --no-same-owner --no-same-permissions -C payload', bundle);
    const payload = path.join(bundle, 'payload');
    expect(listFiles(payload)).toEqual(PAYLOAD_ENTRIES(control));
    expect(run('sha256sum', ['-c', 'SHA256SUMS'], { cwd: payload })).not.toMatch(/FAILED/);
    expect(run('minisign', ['-Vm', 'manifest.json', '-p', '../exporter.pub'], { cwd: payload })).toContain(`Trusted comment: tvault-payload ${report.bundleId}`);

    // The redacted payload: no secret in any form, in any file; pseudonyms where they were.
    expect(findSecrets(payload, secrets)).toEqual([]);
    const testimony = JSON.parse(fs.readFileSync(path.join(payload, `testimonies/${control}.json`), 'utf8')) as { transcript: string; people: unknown[] };
    for (const pseudonym of ['[WITNESS-1]', '[PERSON-1]', '[PHONE]', '[EMAIL]', '[ID]', '[BIRTH-DATE]']) expect(testimony.transcript).toContain(pseudonym);
    expect(testimony.transcript).toContain('و[WITNESS-1]');
    const log = fs.readFileSync(path.join(payload, 'REDACTION_LOG.csv'), 'utf8');
    expect(log.split('\r\n')[0]).toBe('"item","location","category","reason","pseudonym"');
    expect(log).toMatch(/"transcript@\d+","witness-name"/);
    const custody = fs.readFileSync(path.join(payload, 'CUSTODY.csv'), 'utf8');
    const original = run('sha256sum', [PHOTO_WITH_GPS]).split(' ')[0] ?? '';
    expect(custody).toContain(original);
    expect(custody).toContain(run('sha256sum', [`media/${control}-1.jpg`], { cwd: payload }).split(' ')[0]);
  });

  it('leaves no GPS, Artist, Model or Description on exported images (exiftool)', async () => {
    const before = run('exiftool', ['-G', '-a', PHOTO_WITH_GPS]);
    expect(before).toMatch(/GPS Latitude/);
    expect(before).toMatch(/Artist/);
    const out = path.join(work, 'opened-b');
    await exportTo(vault.service, { testimonyIds: [testimonyId], profile: 'ngo', recipients: [key.recipient], outDir: path.join(work, 'bundle-b') });
    const result = await openBundle({ bundleDir: path.join(work, 'bundle-b'), outDir: out, identityText: key.identityText, expectedSigner: fs.readFileSync(exporterPubPath, 'utf8') });
    const image = result.files.find((file) => file.path.endsWith('.jpg'))?.path ?? '';
    const after = run('exiftool', ['-G', '-a', '-s', path.join(out, image)]);
    expect(after).not.toMatch(/GPS|Artist|Model|Make|Description|Creator|XMP|IPTC|ICC_Profile|Comment|Samir|Qassem/i);
    expect(after).toMatch(/ImageWidth\s*:\s*800/);
  });

  it('opens with tvault bundle open after checking everything, and verify reports the signer', async () => {
    const bundle = path.join(work, 'bundle-c');
    const report = await exportTo(vault.service, { testimonyIds: [testimonyId], profile: 'un-mechanism', recipients: [key.recipient], outDir: bundle });
    const pub = fs.readFileSync(exporterPubPath, 'utf8');
    const verification = await verifyBundle(bundle, { expectedSigner: pub });
    expect(verification).toMatchObject({ ok: true, bundleId: report.bundleId, profile: 'un-mechanism', signerExpected: true, signer: { keyId: exporterPublicKey(vault.service.sessionForCore).keyId } });
    expect(verification.checks.map((check) => check.name)).toEqual(['signature', 'trusted comment', 'SHA256SUMS', 'README and viewer', 'payload.age']);
    const out = path.join(work, 'opened-c');
    const opened = await openBundle({ bundleDir: bundle, outDir: out, identityText: key.identityText, expectedSigner: pub });
    expect(opened.bundleId).toBe(report.bundleId);
    const control = report.items[0]?.controlNumber ?? '';
    expect(listFiles(out)).toEqual(PAYLOAD_ENTRIES(control));
    expect(run('sha256sum', ['-c', 'SHA256SUMS'], { cwd: out })).not.toMatch(/FAILED/);
    for (const file of listFiles(out)) expect(fs.statSync(path.join(out, file)).mode & 0o777).toBe(0o600);
    expect(await errorCodeOf(() => openBundle({ bundleDir: bundle, outDir: out, identityText: key.identityText }))).toBe('OUT_DIR_NOT_EMPTY');
  });

  it('records each export in the signed audit log and never reuses a control number, whatever the prefix or a rolled-back counter', async () => {
    const first = await exportTo(vault.service, { testimonyIds: [testimonyId], profile: 'icc', recipients: [key.recipient], outDir: path.join(work, 'bundle-d') });
    const entry = vault.service.auditLog().entries.filter((e) => e.action === 'export').at(-1);
    expect(entry).toMatchObject({ action: 'export', recordId: first.bundleId, details: { profile: 'icc', items: 1, controlNumbers: `${first.items[0]?.controlNumber}=${testimonyId}`, payloadSha256: first.payload?.sha256 } });
    expect(vault.service.auditLog().problems).toEqual([]);
    const number = (report: typeof first) => Number(report.items[0]?.controlNumber.split('-')[1]);

    setControlNumberPrefix(vault.service.sessionForCore, 'IIIM');
    const second = await exportTo(vault.service, { testimonyIds: [testimonyId], profile: 'icc', recipients: [key.recipient], outDir: path.join(work, 'bundle-e') });
    expect(second.items[0]?.controlNumber).toBe(`IIIM-${String(number(first) + 1).padStart(6, '0')}`);
    expect(await errorCodeOf(() => setControlNumberPrefix(vault.service.sessionForCore, 'bad prefix'))).toBe('CONTROL_PREFIX_INVALID');

    // Someone resets the unauthenticated counter: the signed audit log still knows what was issued.
    vault.service.sessionForCore.db.prepare('UPDATE control_numbers SET last_issued = 0').run();
    const third = await exportTo(vault.service, { testimonyIds: [testimonyId], profile: 'icc', recipients: [key.recipient], outDir: path.join(work, 'bundle-f') });
    expect(number(third)).toBe(number(second) + 1);
  });

  it('writes no plaintext to disk: the bundle folder, the vault and the temp dir hold no canary', async () => {
    const canaries = [randomCanary(), randomArabicCanary()];
    const { testimonyId: openId } = vault.service.addTestimony({
      reference: 'CANARY-1', title: 'Canary', language: 'en', transcript: `Kept in the clear for the mechanism: ${canaries.join(' and ')}.`,
      consent: { scopes: ['icc'], anonymity: false, mediaUse: true, withdrawn: false },
    });
    const bundle = path.join(work, 'bundle-g');
    await exportTo(vault.service, { testimonyIds: [openId], profile: 'icc', recipients: [key.recipient], outDir: bundle });
    const scan = await scanForCanary([bundle, vault.dir, os.tmpdir()], canaries, { maxFileBytes: 64 * 1024 * 1024 });
    expect(scan.hits.map((hit) => `${hit.path} (${hit.encoding})`)).toEqual([]);
    expect(scan.scanned).toContain(path.join(bundle, 'payload.age'));
    // And the canary is really in the payload, so the scan above means something.
    const out = path.join(work, 'opened-g');
    await openBundle({ bundleDir: bundle, outDir: out, identityText: key.identityText });
    expect((await scanForCanary([out], canaries)).hits.length).toBeGreaterThan(0);
  });

  it('encrypts to a passphrase instead, which age -d (through a terminal), the viewer library and bundle open all accept', async () => {
    const bundle = path.join(work, 'bundle-h');
    const passphrase = 'several unrelated words for the lawyer';
    await exportTo(vault.service, { testimonyIds: [testimonyId], profile: 'icc', passphrase, outDir: bundle });
    const manifest = JSON.parse(fs.readFileSync(path.join(bundle, 'manifest.json'), 'utf8')) as { payload: { recipients: unknown[] } };
    expect(manifest.payload.recipients).toEqual([{ type: 'scrypt' }]);
    expect(fs.readFileSync(path.join(bundle, 'README.txt'), 'utf8')).toContain('age -d payload.age | tar -x');
    // age reads passphrases only from a terminal; `script` gives it one.
    shell(`printf '%s\\n' '${passphrase}' | script -qec 'age -d -o payload.tar payload.age' /dev/null > /dev/null && tar -tf payload.tar > listing.txt`, bundle);
    expect(fs.readFileSync(path.join(bundle, 'listing.txt'), 'utf8')).toContain('manifest.json.minisig');
    const out = path.join(work, 'opened-h');
    const opened = await openBundle({ bundleDir: bundle, outDir: out, passphrase });
    expect(opened.files.length).toBe(7);
    expect(await errorCodeOf(() => openBundle({ bundleDir: bundle, outDir: path.join(work, 'opened-h2'), passphrase: 'wrong words entirely here' }))).toBe('AGE_NO_IDENTITY_MATCHED');
    expect(fs.existsSync(path.join(work, 'opened-h2'))).toBe(false);
  });

  it('makes lawyer keys that the real age accepts', async () => {
    const keyPath = path.join(work, 'lawyer-key.txt');
    const { recipient } = await writeAgeIdentityFile(keyPath, new Date());
    expect(fs.statSync(keyPath).mode & 0o777).toBe(0o600);
    expect(run('age-keygen', ['-y', keyPath]).trim()).toBe(recipient);
    expect(await errorCodeOf(() => writeAgeIdentityFile(keyPath, new Date()))).toBe('EEXIST');
    const bundle = path.join(work, 'bundle-i');
    await exportTo(vault.service, { testimonyIds: [testimonyId], profile: 'icc', recipients: [key.recipient, recipient], outDir: bundle });
    shell(`age -d -i ${keyPath} payload.age | tar -t > /dev/null && age -d -i ${key.keyPath} payload.age | tar -t > /dev/null`, bundle);
  });
});
