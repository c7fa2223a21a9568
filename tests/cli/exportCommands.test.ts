import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listFiles } from '../core/export/exportFixtures.js';
import { addTestimony, binPath, cli, expectFailure, expectJsonFailure, fixture, initVault, makeTempDir, okJson, TEST_PASSPHRASE, writeJson } from './cliHarness.js';

// keygen, identity, export, bundle verify and bundle open on one vault, in order: the control
// numbers each export gets depend on the exports before it.
const temp = makeTempDir('tv-cli-export-');
let dir = '';
let sampleId = '';
let ngoOnlyId = '';
let recipient = '';
const keyPath = path.join(temp.path, 'key.txt');
const pubPath = path.join(temp.path, 'exporter.pub');
const bundle = path.join(temp.path, 'bundle');

type ExportJson = {
  bundleId: string;
  outDir: string;
  readme: string;
  items: { testimonyId: string; controlNumber: string; anonymised: boolean; media: { status: string; file?: string }[] }[];
  refused: { testimonyId: string; code: string; reason: string }[];
  payload: { sha256: string; size: number; recipients: number; passphrase: boolean };
};

/** A bash script with the real tools, as a lawyer types it; stdout and stderr together. Throws on failure. */
function bash(script: string, cwd: string, env: Record<string, string> = {}): string {
  const run = spawnSync('bash', ['-eo', 'pipefail', '-c', script], { cwd, env: { ...process.env, ...env }, encoding: 'utf8' });
  const output = `${run.stdout}${run.stderr}`;
  if (run.status !== 0) throw new Error(`exit ${run.status}: ${output}`);
  return output;
}

function sha256Of(file: string): string {
  return createHash('sha256').update(fs.readFileSync(file)).digest('hex');
}

function copyOf(source: string, name: string): string {
  const copy = path.join(temp.path, name);
  fs.cpSync(source, copy, { recursive: true });
  return copy;
}

beforeAll(async () => {
  dir = await initVault(temp);
  sampleId = await addTestimony(dir);
  const sample = JSON.parse(fs.readFileSync(fixture('testimony.json'), 'utf8')) as { consent: Record<string, unknown> };
  ngoOnlyId = await addTestimony(dir, writeJson(temp, 'ngo-only.json', { ...sample, reference: 'NGO-ONLY-1', consent: { ...sample.consent, scopes: ['ngo'] } }));
  okJson(await cli(['media', 'add', dir, sampleId, fixture('photo-with-gps.jpg'), '--json']));
});
afterAll(() => temp.remove());

describe('keygen and identity', () => {
  it('keygen writes an age identity (mode 0600) that age reads, prints its recipient, and never overwrites', async () => {
    const run = await cli(['keygen', '--out', keyPath]);
    expect(run.code).toBe(0);
    recipient = run.stdout.trim();
    expect(recipient).toMatch(/^age1[0-9a-z]{58}$/);
    expect(run.stderr).toMatch(/^tvault: wrote .*key\.txt \(keep it secret\)/);
    expect(fs.statSync(keyPath).mode & 0o777).toBe(0o600);
    const text = fs.readFileSync(keyPath, 'utf8');
    expect(execFileSync('age-keygen', ['-y', keyPath], { encoding: 'utf8' }).trim()).toBe(recipient);

    expect(expectJsonFailure(await cli(['keygen', '--out', keyPath, '--json']), 'OUTPUT_EXISTS').message).toContain('already exists');
    expect(fs.readFileSync(keyPath, 'utf8')).toBe(text);
    expectFailure(await cli(['keygen']), 'USAGE');
  });

  it('identity --minisign-pub prints the .pub file that minisign reads; --out writes it once', async () => {
    const printed = await cli(['identity', dir, '--minisign-pub']);
    expect(printed.code).toBe(0);
    expect(printed.stdout).toMatch(/^untrusted comment: minisign public key [0-9A-F]{16}\nRW[A-Za-z0-9+/]{54}\n$/);
    const written = okJson(await cli(['identity', dir, '--minisign-pub', '--out', pubPath, '--json']));
    expect(written).toMatchObject({ out: pubPath, fileText: printed.stdout });
    expect(fs.readFileSync(pubPath, 'utf8')).toBe(printed.stdout);
    // Both refused before any passphrase is asked.
    expectFailure(await cli(['identity', dir, '--minisign-pub', '--out', pubPath], { env: { TVAULT_PASSPHRASE: undefined } }), 'OUTPUT_EXISTS');
    expectFailure(await cli(['identity', dir], { env: { TVAULT_PASSPHRASE: undefined } }), 'USAGE');
  });
});

describe('export, then the lawyer with standard tools', () => {
  it('passes sha256sum -c, minisign -V with `tvault identity`, age -d | tar -x and the inner sha256sum -c', async () => {
    const report = okJson(await cli(['export', dir, '--ids', sampleId, '--profile', 'icc', '--recipient', recipient, '--out', bundle, '--json'])) as unknown as ExportJson;
    expect(report.items).toEqual([expect.objectContaining({ testimonyId: sampleId, controlNumber: 'TV-000001', anonymised: true })]);
    expect(report.items[0]?.media).toEqual([expect.objectContaining({ status: 'included', file: 'media/TV-000001-1.jpg' })]);
    expect(report).toMatchObject({ outDir: bundle, readme: path.join(bundle, 'README.txt'), payload: { recipients: 1, passphrase: false } });
    expect(report.payload.sha256).toBe(sha256Of(path.join(bundle, 'payload.age')));
    const readme = fs.readFileSync(report.readme, 'utf8');
    for (const command of ['sha256sum -c SHA256SUMS', 'minisign -Vm manifest.json -p exporter.pub', 'age -d -i key.txt payload.age | tar -x --no-same-owner --no-same-permissions -C payload']) {
      expect(readme).toContain(command);
    }

    // The lawyer's copy, with the commands of README.txt; the key comes from the real bin/tvault.
    const lawyer = copyOf(bundle, 'lawyer');
    const output = bash(
      [
        'sha256sum -c SHA256SUMS',
        'minisign -Vm manifest.json -p <(node "$TVAULT_BIN" identity "$VAULT" --minisign-pub)',
        "grep ' payload.age$' SHA256SUMS",
        'mkdir payload',
        'age -d -i "$KEY" payload.age | tar -x --no-same-owner --no-same-permissions -C payload',
        'cd payload',
        'sha256sum -c SHA256SUMS',
        'minisign -Vm manifest.json -p "$PUB"',
      ].join('\n'),
      lawyer,
      { TVAULT_BIN: binPath, VAULT: dir, KEY: keyPath, PUB: pubPath, TVAULT_PASSPHRASE: TEST_PASSPHRASE },
    );
    expect(output).toMatch(/^payload\.age: OK$/m);
    expect(output).toContain(`Trusted comment: tvault-bundle ${report.bundleId} payload.age sha256=${report.payload.sha256}`);
    expect(output).toContain(`${report.payload.sha256}  payload.age`);
    expect(output).toMatch(/^testimonies\/TV-000001\.json: OK$/m);
    expect(output).toMatch(/^media\/TV-000001-1\.jpg: OK$/m);
    expect(output).toContain(`Trusted comment: tvault-payload ${report.bundleId}`);
    expect(output).not.toMatch(/FAILED/);
    const testimony = fs.readFileSync(path.join(lawyer, 'payload/testimonies/TV-000001.json'), 'utf8');
    expect(testimony).toContain('[WITNESS-1]');
    for (const secret of ['Samir', 'Qassem', '0933 410 552', 'Nour Hamdan']) expect(testimony).not.toContain(secret);
  });

  it('bundle verify: OK with the expected signer, then the code of the failure (a flipped payload byte: exit 82)', async () => {
    const ok = await cli(['bundle', 'verify', bundle, '--signer', pubPath]);
    expect(ok).toMatchObject({ code: 0, stderr: '' });
    expect(ok.stdout).toMatch(/^ok: signature\nok: trusted comment\nok: SHA256SUMS\nok: README and viewer\nok: payload\.age\n/);
    expect(ok.stdout).toMatch(/^signed by minisign key [0-9A-F]{16}: RW\S+ \(the expected signer\)$/m);
    expect(ok.stdout).toContain('1 testimony: TV-000001 (1 media, 0 excluded)');
    const rwLine = fs.readFileSync(pubPath, 'utf8').split('\n')[1] ?? '';
    expect(okJson(await cli(['bundle', 'verify', bundle, '--signer', rwLine, '--json']))).toMatchObject({ signerExpected: true, profile: 'icc', items: [{ controlNumber: 'TV-000001' }] });
    const unchecked = await cli(['bundle', 'verify', bundle]);
    expect(unchecked.code).toBe(0);
    expect(unchecked.stderr).toContain('the signer was not compared with a key you hold');

    // Another organisation's key (made by the real minisign): refused with its own code.
    const otherPub = path.join(temp.path, 'other.pub');
    execFileSync('minisign', ['-G', '-W', '-p', otherPub, '-s', path.join(temp.path, 'other.key')], { stdio: 'ignore' });
    expectFailure(await cli(['bundle', 'verify', bundle, '--signer', otherPub]), 'UNKNOWN_SIGNER');

    const tampered = copyOf(bundle, 'tampered');
    const payload = path.join(tampered, 'payload.age');
    const bytes = fs.readFileSync(payload);
    const middle = Math.floor(bytes.length / 2);
    bytes[middle] = (bytes[middle] ?? 0) ^ 0x01;
    fs.writeFileSync(payload, bytes);
    const bad = await cli(['bundle', 'verify', tampered, '--signer', pubPath]);
    expect(expectFailure(bad, 'PAYLOAD_HASH_MISMATCH')).toBe('tvault: payload.age does not match the SHA-256 in the signed manifest (PAYLOAD_HASH_MISMATCH)');
    expect(bad.code).toBe(82);
    expect(bad.stdout).toContain('ok: SHA256SUMS');
    expect(bad.stdout).not.toContain('ok: payload.age');
    const document = expectJsonFailure(await cli(['bundle', 'verify', tampered, '--json']), 'PAYLOAD_HASH_MISMATCH');
    expect(document.checks).toContainEqual({ name: 'signature', ok: true });
    // sha256sum agrees.
    expect(() => bash('sha256sum -c SHA256SUMS', tampered)).toThrow(/payload\.age: FAILED/);
  });

  it('bundle open writes the redacted testimony (mode 0600) and nothing outside --out', async () => {
    const before = listFiles(temp.path);
    const opened = path.join(temp.path, 'opened');
    const result = okJson(await cli(['bundle', 'open', bundle, '--identity', keyPath, '--out', opened, '--signer', pubPath, '--json']));
    expect(result).toMatchObject({ outDir: opened, profile: 'icc', signerExpected: true, items: [{ controlNumber: 'TV-000001', testimony: 'testimonies/TV-000001.json', media: ['media/TV-000001-1.jpg'] }] });
    const after = listFiles(temp.path);
    expect(after.filter((file) => !before.includes(file))).toEqual(
      ['CUSTODY.csv', 'REDACTION_LOG.csv', 'SHA256SUMS', 'manifest.json', 'manifest.json.minisig', 'media/TV-000001-1.jpg', 'testimonies/TV-000001.json'].map((file) => path.join('opened', file)),
    );
    expect(before.filter((file) => !after.includes(file))).toEqual([]);
    const testimonyFile = path.join(opened, 'testimonies/TV-000001.json');
    expect(fs.statSync(testimonyFile).mode & 0o777).toBe(0o600);
    const testimony = JSON.parse(fs.readFileSync(testimonyFile, 'utf8')) as { controlNumber: string; profile: string; anonymised: boolean; transcript: string };
    expect(testimony).toMatchObject({ controlNumber: 'TV-000001', profile: 'icc', anonymised: true });
    expect(testimony.transcript).toMatch(/^I am \[WITNESS-1\]\./);
    expect(testimony.transcript).toContain('[PERSON-1]');
    expect(JSON.stringify(testimony)).not.toMatch(/Samir|Qassem|Hamdan|0933/);

    const human = await cli(['bundle', 'open', bundle, '--identity', keyPath, '--out', path.join(temp.path, 'opened-again')]);
    expect(human.code).toBe(0);
    expect(human.stdout).toMatch(/^opened bundle [0-9a-f]{32} \(profile icc, signed by minisign key [0-9A-F]{16}\) into .*opened-again\nTV-000001 {2}testimonies\/TV-000001\.json {2}media\/TV-000001-1\.jpg\n7 files/);
    expect(human.stderr).toContain('the signer was not compared');

    expectFailure(await cli(['bundle', 'open', bundle, '--identity', keyPath, '--out', opened]), 'OUT_DIR_NOT_EMPTY');
    const strangerKey = path.join(temp.path, 'stranger.txt');
    okJson(await cli(['keygen', '--out', strangerKey, '--json']));
    const refusedOut = path.join(temp.path, 'stranger-out');
    expect(expectFailure(await cli(['bundle', 'open', bundle, '--identity', strangerKey, '--out', refusedOut]), 'AGE_NO_IDENTITY_MATCHED')).toMatch(/ \(AGE_NO_IDENTITY_MATCHED\)$/);
    expect(fs.existsSync(refusedOut)).toBe(false);
    expectFailure(await cli(['bundle', 'open', bundle, '--out', refusedOut]), 'USAGE');
  });
});

describe('export refusals and choices', () => {
  it('refuses a testimony whose consent does not cover the profile: exit 51, each item and reason, nothing written', async () => {
    const out = path.join(temp.path, 'refused');
    const args = ['export', dir, '--ids', `${sampleId},${ngoOnlyId}`, '--profile', 'icc', '--recipient', recipient, '--out', out];
    const run = await cli(args);
    expect(expectFailure(run, 'ITEMS_REFUSED')).toBe(`tvault: 1 item(s) refused: ${ngoOnlyId} CONSENT_SCOPE; fix them or pass --skip-refused (ITEMS_REFUSED)`);
    expect(run.code).toBe(51);
    expect(run.stdout).toBe(`refused: ${ngoOnlyId} CONSENT_SCOPE: consent covers ngo, not icc\n`);
    const document = expectJsonFailure(await cli([...args, '--json']), 'ITEMS_REFUSED');
    expect(document).toMatchObject({ refused: [{ testimonyId: ngoOnlyId, code: 'CONSENT_SCOPE', reason: 'consent covers ngo, not icc' }], leaks: [], fileProblems: [] });
    expect(fs.existsSync(out)).toBe(false);
  });

  it('--skip-refused exports the rest and lists what it skipped; a refusal took no control number', async () => {
    const out = path.join(temp.path, 'skipped');
    const run = await cli(['export', dir, '--ids', `${sampleId},${ngoOnlyId}`, '--profile', 'icc', '--recipient', recipient, '--out', out, '--skip-refused']);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^bundle [0-9a-f]{32} written to .*skipped \(profile icc\)$/m);
    expect(run.stdout).toContain(`  TV-000002  ${sampleId}  anonymised, `);
    expect(run.stdout).toContain('      included ');
    expect(run.stdout).toContain(`refused: ${ngoOnlyId} CONSENT_SCOPE: consent covers ngo, not icc (skipped)`);
    expect(run.stdout).toMatch(/^payload\.age: \d+ bytes, for 1 age recipient\(s\), sha256 [0-9a-f]{64}$/m);
    expect(run.stdout).toContain(`README.txt: ${path.join(out, 'README.txt')}`);
    expect(run.stderr).toContain('tvault identity');
    expect((await cli(['bundle', 'verify', out, '--signer', pubPath])).code).toBe(0);
  });

  it('--query exports what search finds, numbered under the prefix set with settings --control-prefix', async () => {
    expectFailure(await cli(['settings', dir, '--control-prefix', 'iiim-1'], { env: { TVAULT_PASSPHRASE: undefined } }), 'CONTROL_PREFIX_INVALID');
    const settings = await cli(['settings', dir, '--control-prefix', 'IIIM']);
    expect(settings.stdout).toMatch(/^control-number prefix: IIIM /m);
    expect(okJson(await cli(['settings', dir, '--json']))).toMatchObject({ controlNumberPrefix: 'IIIM', changed: false });

    const out = path.join(temp.path, 'by-query');
    const run = await cli(['export', dir, '--query', 'Homs', '--profile', 'ngo', '--recipient', recipient, '--out', out, '--json']);
    const report = okJson(run) as unknown as ExportJson;
    expect(report.items.map((item) => item.testimonyId).sort()).toEqual([sampleId, ngoOnlyId].sort());
    expect(report.items.map((item) => item.controlNumber).sort()).toEqual(['IIIM-000003', 'IIIM-000004']);
    expect(fs.existsSync(path.join(out, 'payload.age'))).toBe(true);
    expectFailure(await cli(['export', dir, '--query', 'no-such-word-anywhere', '--profile', 'ngo', '--recipient', recipient, '--out', path.join(temp.path, 'none')]), 'NOTHING_TO_EXPORT');
  });

  it.each([
    [['--ids', 'ID', '--query', 'x', '--profile', 'icc', '--recipient', 'R'], 'USAGE', /either --ids or --query/],
    [['--profile', 'icc', '--recipient', 'R'], 'USAGE', /either --ids or --query/],
    [['--ids', 'ID', '--profile', 'press', '--recipient', 'R'], 'USAGE', /--profile must be one of un-mechanism, icc/],
    [['--ids', 'ID', '--profile', 'icc'], 'USAGE', /give --recipient age1/],
    [['--ids', 'ID', '--profile', 'icc', '--recipient', 'R', '--passphrase-protect'], 'USAGE', /does not go with --recipient/],
    [['--ids', 'not-an-id', '--profile', 'icc', '--recipient', 'R'], 'USAGE', /'not-an-id' is not a testimony id/],
    [['--ids', 'ID', '--profile', 'icc', '--recipient', 'age1nope'], 'INVALID_OPTIONS', /is not an age public key/],
    [['--ids', 'ID', '--profile', 'icc', '--recipient', 'R', '--out', 'TEMP'], 'OUT_DIR_NOT_EMPTY', /is not an empty folder/],
    [['--ids', 'ID', '--profile', 'icc', '--recipient', 'R', '--plan', 'missing.json'], 'FILE_NOT_FOUND', /missing\.json/],
  ] as const)('refuses %j before unlocking', async (options, code, message) => {
    const placeholders: Record<string, string> = { ID: sampleId, R: recipient, TEMP: temp.path };
    const args = options.map((arg) => placeholders[arg] ?? arg);
    const withOut = args.includes('--out') ? args : [...args, '--out', path.join(temp.path, 'never')];
    const line = expectFailure(await cli(['export', dir, ...withOut], { env: { TVAULT_PASSPHRASE: undefined } }), code);
    expect(line).toMatch(message);
  });

  it('--passphrase-protect takes TVAULT_BUNDLE_PASSPHRASE; bundle open --passphrase-protected opens it', async () => {
    const env = { TVAULT_BUNDLE_PASSPHRASE: 'told to the lawyer by phone, never sent with the bundle' };
    const out = path.join(temp.path, 'by-passphrase');
    const report = okJson(await cli(['export', dir, '--ids', sampleId, '--profile', 'un-mechanism', '--passphrase-protect', '--out', out, '--json'], { env })) as unknown as ExportJson;
    expect(report.payload).toMatchObject({ passphrase: true, recipients: 0 });
    expect(fs.readFileSync(path.join(out, 'README.txt'), 'utf8')).toContain('age -d payload.age | tar -x');
    expect((await cli(['bundle', 'verify', out])).stdout).toMatch(/protected by a passphrase/);
    const opened = path.join(temp.path, 'by-passphrase-opened');
    const result = okJson(await cli(['bundle', 'open', out, '--passphrase-protected', '--out', opened, '--signer', pubPath, '--json'], { env }));
    expect(result).toMatchObject({ profile: 'un-mechanism', items: [{ controlNumber: 'IIIM-000005' }] });
    expect(fs.existsSync(path.join(opened, 'testimonies/IIIM-000005.json'))).toBe(true);
  });

  it('Ctrl-C stops the export, removes the partial bundle and exits 130', async () => {
    const controller = new AbortController();
    const out = path.join(temp.path, 'cancelled');
    const run = await cli(['export', dir, '--ids', sampleId, '--profile', 'icc', '--recipient', recipient, '--out', out], {
      stderrIsTTY: true,
      signal: controller.signal,
      onStderr: (text) => text.includes('export exporting') && controller.abort(),
    });
    expect(controller.signal.aborted).toBe(true);
    expect(run.code).toBe(130);
    expect(run.stderr.endsWith('\r\u001b[2Ktvault: cancelled; no bundle was written (the control numbers it took are not issued again) (CANCELLED)\n')).toBe(true);
    expect(fs.existsSync(out)).toBe(false);
  });
});
