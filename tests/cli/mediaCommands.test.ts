import Database from 'better-sqlite3';
import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addTestimony, cli, expectFailure, expectJsonFailure, fixture, initVault, makeTempDir, okJson } from './cliHarness.js';

// Media, verify and audit on one vault; tampering happens on copies of it.
const temp = makeTempDir();
let dir = '';
let testimonyId = '';
let smallFile = '';
const photo = fixture('photo-with-gps.jpg');

type MediaJson = { id: string; sha256: string; sizeBytes: number; originalName: string; custodian: string; deduplicated: boolean; testimonyId: string };

function sha256Of(file: string): string {
  return createHash('sha256').update(fs.readFileSync(file)).digest('hex');
}

function blobFiles(vaultDir: string): string[] {
  return fs.readdirSync(path.join(vaultDir, 'blobs')).sort();
}

/** A closed vault can be copied like any folder; each tampering test gets its own copy. */
function copyVault(name: string): string {
  const copy = path.join(temp.path, name);
  fs.cpSync(dir, copy, { recursive: true });
  return copy;
}

beforeAll(async () => {
  dir = await initVault(temp);
  testimonyId = await addTestimony(dir);
  smallFile = path.join(temp.path, 'interview.m4a');
  fs.writeFileSync(smallFile, randomBytes(300 * 1024));
});
afterAll(() => temp.remove());

describe('media add', () => {
  it('prints id, SHA-256 and size of each file', async () => {
    const run = await cli(['media', 'add', dir, testimonyId, smallFile, photo, '--custodian', 'Team A']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const lines = run.stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(new RegExp(`^[0-9a-f]{32}  sha256:${sha256Of(smallFile)}  ${300 * 1024} bytes  interview.m4a$`));
    expect(lines[1]).toMatch(new RegExp(`^[0-9a-f]{32}  sha256:${sha256Of(photo)}  ${fs.statSync(photo).size} bytes {3}photo-with-gps.jpg$`));
  });

  it('returns JSON, takes the custodian from TVAULT_CUSTODIAN, and stores a second copy once', async () => {
    const run = await cli(['media', 'add', dir, testimonyId, smallFile, '--json'], { env: { TVAULT_CUSTODIAN: 'Field office B' } });
    const { media } = okJson(run) as { media: MediaJson[] };
    expect(media).toEqual([expect.objectContaining({
      testimonyId, originalName: 'interview.m4a', sizeBytes: 300 * 1024, sha256: sha256Of(smallFile), custodian: 'Field office B', deduplicated: true,
    })]);
    expect(blobFiles(dir)).toHaveLength(2);
  });

  it('draws a progress bar on a terminal and defaults the custodian to "unrecorded"', async () => {
    const file = path.join(temp.path, 'notes.pdf');
    fs.writeFileSync(file, randomBytes(200 * 1024));
    const run = await cli(['media', 'add', dir, testimonyId, file], { stderrIsTTY: true, env: { TVAULT_CUSTODIAN: undefined } });
    expect(run.code).toBe(0);
    expect(run.stderr).toContain('\r\u001b[2Knotes.pdf encrypting [########################] 100% 200.0 KiB/200.0 KiB');
    expect(run.stderr.endsWith('\r\u001b[2K')).toBe(true);
    const { media } = okJson(await cli(['media', 'list', dir, testimonyId, '--json'])) as { media: MediaJson[] };
    expect(media.find((m) => m.originalName === 'notes.pdf')?.custodian).toBe('unrecorded');
  });

  it('checks every file before asking for a passphrase', async () => {
    const line = expectFailure(
      await cli(['media', 'add', dir, testimonyId, smallFile, path.join(temp.path, 'missing.wav')], { env: { TVAULT_PASSPHRASE: undefined } }),
      'FILE_NOT_FOUND',
    );
    expect(line).toContain('missing.wav');
    expectFailure(await cli(['media', 'add', dir, testimonyId, temp.path]), 'INVALID_INPUT'); // a folder
  });

  it('refuses an unknown testimony', async () => {
    expectFailure(await cli(['media', 'add', dir, 'ffffffffffffffffffffffffffffffff', smallFile]), 'NOT_FOUND');
  });

  it('on Ctrl-C during the second file, removes the first one too and exits 130', async () => {
    const fresh = path.join(temp.path, 'fresh.wav');
    fs.writeFileSync(fresh, randomBytes(100 * 1024));
    const big = path.join(temp.path, 'big.mov');
    fs.writeFileSync(big, '');
    fs.truncateSync(big, 2 * 1024 ** 3); // sparse: costs no disk, takes seconds to encrypt
    const before = blobFiles(dir);
    const controller = new AbortController();
    // Abort once the first file is committed and the second one is being written.
    const poll = setInterval(() => {
      const names = blobFiles(dir);
      if (names.some((n) => n.startsWith('.incoming-')) && names.some((n) => !n.startsWith('.') && !before.includes(n))) controller.abort();
    }, 2);
    const run = await cli(['media', 'add', dir, testimonyId, fresh, big, '--json'], { signal: controller.signal }).finally(() => clearInterval(poll));
    expect(controller.signal.aborted).toBe(true);
    expect(expectJsonFailure(run, 'CANCELLED').message).toBe('cancelled; nothing was added');
    expect(blobFiles(dir)).toEqual(before);
    const { media } = okJson(await cli(['media', 'list', dir, '--json'])) as { media: MediaJson[] };
    expect(media.map((m) => m.originalName).sort()).toEqual(['interview.m4a', 'interview.m4a', 'notes.pdf', 'photo-with-gps.jpg']);
  });
});

describe('media list / get', () => {
  it('lists media for humans, and refuses an unknown testimony', async () => {
    const run = await cli(['media', 'list', dir, testimonyId]);
    expect(run.stdout.split('\n')[0]).toMatch(/^ID +TESTIMONY +BYTES +SHA-256 +INTAKE +CUSTODIAN +NAME$/);
    expect(run.stdout).toMatch(new RegExp(`^[0-9a-f]{32}  ${testimonyId}  ${300 * 1024} +${sha256Of(smallFile)}  \\S+  Team A +interview.m4a$`, 'm'));
    expectFailure(await cli(['media', 'list', dir, 'ffffffffffffffffffffffffffffffff']), 'NOT_FOUND');
  });

  it('writes the original bytes back, and never overwrites', async () => {
    const { media } = okJson(await cli(['media', 'list', dir, testimonyId, '--json'])) as { media: MediaJson[] };
    const photoMedia = media.find((m) => m.originalName === 'photo-with-gps.jpg');
    expect(photoMedia).toBeDefined();
    const out = path.join(temp.path, 'restored.jpg');
    const run = await cli(['media', 'get', dir, photoMedia?.id ?? '', '--out', out]);
    expect(run.stdout).toBe(`wrote ${out} (${fs.statSync(photo).size} bytes, SHA-256 ${sha256Of(photo)} verified)\n`);
    expect(fs.readFileSync(out).equals(fs.readFileSync(photo))).toBe(true);

    fs.writeFileSync(out, 'keep me');
    const refused = await cli(['media', 'get', dir, photoMedia?.id ?? '', '--out', out, '--json']);
    expect(expectJsonFailure(refused, 'OUTPUT_EXISTS').message).toContain(out);
    expect(fs.readFileSync(out, 'utf8')).toBe('keep me');
  });

  it('refuses an unknown media id, and leaves no file', async () => {
    const out = path.join(temp.path, 'never.bin');
    expectFailure(await cli(['media', 'get', dir, 'ffffffffffffffffffffffffffffffff', '--out', out]), 'NOT_FOUND');
    expect(fs.existsSync(out)).toBe(false);
  });
});

describe('verify', () => {
  it('passes on an intact vault', async () => {
    const human = await cli(['verify', dir]);
    expect(human).toMatchObject({ code: 0, stderr: '' });
    expect(human.stdout).toMatch(/^checked \d+ records \(\d+ versions\), 3 blobs \(\d+ bytes\), \d+ audit entries: no problems\n$/);
    const report = okJson(await cli(['verify', dir, '--json']));
    expect(report).toMatchObject({ problems: [], counts: { blobs: 3 } });
  });

  it('exits 3 and names the blob when a byte of it is flipped', async () => {
    const copy = copyVault('tampered-blob');
    const [blobId = ''] = blobFiles(copy);
    const blobFile = path.join(copy, 'blobs', blobId);
    const bytes = fs.readFileSync(blobFile);
    const middle = bytes.length >> 1;
    bytes.writeUInt8((bytes.readUInt8(middle) ^ 0x01), middle);
    fs.writeFileSync(blobFile, bytes);

    const human = await cli(['verify', copy]);
    expect(expectFailure(human, 'VERIFY_FAILED')).toBe('tvault: verify found 1 problem(s) (VERIFY_FAILED)');
    expect(human.stdout).toContain(`problem: blob ${blobId}: `);
    expect(human.stdout).toMatch(/: 1 problem\(s\)\n$/);
    const report = expectJsonFailure(await cli(['verify', copy, '--json']), 'VERIFY_FAILED');
    expect(report.problems).toEqual([{ where: `blob ${blobId}`, problem: expect.stringContaining('authentication') }]);
  });
});

describe('audit', () => {
  it('lists the signed entries and an intact chain', async () => {
    const human = await cli(['audit', dir]);
    expect(human.code).toBe(0);
    expect(human.stdout).toMatch(/^1 +\S+ +vault\.create +- +-$/m);
    expect(human.stdout).toMatch(new RegExp(`^\\d+ +\\S+ +media\\.attach +[0-9a-f]{32} +1 +testimonyId=${testimonyId} deduplicated=true$`, 'm'));
    expect(human.stdout).toMatch(/^chain: intact, \d+ entries, signing key [0-9a-f]{64}\n$/m);
    const document = okJson(await cli(['audit', dir, '--json']));
    const entries = document.entries as { seq: number; action: string }[];
    expect(entries.map((e) => e.seq)).toEqual(entries.map((_, index) => index + 1));
    expect(entries.map((e) => e.action)).toContain('testimony.create');
    expect(document.problems).toEqual([]);
    expect(document.signingPublicKey).toMatch(/^[0-9a-f]{64}$/);
  });

  it('exits 4 when an entry was removed from the log', async () => {
    const copy = copyVault('tampered-audit');
    const db = new Database(path.join(copy, 'vault.db'));
    db.prepare('DELETE FROM audit_log WHERE seq = (SELECT MAX(seq) FROM audit_log)').run();
    db.close();
    const run = await cli(['audit', copy, '--json']);
    const document = expectJsonFailure(run, 'AUDIT_CHAIN_BROKEN');
    expect((document.problems as unknown[]).length).toBeGreaterThan(0);
  });
});
