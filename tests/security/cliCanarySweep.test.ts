import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { spawnTvault, type CliRun } from '../cli/cliHarness.js';
import { makeTempDir } from '../helpers/makeTempDir.js';
import { randomArabicCanary, randomCanary, withIndexFragments } from '../helpers/randomCanary.js';
import { scanForCanary, type CanaryScan } from '../helpers/scanForCanary.js';

/*
 * Forensic canary sweep over a whole workflow through the real `tvault` binary (spawned, as a user
 * runs it): init, add, edit, media add, search, verify, redaction suggest, export, delete; each
 * command opens and locks the vault. Afterwards the vault folder (vault.db, its WAL and SHM, blobs,
 * the sealed index snapshot), the bundle, the CLI's own temp dir, home and XDG folders (where any
 * app data would go) and the machine's temp dir are read byte by byte, in UTF-8, UTF-16LE and
 * UTF-16BE, for every canary and the fragments an index would keep. Expect 0 hits.
 *
 * The user's own plaintext input files (testimony.json, the media file, the plan the user asked
 * for) are deleted before the scan: they are the user's, not something the app wrote.
 */
const PASSPHRASE = 'cli canary sweep: a long passphrase of unrelated words';
const SWEEP_TIMEOUT_MS = 900_000;

function ok(run: CliRun, what: string): Record<string, unknown> {
  if (run.code !== 0) throw new Error(`${what} failed (${run.code}): ${run.stderr.split('\n')[0] ?? ''}`);
  return JSON.parse(run.stdout) as Record<string, unknown>;
}

function expectNoHits(scan: CanaryScan, moment: string): void {
  // Paths and encodings only, never the canary values, if this ever fails.
  expect(scan.hits.map((hit) => `${moment}: ${hit.path} (${hit.encoding})`)).toEqual([]);
}

describe('forensic canary sweep over the real tvault CLI', () => {
  const work = makeTempDir('tv-cli-canary-');
  afterAll(() => work.remove());

  it('create, add, edit, attach, search, verify, export, delete: no canary anywhere on disk', { timeout: SWEEP_TIMEOUT_MS }, async () => {
    const dirs = Object.fromEntries(['inputs', 'home', 'tmp', 'xdg-config', 'xdg-cache', 'xdg-data', 'xdg-state', 'out'].map((name) => {
      const dir = path.join(work.path, name);
      fs.mkdirSync(dir, { mode: 0o700 });
      return [name, dir];
    })) as Record<'inputs' | 'home' | 'tmp' | 'xdg-config' | 'xdg-cache' | 'xdg-data' | 'xdg-state' | 'out', string>;
    const vaultDir = path.join(work.path, 'vault');
    const env = {
      TVAULT_PASSPHRASE: PASSPHRASE, TMPDIR: dirs.tmp, HOME: dirs.home,
      XDG_CONFIG_HOME: dirs['xdg-config'], XDG_CACHE_HOME: dirs['xdg-cache'], XDG_DATA_HOME: dirs['xdg-data'], XDG_STATE_HOME: dirs['xdg-state'],
    };
    const tvault = (args: string[]) => spawnTvault([...args, '--json'], { env });

    const c = {
      title: randomCanary(), titleArabic: randomArabicCanary(), transcript: randomCanary(), transcriptArabic: randomArabicCanary(),
      name: randomArabicCanary(), nameLatin: randomCanary(), phone: randomCanary(), summary: randomCanary(), tag: randomArabicCanary(),
      editTitle: randomCanary(), editTranscript: randomArabicCanary(), mediaBytes: randomCanary(), mediaName: randomCanary(), custodian: randomCanary(),
    };
    const needles = withIndexFragments(Object.values(c));
    const testimonyFile = path.join(dirs.inputs, 'testimony.json');
    fs.writeFileSync(testimonyFile, JSON.stringify({
      reference: 'CAN-1', title: `Detention at ${c.title} ${c.titleArabic}`, language: 'ar',
      transcript: `شهادة ${c.transcriptArabic} in the basement ${c.transcript}. My name is ${c.nameLatin}.`,
      summary: `Summary ${c.summary}`, tags: [c.tag],
      interviewee: { name: c.name, aliases: [c.nameLatin], phone: `+963 ${c.phone}` },
      consent: { scopes: ['icc'], anonymity: true, mediaUse: true, date: '2025-01-20', withdrawn: false },
    }));
    const patchFile = path.join(dirs.inputs, 'patch.json');
    fs.writeFileSync(patchFile, JSON.stringify({ title: `Edited ${c.editTitle}`, transcript: `${c.editTranscript} ${c.transcriptArabic}` }));
    const mediaFile = path.join(dirs.inputs, `${c.mediaName}.wav`);
    fs.writeFileSync(mediaFile, Buffer.concat([Buffer.from(`RIFF....WAVE ${c.mediaBytes} `), Buffer.from(c.titleArabic, 'utf16le'), Buffer.alloc(100_000, 7)]));
    const keyFile = path.join(dirs.inputs, 'lawyer-key.txt');

    ok(await tvault(['init', vaultDir]), 'init');
    const testimonyId = ok(await tvault(['testimony', 'add', vaultDir, testimonyFile]), 'testimony add').id as string;
    ok(await tvault(['testimony', 'edit', vaultDir, testimonyId, patchFile]), 'testimony edit');
    ok(await tvault(['media', 'add', vaultDir, testimonyId, mediaFile, '--custodian', c.custodian]), 'media add');
    const found = await tvault(['search', vaultDir, c.editTranscript]);
    expect(found.code, found.stderr).toBe(0);
    expect(found.stdout).toContain(testimonyId);
    expect(ok(await tvault(['verify', vaultDir]), 'verify')).toMatchObject({ ok: true });
    ok(await tvault(['redaction', 'suggest', vaultDir, testimonyId, '--out', path.join(dirs.inputs, 'plan.json')]), 'redaction suggest');
    const recipient = ok(await tvault(['keygen', '--out', keyFile]), 'keygen').recipient as string;
    const bundleDir = path.join(dirs.out, 'bundle');
    ok(await tvault(['export', vaultDir, '--ids', testimonyId, '--profile', 'icc', '--recipient', recipient, '--out', bundleDir]), 'export');

    // The user's own plaintext inputs go; everything the app wrote stays for the scan.
    fs.rmSync(dirs.inputs, { recursive: true });
    const roots = [vaultDir, dirs.out, dirs.tmp, dirs.home, dirs['xdg-config'], dirs['xdg-cache'], dirs['xdg-data'], dirs['xdg-state'], os.tmpdir()];
    const afterWork = await scanForCanary(roots, needles);
    expect(afterWork.scanned).toEqual(expect.arrayContaining([path.join(vaultDir, 'vault.db'), path.join(bundleDir, 'payload.age')]));
    expectNoHits(afterWork, 'after export');

    ok(await tvault(['testimony', 'delete', vaultDir, testimonyId]), 'testimony delete');
    const afterDelete = await scanForCanary(roots, needles);
    expectNoHits(afterDelete, 'after delete');
    const vaultFiles = afterDelete.scanned.filter((file) => file.startsWith(vaultDir));
    console.log(`CLI canary sweep: ${needles.length} needles × 3 encodings, ${afterWork.scanned.length} files after export and ${afterDelete.scanned.length} after delete (${vaultFiles.length} in the vault folder: ${vaultFiles.map((file) => path.relative(vaultDir, file)).join(', ')}), skipped ${afterDelete.skipped.length}; hits 0`);

    // Positive control: the same scan finds a canary the moment one is on disk, in UTF-16BE too.
    const planted = path.join(dirs.tmp, 'planted.bin');
    fs.writeFileSync(planted, Buffer.from(c.name, 'utf16le').swap16());
    expect((await scanForCanary([dirs.tmp], needles)).hits.map((hit) => hit.encoding)).toContain('utf16be');
  });
});
