import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addTestimony, cli, expectFailure, expectJsonFailure, initVault, makeTempDir, okJson } from './cliHarness.js';

// backup and restore on one vault holding one testimony and one media file.
const temp = makeTempDir();
let dir = '';
const backupDir = () => path.join(temp.path, 'backup');

/** Flips one byte in the middle of the only blob of a vault (or backup) folder. */
function damageBlob(folder: string): string {
  const [blobId = ''] = fs.readdirSync(path.join(folder, 'blobs'));
  const file = path.join(folder, 'blobs', blobId);
  const bytes = fs.readFileSync(file);
  const middle = bytes.length >> 1;
  bytes.writeUInt8(bytes.readUInt8(middle) ^ 0x01, middle);
  fs.writeFileSync(file, bytes);
  return blobId;
}

beforeAll(async () => {
  dir = await initVault(temp);
  const testimonyId = await addTestimony(dir);
  const media = path.join(temp.path, 'interview.m4a');
  fs.writeFileSync(media, randomBytes(200 * 1024));
  okJson(await cli(['media', 'add', dir, testimonyId, media, '--json']));
});
afterAll(() => temp.remove());

describe('backup', () => {
  it('refuses a folder that is not empty and holds no backup, before asking for the passphrase', async () => {
    const foreign = path.join(temp.path, 'holiday-photos');
    fs.mkdirSync(foreign);
    fs.writeFileSync(path.join(foreign, 'beach.jpg'), 'x');
    const line = expectFailure(await cli(['backup', dir, foreign], { env: { TVAULT_PASSPHRASE: undefined } }), 'VAULT_EXISTS');
    expect(line).toContain('is not empty and holds no backup');
    expect(fs.readdirSync(foreign)).toEqual(['beach.jpg']);
  });

  it('copies, verifies the copy and says what it did, with a progress bar on a terminal', async () => {
    const run = await cli(['backup', dir, backupDir()], { stderrIsTTY: true });
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(new RegExp(`^backup written to ${backupDir()}: 1 blob\\(s\\) copied \\(\\d+ bytes\\), 0 already there, 0 removed$`, 'm'));
    expect(run.stdout).toMatch(/^verified the backup: checked \d+ records \(\d+ versions\), 1 blobs \(\d+ bytes\), \d+ audit entries: no problems$/m);
    expect(run.stderr).toContain('backup copying blobs [');
    expect(run.stderr.endsWith('\r\u001b[2K')).toBe(true);
  });

  it('is incremental, and --json gives the counts and the verify result', async () => {
    const document = okJson(await cli(['backup', dir, backupDir(), '--json']));
    expect(document).toMatchObject({ dest: backupDir(), blobsCopied: 0, blobsAlreadyThere: 1, blobsRemoved: 0, bytesCopied: 0, verify: { ok: true, problems: [] } });
  });

  it.each([
    ['copying', 'backup copying blobs', 'the backup was cancelled; the previous backup is unchanged'],
    ['checking the copy', 'backup verifying', 'cancelled while checking the backup: it was written but not verified; run tvault backup again'],
  ])('stops on Ctrl-C while %s (exit 130)', async (_when, phase, message) => {
    const controller = new AbortController();
    const onStderr = (text: string) => text.includes(phase) && controller.abort();
    const run = await cli(['backup', dir, backupDir()], { stderrIsTTY: true, signal: controller.signal, onStderr });
    expect(run.code).toBe(130);
    expect(run.stderr).toContain(phase);
    // The bar is cleared before the one error line.
    expect(run.stderr.endsWith(`\r\u001b[2Ktvault: ${message} (CANCELLED)\n`)).toBe(true);
    // No partial database and no half-copied blob (core's read-only look at the old backup may leave
    // an empty vault.db-wal and its -shm next to it; SQLite ignores an empty WAL).
    expect(fs.readdirSync(backupDir()).filter((name) => !/^vault\.db-(wal|shm)$/.test(name)).sort()).toEqual(['blobs', 'vault.db']);
    expect(fs.readdirSync(path.join(backupDir(), 'blobs')).filter((name) => name.startsWith('.'))).toEqual([]);
  });

  it('exits 3 when the copy does not verify (here: the vault\'s own blob is damaged)', async () => {
    const damaged = path.join(temp.path, 'damaged-vault');
    fs.cpSync(dir, damaged, { recursive: true });
    const blobId = damageBlob(damaged);
    const run = await cli(['backup', damaged, path.join(temp.path, 'backup-of-damaged'), '--json']);
    const document = expectJsonFailure(run, 'VERIFY_FAILED');
    expect(document.message).toBe('the backup did not verify: 1 problem(s)');
    expect(document).toMatchObject({ blobsCopied: 1, problems: [{ where: `blob ${blobId}` }] });
  });
});

describe('restore', () => {
  it('restores into a new folder, unlocks it and verifies it', async () => {
    const target = path.join(temp.path, 'restored');
    const run = await cli(['restore', backupDir(), target]);
    expect(run).toMatchObject({ code: 0, stderr: '' });
    expect(run.stdout).toMatch(new RegExp(`^restored 1 blob\\(s\\) \\(\\d+ bytes\\) and the database into ${target}\nverified the restored vault: checked \\d+ records \\(\\d+ versions\\), 1 blobs \\(\\d+ bytes\\), \\d+ audit entries: no problems\n$`));
    expect(okJson(await cli(['verify', target, '--json']))).toMatchObject({ problems: [], counts: { blobs: 1 } });
  });

  it('refuses a folder that is not empty, and a folder with no backup, before asking for the passphrase', async () => {
    const env = { TVAULT_PASSPHRASE: undefined };
    expectFailure(await cli(['restore', backupDir(), path.join(temp.path, 'restored')], { env }), 'VAULT_EXISTS');
    expectFailure(await cli(['restore', path.join(temp.path, 'holiday-photos'), path.join(temp.path, 'new')], { env }), 'VAULT_NOT_FOUND');
  });

  it('exits 3 when the restored vault does not verify', async () => {
    const blobId = damageBlob(backupDir());
    const document = expectJsonFailure(await cli(['restore', backupDir(), path.join(temp.path, 'restored-damaged'), '--json']), 'VERIFY_FAILED');
    expect(document.message).toBe('the restored vault did not verify: 1 problem(s)');
    expect(document).toMatchObject({ blobs: 1, problems: [{ where: `blob ${blobId}` }] });
  });
});
