import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { binPath, expectFailure, fixture, hasScript, makeTempDir, repoRoot, runInPty, spawnTvault, TEST_PASSPHRASE, type CliRun } from './cliHarness.js';

// End to end through the real bin/tvault.mjs (node + tsx, no build step), as a user runs it.
const temp = makeTempDir();
let dir = '';
let testimonyId = '';

beforeAll(async () => {
  dir = path.join(temp.path, 'vault');
  const init = await spawnTvault(['init', dir, '--json']);
  expect(init.stderr).toBe('');
  expect(JSON.parse(init.stdout)).toMatchObject({ ok: true, dir, kdf: 'moderate' });
  const added = await spawnTvault(['testimony', 'add', dir, fixture('testimony.json'), '--json']);
  testimonyId = (JSON.parse(added.stdout) as { id: string }).id;
});
afterAll(() => temp.remove());

describe('bin/tvault.mjs', () => {
  it('is an executable node script that runs without a build', () => {
    expect(fs.readFileSync(binPath, 'utf8').split('\n')[0]).toBe('#!/usr/bin/env node');
    expect(fs.statSync(binPath).mode & 0o111).not.toBe(0);
    const version = (JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as { version: string }).version;
    expect(execFileSync(binPath, ['--version'], { encoding: 'utf8' })).toBe(`tvault ${version}\n`);
  });

  it('prints help', async () => {
    const run = await spawnTvault(['--help']);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('Usage: tvault <command>');
    expect(run.stdout).toContain('130  CANCELLED');
  });

  it('imported the sample testimony (init and testimony add above)', async () => {
    const run = await spawnTvault(['testimony', 'show', dir, testimonyId, '--json']);
    expect(JSON.parse(run.stdout)).toMatchObject({ ok: true, testimony: { id: testimonyId, reference: 'SAMPLE-2025-0007' } });
  });

  it('reports a wrong passphrase in one line, without a stack trace', async () => {
    const run = await spawnTvault(['testimony', 'list', dir, '--json'], { env: { TVAULT_PASSPHRASE: 'definitely not it' } });
    expectFailure(run, 'WRONG_PASSPHRASE');
    expect(JSON.parse(run.stdout)).toEqual({ ok: false, code: 'WRONG_PASSPHRASE', message: 'wrong passphrase', exitCode: 10 });
    // The next successful unlock says so, in one line on stderr (and the count starts again).
    const next = await spawnTvault(['testimony', 'list', dir]);
    expect(next.code).toBe(0);
    expect(next.stderr).toBe('tvault: warning: 1 failed unlock attempt since the last successful one\n');
  });

  it('fails without a passphrase source when stdin is not a terminal', async () => {
    const run = await spawnTvault(['testimony', 'list', dir], { env: { TVAULT_PASSPHRASE: undefined } });
    expectFailure(run, 'NO_PASSPHRASE');
  });

  it('on SIGINT during media add exits 130 and leaves nothing behind', async () => {
    const big = path.join(temp.path, 'recording.mov');
    fs.writeFileSync(big, '');
    fs.truncateSync(big, 4 * 1024 ** 3); // sparse
    const blobDir = path.join(dir, 'blobs');
    const before = fs.readdirSync(blobDir);
    const env: Record<string, string> = { ...(process.env as Record<string, string>), TVAULT_PASSPHRASE: TEST_PASSPHRASE };
    const child = spawn(process.execPath, [binPath, 'media', 'add', dir, testimonyId, big], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const poll = setInterval(() => {
      if (fs.readdirSync(blobDir).some((name) => name.startsWith('.incoming-'))) {
        clearInterval(poll);
        child.kill('SIGINT');
      }
    }, 5);
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    clearInterval(poll);
    const run: CliRun = { code: code ?? -1, stdout, stderr };
    expect(expectFailure(run, 'CANCELLED')).toBe('tvault: cancelled; nothing was added (CANCELLED)');
    expect(fs.readdirSync(blobDir)).toEqual(before);
  });
});

describe.skipIf(!hasScript)('prompts on a terminal', () => {
  const typed = 'typed in a terminal, never echoed';

  it('init asks twice and never echoes the passphrase', async () => {
    const ptyVault = path.join(temp.path, 'pty-vault');
    const result = await runInPty(['init', ptyVault], [
      { expect: 'New passphrase for', send: `${typed}\r` },
      { expect: 'Repeat it: ', send: `${typed}\r` },
    ], { TVAULT_PASSPHRASE: undefined });
    expect(result.output).toContain('created vault');
    expect(result.code).toBe(0);
    expect(result.output).not.toContain('typed in');
    expect(result.output).not.toContain('*');
    // The passphrase typed at the prompt is the one that opens the vault.
    const list = await spawnTvault(['testimony', 'list', ptyVault, '--json'], { env: { TVAULT_PASSPHRASE: typed } });
    expect(JSON.parse(list.stdout)).toEqual({ ok: true, testimonies: [] });
  });

  it('init refuses two different entries', async () => {
    const ptyVault = path.join(temp.path, 'pty-mismatch');
    const result = await runInPty(['init', ptyVault], [
      { expect: 'New passphrase for', send: `${typed}\r` },
      { expect: 'Repeat it: ', send: 'something else entirely\r' },
    ], { TVAULT_PASSPHRASE: undefined });
    expect(result.code).toBe(12);
    expect(result.output).toContain('tvault: the two passphrases differ; nothing was changed (PASSPHRASE_MISMATCH)');
    expect(result.output).not.toContain('something else');
    expect(fs.existsSync(ptyVault)).toBe(false);
  });

  it('Ctrl-C at the prompt cancels (exit 130)', async () => {
    const result = await runInPty(['testimony', 'list', dir], [{ expect: 'Passphrase for', send: 'half typed\u0003' }], { TVAULT_PASSPHRASE: undefined });
    expect(result.code).toBe(130);
    expect(result.output).toContain('tvault: cancelled (CANCELLED)');
    expect(result.output).not.toContain('half typed');
  });

  it('Ctrl-C while the vault is being unlocked exits 130 at once', async () => {
    const started = Date.now();
    // Enter, then Ctrl-C (the terminal turns it into SIGINT once echo and signals are back on).
    const result = await runInPty(['verify', dir], [
      { expect: 'Passphrase for', send: `${TEST_PASSPHRASE}\r` },
      { expect: '\n', send: '\u0003' },
    ], { TVAULT_PASSPHRASE: undefined });
    expect(result.code).toBe(130);
    expect(result.output).toContain('tvault: cancelled (CANCELLED)');
    expect(result.output).not.toContain('checked');
    expect(Date.now() - started).toBeLessThan(30_000);
  });

  it('unlocks from the prompt, and delete asks for confirmation first', async () => {
    const result = await runInPty(['testimony', 'delete', dir, testimonyId], [
      { expect: 'Passphrase for', send: `${TEST_PASSPHRASE}\r` },
      { expect: 'Type "delete" to confirm: ', send: 'no\r' },
    ], { TVAULT_PASSPHRASE: undefined });
    expect(result.output).toContain(`Delete testimony SAMPLE-2025-0007 (${testimonyId})`);
    expect(result.output).not.toContain(TEST_PASSPHRASE);
    expect(result.output).toContain('tvault: not confirmed; nothing was deleted (CANCELLED)');
    expect(result.code).toBe(130);
    const still = await spawnTvault(['testimony', 'list', dir, '--json']);
    expect((JSON.parse(still.stdout) as { testimonies: { id: string }[] }).testimonies.map((t) => t.id)).toEqual([testimonyId]);
  });
});
