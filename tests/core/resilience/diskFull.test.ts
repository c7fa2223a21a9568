import { execFileSync, spawnSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureSodium } from '../../../src/main/core/crypto/index.js';
import { silentLogger, type Platform } from '../../../src/main/core/platform.js';
import { VaultService } from '../../../src/main/core/VaultService.js';
import { exportTo, lawyerKey } from '../export/exportFixtures.js';
import { makeTempDir } from '../../helpers/makeTempDir.js';
import { fileURLToPath } from 'node:url';

/*
 * Disk full and I/O errors. First, intake and export on a real, small tmpfs (mounted for this test) that fills up
 * mid-write. Each operation must fail with a clear message, leave the vault unchanged (vault.db
 * byte for byte after a checkpoint, the same blob files) and verifiable.
 *
 * Mounting needs CAP_SYS_ADMIN (root, as on our build machine). Where it is not permitted that part
 * says so and skips. The second part runs everywhere: a child process under `ulimit -f`
 * (RLIMIT_FSIZE) gets EFBIG on every write past the limit, in the blob temp file and in SQLite's
 * WAL, a real I/O error from the kernel rather than an injected one.
 */
const PASSPHRASE = 'disk full: a long and unusual passphrase';
const FS_BYTES = 16 * 1024 * 1024;
const platform: Platform = { now: () => new Date(), logger: silentLogger };
const CONSENT = { scopes: ['icc'], anonymity: true, mediaUse: true, date: '2025-01-20', withdrawn: false };

function tryMountTmpfs(mountPoint: string, bytes: number): string | null {
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${bytes},mode=0700`, 'tmpfs', mountPoint], { stdio: 'pipe' });
    return null;
  } catch (error) {
    return error instanceof Error ? error.message.split('\n')[0] ?? 'mount failed' : String(error);
  }
}

function freeBytes(dir: string): number {
  const stats = fs.statfsSync(dir);
  return stats.bavail * stats.bsize;
}

/** Fills the file system until `leave` bytes are free (tmpfs allocates whole pages, so roughly). */
function fillUntil(dir: string, leave: number): string {
  const filler = path.join(dir, 'filler.bin');
  const fd = fs.openSync(filler, 'w');
  const block = Buffer.alloc(64 * 1024, 0x5a);
  try {
    while (freeBytes(dir) > leave) fs.writeSync(fd, block, 0, Math.min(block.length, Math.max(4096, freeBytes(dir) - leave)));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOSPC') throw error;
  } finally {
    fs.closeSync(fd);
  }
  return filler;
}

function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** vault.db's bytes and every blob file, as they are on disk after the vault is locked (checkpointed). */
function snapshotVault(vaultDir: string): { db: string; blobs: Record<string, string>; extraFiles: string[] } {
  const blobDir = path.join(vaultDir, 'blobs');
  return {
    db: sha256(fs.readFileSync(path.join(vaultDir, 'vault.db'))),
    blobs: Object.fromEntries(fs.readdirSync(blobDir).sort().map((name) => [name, sha256(fs.readFileSync(path.join(blobDir, name)))])),
    extraFiles: fs.readdirSync(vaultDir).filter((name) => !['vault.db', 'blobs'].includes(name)).sort(),
  };
}

/** Every row of every table except `skip`, read with a plain SQLite connection. */
function dumpRows(dbFile: string, skip: ReadonlySet<string>): Record<string, string[]> {
  // On a private copy: a second connection to the vault's own file would leave vault.db-shm behind.
  const copy = path.join(work.path, 'rows.db');
  fs.copyFileSync(dbFile, copy);
  const db = new Database(copy, { fileMustExist: true });
  try {
    const tables = (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all() as { name: string }[]).map((row) => row.name);
    return Object.fromEntries(tables.filter((name) => !skip.has(name)).map((name) => [name, (db.prepare(`SELECT * FROM "${name}"`).raw().all() as unknown[][]).map((row) => JSON.stringify(row.map((value) => (Buffer.isBuffer(value) ? value.toString('hex') : value))))]));
  } finally {
    db.close();
    for (const suffix of ['', '-wal', '-shm']) fs.rmSync(`${copy}${suffix}`, { force: true });
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? `${(error as { code?: string }).code ?? error.name}: ${error.message}` : String(error);
}

async function rejectionOf(action: () => Promise<unknown>): Promise<unknown> {
  try {
    await action();
  } catch (error) {
    return error;
  }
  throw new Error('the operation succeeded on a full disk');
}

/** Whether this machine lets us mount: probed with a mount that is undone at once, so a filtered run leaves nothing mounted. */
function probeMount(): string | null {
  const probe = makeTempDir('tv-mount-probe-');
  try {
    const failure = tryMountTmpfs(probe.path, 1024 * 1024);
    if (failure === null) execFileSync('umount', [probe.path], { stdio: 'pipe' });
    return failure;
  } finally {
    probe.remove();
  }
}

const work = makeTempDir('tv-diskfull-');
const mountPoint = path.join(work.path, 'small-fs');
fs.mkdirSync(mountPoint);
const mountFailure = probeMount();
afterAll(() => work.remove());
if (mountFailure) console.log(`disk full suite skipped: mounting a ${FS_BYTES / 1024 / 1024} MiB tmpfs is not permitted here (${mountFailure})`);

describe.skipIf(mountFailure !== null)(`disk full: intake and export on a ${FS_BYTES / 1024 / 1024} MiB tmpfs that fills mid-write`, () => {
  const vaultDir = path.join(mountPoint, 'vault');
  let testimonyId = '';
  let baseline: ReturnType<typeof snapshotVault>;
  const results: string[] = [];

  beforeAll(async () => {
    const failure = tryMountTmpfs(mountPoint, FS_BYTES);
    if (failure) throw new Error(`mounting the tmpfs failed after the probe succeeded: ${failure}`);
    await ensureSodium();
    const service = await VaultService.create(vaultDir, PASSPHRASE, platform);
    try {
      testimonyId = service.addTestimony({ reference: 'DF-1', title: 'شهادة عن فرع فلسطين', language: 'ar', transcript: 'الزنزانة كانت تحت الأرض. '.repeat(200), consent: CONSENT }).testimonyId;
      const small = path.join(work.path, 'small.bin');
      fs.writeFileSync(small, randomBytes(200_000));
      await service.addMedia(testimonyId, small, { custodian: 'disk full suite' });
    } finally {
      service.lock();
    }
    baseline = snapshotVault(vaultDir);
    expect(baseline.extraFiles).toEqual([]);
  });

  afterAll(() => {
    execFileSync('umount', [mountPoint], { stdio: 'pipe' });
  });

  /** Runs `action` on the reopened vault, then frees the space, locks, and checks nothing changed and verify is clean. */
  async function expectUnchanged(name: string, action: (service: VaultService) => Promise<void>, options: { allowChangedTables?: ReadonlySet<string> } = {}): Promise<void> {
    const rowsBefore = dumpRows(path.join(vaultDir, 'vault.db'), options.allowChangedTables ?? new Set());
    const service = await VaultService.open(vaultDir, PASSPHRASE, platform);
    try {
      await action(service);
    } finally {
      for (const name of fs.readdirSync(mountPoint)) if (name !== 'vault') fs.rmSync(path.join(mountPoint, name), { recursive: true, force: true });
      if (!service.isLocked) service.lock();
    }
    const after = snapshotVault(vaultDir);
    expect(after.blobs, `${name}: blob files`).toEqual(baseline.blobs);
    expect(after.extraFiles, `${name}: files left in the vault folder`).toEqual([]);
    if (options.allowChangedTables) expect(dumpRows(path.join(vaultDir, 'vault.db'), options.allowChangedTables), `${name}: rows of vault.db`).toEqual(rowsBefore);
    else expect(after.db, `${name}: vault.db bytes after checkpoint`).toBe(baseline.db);
    const reopened = await VaultService.open(vaultDir, PASSPHRASE, platform);
    try {
      const report = await reopened.verify();
      expect(report.problems, `${name}: verify`).toEqual([]);
    } finally {
      reopened.lock();
    }
    baseline = snapshotVault(vaultDir);
  }

  it('refuses a media intake that fills the disk mid-stream, and leaves no temp blob', async () => {
    const source = path.join(work.path, 'large.bin');
    fs.writeFileSync(source, randomBytes(24 * 1024 * 1024));
    await expectUnchanged('media intake', async (service) => {
      fillUntil(mountPoint, 3 * 1024 * 1024);
      const error = await rejectionOf(() => service.addMedia(testimonyId, source, { custodian: 'disk full suite' }));
      results.push(`media intake: ${messageOf(error)}`);
      expect(messageOf(error)).toMatch(/ENOSPC|no space|disk is full|SQLITE_FULL/i);
      expect(fs.readdirSync(path.join(vaultDir, 'blobs')).sort()).toEqual(Object.keys(baseline.blobs));
    });
  });

  it('refuses a testimony whose commit does not fit (SQLITE_FULL), and commits nothing of it', async () => {
    await expectUnchanged('testimony intake', async (service) => {
      fillUntil(mountPoint, 64 * 1024);
      const error = await rejectionOf(async () => service.addTestimony({ reference: 'DF-2', title: 'too big for the disk', language: 'en', transcript: 'the guards came at night. '.repeat(120_000) }));
      results.push(`testimony intake: ${messageOf(error)}`);
      expect(messageOf(error)).toMatch(/ENOSPC|no space|disk is full|SQLITE_FULL/i);
      expect(service.listTestimonies().map((testimony) => testimony.id)).toEqual([testimonyId]);
    });
  });

  it('refuses an export whose payload fills the disk, removes the half-written bundle, and changes no record', async () => {
    const key = lawyerKey(work.path);
    const outDir = path.join(mountPoint, 'bundle');
    const setup = await VaultService.open(vaultDir, PASSPHRASE, platform);
    const big = setup.addTestimony({ reference: 'DF-3', title: 'export me', language: 'en', transcript: randomBytes(3 * 1024 * 1024).toString('base64'), consent: CONSENT });
    setup.lock();
    baseline = snapshotVault(vaultDir);
    // A failed export still consumes its control numbers (docs/EXPORT.md): that counter row may change,
    // and the sealed audit digest taken when they were reserved; nothing else.
    await expectUnchanged('export', async (service) => {
      fillUntil(mountPoint, 1024 * 1024);
      const error = await rejectionOf(() => exportTo(service, { testimonyIds: [testimonyId, big.testimonyId], profile: 'icc', recipients: [key.recipient], outDir }));
      results.push(`export: ${messageOf(error)}`);
      expect(messageOf(error)).toMatch(/ENOSPC|no space|disk is full|SQLITE_FULL/i);
      expect(fs.existsSync(outDir)).toBe(false);
    }, { allowChangedTables: new Set(['control_numbers', 'audit_digest']) });
    console.log(`disk full suite (tmpfs ${FS_BYTES / 1024 / 1024} MiB, mounted):\n  ${results.join('\n  ')}`);
  });
});

describe('I/O errors: intake under RLIMIT_FSIZE (ulimit -f) in a child process gets EFBIG mid-write', () => {
  const limitWork = makeTempDir('tv-fsize-');
  afterAll(() => limitWork.remove());

  it('refuses the media intake and the testimony with a clear error, and leaves the vault unchanged and verifiable', async () => {
    await ensureSodium();
    const vaultDir = path.join(limitWork.path, 'vault');
    const service = await VaultService.create(vaultDir, PASSPHRASE, platform);
    const testimonyId = service.addTestimony({ reference: 'LIM-1', title: 'شهادة', language: 'ar', transcript: 'نص قصير' }).testimonyId;
    service.lock();
    const before = snapshotVault(vaultDir);
    const mediaFile = path.join(limitWork.path, 'media.bin');
    fs.writeFileSync(mediaFile, randomBytes(12 * 1024 * 1024));
    // The limit leaves vault.db room to open, and is far below the media and the testimony.
    const limitBlocks = Math.ceil((fs.statSync(path.join(vaultDir, 'vault.db')).size + 2 * 1024 * 1024) / 512);
    const repoRoot = fileURLToPath(new URL('../../..', import.meta.url));
    const child = spawnSync('sh', ['-c', `ulimit -f ${limitBlocks} && exec "$0" --import tsx tests/core/resilience/fileSizeLimitChild.ts "$@"`, process.execPath, vaultDir, testimonyId, mediaFile], {
      cwd: repoRoot, env: { ...process.env, TV_LIMIT_PASSPHRASE: PASSPHRASE }, encoding: 'utf8',
    });
    expect(child.status, child.stderr).toBe(0);
    const answers = JSON.parse(child.stdout.trim().split('\n').at(-1) ?? '{}') as { media: string; testimony: string };
    console.log(`I/O errors (ulimit -f ${limitBlocks} blocks of 512 bytes):\n  media intake: ${answers.media}\n  testimony intake: ${answers.testimony}`);
    expect(answers.media).toMatch(/EFBIG|too large|SQLITE_FULL|SQLITE_IOERR/i);
    expect(answers.testimony).toMatch(/EFBIG|too large|SQLITE_FULL|SQLITE_IOERR|disk/i);
    const after = snapshotVault(vaultDir);
    expect(after.blobs).toEqual(before.blobs);
    expect(after.extraFiles).toEqual([]);
    expect(after.db).toBe(before.db);
    const reopened = await VaultService.open(vaultDir, PASSPHRASE, platform);
    try {
      expect((await reopened.verify()).problems).toEqual([]);
      expect(reopened.listTestimonies().map((testimony) => testimony.id)).toEqual([testimonyId]);
    } finally {
      reopened.lock();
    }
  });
});
