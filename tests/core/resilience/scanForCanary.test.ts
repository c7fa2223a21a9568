import Database from 'better-sqlite3';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { makeTempDir, type TempDir } from '../../helpers/makeTempDir.js';
import { randomArabicCanary, randomCanary, withIndexFragments } from '../../helpers/randomCanary.js';
import { scanForCanary } from '../../helpers/scanForCanary.js';

// The canary sweep is only as good as its scanner: these prove it finds what it must and does not hang.
describe('scanForCanary', () => {
  const dirs: TempDir[] = [];
  const tempDir = (): string => {
    const dir = makeTempDir('tv-scan-');
    dirs.push(dir);
    return dir.path;
  };
  afterEach(() => {
    for (const dir of dirs.splice(0)) dir.remove();
  });

  it('finds a canary in UTF-8, UTF-16LE and UTF-16BE, nested in subfolders', async () => {
    const root = tempDir();
    const latin = randomCanary();
    const arabic = randomArabicCanary();
    fs.mkdirSync(path.join(root, 'a', 'b'), { recursive: true });
    fs.writeFileSync(path.join(root, 'a', 'utf8.bin'), Buffer.concat([Buffer.from([0, 1, 2]), Buffer.from(`x${arabic}y`, 'utf8')]));
    fs.writeFileSync(path.join(root, 'a', 'b', 'le.bin'), Buffer.from(`..${latin}..`, 'utf16le'));
    fs.writeFileSync(path.join(root, 'be.bin'), Buffer.from(`${arabic}`, 'utf16le').swap16());
    fs.writeFileSync(path.join(root, 'clean.bin'), Buffer.from(`${latin.slice(0, -1)} ${arabic.slice(1)}`, 'utf8'));

    const scan = await scanForCanary([root], [latin, arabic]);

    const found = scan.hits.map((hit) => `${path.relative(root, hit.path)}:${hit.encoding}:${hit.canary === latin ? 'latin' : 'arabic'}`).sort();
    // ASCII in UTF-16LE after another character also reads as UTF-16BE one byte later; both are real hits.
    expect(found).toEqual(['a/b/le.bin:utf16be:latin', 'a/b/le.bin:utf16le:latin', 'a/utf8.bin:utf8:arabic', 'be.bin:utf16be:arabic']);
    expect(scan.scanned).toContain(path.join(root, 'clean.bin'));
  });

  it('finds a canary that straddles two reads', async () => {
    const root = tempDir();
    const canary = randomCanary();
    const chunkBytes = 64;
    for (let offset = chunkBytes - canary.length; offset <= chunkBytes; offset += 1) {
      const bytes = Buffer.alloc(3 * chunkBytes, 0x2e);
      bytes.write(canary, offset, 'utf8');
      fs.writeFileSync(path.join(root, `at-${offset}.bin`), bytes);
    }
    const scan = await scanForCanary([root], canary, { chunkBytes });
    expect(scan.hits).toHaveLength(canary.length + 1);
  });

  it('finds a canary in the -wal file of an open plaintext SQLite database', async () => {
    const root = tempDir();
    const canary = randomCanary();
    const db = new Database(path.join(root, 'plain.db'));
    try {
      db.pragma('journal_mode = WAL');
      db.exec('CREATE TABLE t (v TEXT)');
      db.prepare('INSERT INTO t (v) VALUES (?)').run(canary);
      const scan = await scanForCanary([root], canary);
      expect(scan.hits.map((hit) => path.basename(hit.path))).toContain('plain.db-wal');
    } finally {
      db.close();
    }
  });

  it('finds every canary in a plaintext FTS5 index once index fragments are scanned too', async () => {
    const root = tempDir();
    const canaries = Array.from({ length: 100 }, (_, i) => (i % 2 === 0 ? randomCanary() : randomArabicCanary()));
    const db = new Database(path.join(root, 'index.db'));
    try {
      // Contentless: only the index is stored, as an index kept beside encrypted records would be.
      db.exec("CREATE VIRTUAL TABLE docs USING fts5(body, content='')");
      const insert = db.prepare('INSERT INTO docs (body) VALUES (?)');
      db.transaction(() => {
        for (const canary of canaries) insert.run(`the witness said ${canary} twice`);
      })();
      db.exec("INSERT INTO docs (docs) VALUES ('optimize')");
    } finally {
      db.close();
    }
    // Tokenised and prefix-compressed terms hide whole canaries; their random tails stay visible.
    const whole = await scanForCanary([path.join(root, 'index.db')], canaries);
    const byCanary = await Promise.all(canaries.map(async (canary) => (await scanForCanary([path.join(root, 'index.db')], withIndexFragments([canary]))).hits.length));
    expect(byCanary.filter((hits) => hits === 0)).toEqual([]);
    expect(whole.hits.length).toBeLessThan(canaries.length);
  });

  it('skips FIFOs and symlinks instead of blocking on or following them, and skips oversized files', async () => {
    const root = tempDir();
    const outside = tempDir();
    const canary = randomCanary();
    fs.writeFileSync(path.join(outside, 'secret.txt'), canary);
    fs.symlinkSync(path.join(outside, 'secret.txt'), path.join(root, 'link.txt'));
    fs.symlinkSync(root, path.join(root, 'loop'));
    execFileSync('mkfifo', [path.join(root, 'pipe')]);
    fs.writeFileSync(path.join(root, 'big.txt'), `${canary}${'.'.repeat(100)}`);

    const scan = await scanForCanary([root], canary, { maxFileBytes: 50 });

    expect(scan.hits).toEqual([]);
    expect(scan.skipped.map((entry) => `${path.basename(entry.path)}:${entry.reason}`).sort()).toEqual([
      'big.txt:larger than 50 bytes',
      'link.txt:symlink',
      'loop:symlink',
      'pipe:not a regular file',
    ]);
  });

  it('finds a canary in a file or folder name', async () => {
    const root = tempDir();
    const canary = randomArabicCanary();
    fs.mkdirSync(path.join(root, `dir-${canary}`));
    fs.writeFileSync(path.join(root, `dir-${canary}`, 'x.txt'), 'nothing here');
    const scan = await scanForCanary([root], canary);
    expect(scan.hits).toEqual([{ path: path.join(root, `dir-${canary}`), encoding: 'name', canary }]);
  });

  it('reports a vanished root as skipped, not as clean silence', async () => {
    const root = tempDir();
    const scan = await scanForCanary([path.join(root, 'missing')], randomCanary());
    expect(scan.skipped).toEqual([{ path: path.join(root, 'missing'), reason: 'ENOENT' }]);
  });
});
