import { randomBytes, randomInt } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allocateControlNumbers } from '../../src/main/core/export/controlNumbers.js';
import { isVaultError } from '../../src/main/core/errors.js';
import { silentLogger, type Platform } from '../../src/main/core/platform.js';
import { VaultService } from '../../src/main/core/VaultService.js';
import { richSample } from '../core/export/exportFixtures.js';
import { sampleTestimony } from '../core/coreFixtures.js';
import { makeTempDir } from '../helpers/makeTempDir.js';
import { seededRandom, type SeededRandom } from '../helpers/seededRandom.js';

/*
 * Tamper sweep: flips one byte at a time at sampled offsets of a real vault (its header rows, the DB
 * pages holding ciphertext, the audit log pages, the blob files) and runs unlock + verify on each.
 *
 * "Changes authenticated data" is decided without the vault's code: a plain SQLite connection dumps
 * every row of every table of the flipped copy (table scans, no index) and compares it with the
 * pristine dump. A flip must be reported when
 *   - it changes any row of a table the vault authenticates (everything except the three tables of
 *     local settings and counters below, which the threat model says are not authenticated), or
 *   - SQLite can no longer read the file, or its integrity_check fails (verify runs integrity_check), or
 *   - it lands in a blob file (every blob byte is covered by secretstream tags and the sealed size).
 * A flip that leaves every row identical and integrity_check ok (free space in a page, unused bytes,
 * counters in the SQLite file header) does not change data and is counted apart as "inert".
 *
 * TAMPER_FLIPS=10000 for the full sweep (npm run suite:tamper); TAMPER_SEED replays one.
 */
const FLIPS = Number(process.env.TAMPER_FLIPS ?? 300);
const SEED = Number(process.env.TAMPER_SEED ?? randomInt(2 ** 31));
const VERIFY_TIMEOUT_MS = 120_000;
if (!Number.isInteger(FLIPS) || FLIPS < 1 || !Number.isInteger(SEED)) throw new Error('TAMPER_FLIPS and TAMPER_SEED must be whole numbers');

/** Local settings and counters that are not authenticated by design (docs/THREAT_MODEL.md: the failed-unlock counter). */
const UNAUTHENTICATED_TABLES = new Set(['unlock_guard', 'control_numbers', 'export_settings']);
const HEADER_TABLES = new Set(['vault_meta', 'key_slots']);
const CIPHERTEXT_TABLES = new Set(['records', 'record_fields', 'blobs', 'record_blobs', 'redaction_plans', 'record_branches', 'trusted_senders', 'audit_digest']);

type Region = 'header' | 'ciphertext' | 'audit' | 'blob' | 'other-db';
type Target = { region: Region; file: string; offset: number; table: string };
type Outcome = 'reported' | 'refused' | 'clean' | 'crash' | 'hang';
type Classification = 'data' | 'unreadable' | 'structure' | 'unauthenticated' | 'schema-text' | 'inert' | 'blob';

const platform: Platform = { now: () => new Date(), logger: silentLogger };

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([promise, new Promise<T>((_, reject) => (timer = setTimeout(() => reject(new Error('HANG')), ms)))]).finally(() => clearTimeout(timer));
}

function serialize(value: unknown): string {
  return Buffer.isBuffer(value) ? `x${value.toString('hex')}` : JSON.stringify(value);
}

/** Every row of every table, by table scans only; throws when SQLite cannot read the file. */
function dumpTables(dbFile: string): { tables: Map<string, string[]>; integrityOk: boolean } {
  const db = new Database(dbFile, { fileMustExist: true });
  try {
    const tables = new Map<string, string[]>();
    const schema = db.prepare("SELECT name, sql FROM sqlite_master ORDER BY name").all() as { name: string; sql: string | null }[];
    tables.set('sqlite_master', schema.map((row) => `${row.name}|${row.sql ?? ''}`));
    for (const { name, sql } of schema) {
      if (!sql?.startsWith('CREATE TABLE')) continue;
      const rows = db.prepare(`SELECT * FROM "${name}" NOT INDEXED`).raw().all() as unknown[][];
      tables.set(name, rows.map((row) => row.map(serialize).join('|')).sort());
    }
    const integrity = db.pragma('integrity_check') as { integrity_check: string }[];
    return { tables, integrityOk: integrity.length === 1 && integrity[0]?.integrity_check === 'ok' };
  } finally {
    db.close();
  }
}

function classifyDbFlip(scratchFile: string, pristine: Map<string, string[]>): Classification {
  let dump: ReturnType<typeof dumpTables>;
  try {
    dump = dumpTables(scratchFile);
  } catch {
    return 'unreadable';
  } finally {
    for (const suffix of ['-wal', '-shm']) fs.rmSync(`${scratchFile}${suffix}`, { force: true });
  }
  const changed = [...new Set([...pristine.keys(), ...dump.tables.keys()])].filter((table) => JSON.stringify(pristine.get(table)) !== JSON.stringify(dump.tables.get(table)));
  const dataChanged = changed.filter((table) => table !== 'sqlite_master' && !UNAUTHENTICATED_TABLES.has(table));
  if (dataChanged.length > 0) return 'data';
  if (!dump.integrityOk) return 'structure';
  if (changed.includes('sqlite_master')) return 'schema-text';
  if (changed.length > 0) return 'unauthenticated';
  return 'inert';
}

/** The table each page of vault.db belongs to (dbstat), so offsets can be sampled per region. */
function pagesByRegion(dbFile: string): { pageSize: number; regions: Map<Region, { page: number; table: string }[]> } {
  const db = new Database(dbFile, { readonly: true, fileMustExist: true });
  try {
    const pageSize = db.pragma('page_size', { simple: true }) as number;
    const rows = db.prepare('SELECT name, pageno FROM dbstat').all() as { name: string; pageno: number }[];
    const pageCount = db.pragma('page_count', { simple: true }) as number;
    const owner = new Map(rows.map((row) => [row.pageno, row.name]));
    const regions = new Map<Region, { page: number; table: string }[]>([['header', []], ['ciphertext', []], ['audit', []], ['other-db', []]]);
    for (let page = 1; page <= pageCount; page += 1) {
      const table = owner.get(page) ?? '(free)';
      const base = table.replace(/^sqlite_autoindex_(.*)_\d+$/, '$1');
      const region: Region = HEADER_TABLES.has(base) ? 'header' : CIPHERTEXT_TABLES.has(base) ? 'ciphertext' : base === 'audit_log' ? 'audit' : 'other-db';
      regions.get(region)?.push({ page, table });
    }
    return { pageSize, regions };
  } finally {
    db.close();
  }
}

describe('tamper sweep: every flip that changes authenticated data is reported by verify', () => {
  const work = makeTempDir('tv-tamper-sweep-');
  const vaultDir = path.join(work.path, 'vault');
  const scratch = path.join(work.path, 'classify.db');
  let recoveryKey = '';
  const pristineFiles = new Map<string, Buffer>();
  let pristineDump: Map<string, string[]>;

  beforeAll(async () => {
    const service = await VaultService.create(vaultDir, 'tamper sweep: a long and unusual passphrase', platform);
    try {
      recoveryKey = service.createRecoveryKey({ replace: false }).recoveryKey;
      service.addPerson({ name: 'سمير يوسف قاسم', aliases: ['Samir Qassem', 'أبو يوسف'], phone: '+963 933 410 552' });
      const ids = [service.addTestimony(richSample().input).testimonyId, service.addTestimony({ ...sampleTestimony(), interviewee: { name: 'نور حمدان', aliases: ['Nour Hamdan'] } }).testimonyId];
      for (let n = 0; n < 6; n += 1) ids.push(service.addTestimony({ reference: `TS-${n}`, title: `شهادة ${n}: the basement of branch 215`, language: n % 2 ? 'ar' : 'en', transcript: `${'زنزانة تحت الأرض. '.repeat(40 * (n + 1))} night ${n}` }).testimonyId);
      for (const id of ids.slice(0, 3)) service.updateTestimony(id, { summary: 'edited after review', tags: ['edited'] });
      const mediaDir = path.join(work.path, 'media');
      fs.mkdirSync(mediaDir);
      for (const [index, size] of [70_000, 65_536, 150_000].entries()) {
        const file = path.join(mediaDir, `m${index}.bin`);
        fs.writeFileSync(file, randomBytes(size));
        await service.addMedia(ids[index] ?? '', file, { custodian: 'tamper sweep' });
      }
      const doomed = service.addTestimony({ reference: 'TS-gone', title: 'to delete', language: 'en', transcript: 'x' }).testimonyId;
      service.deleteTestimony(doomed);
      service.saveRedactionPlan(ids[0] ?? '', service.suggestRedactionPlan(ids[0] ?? ''));
      // What an export does first: reserve control numbers, which seals the audit digest.
      allocateControlNumbers(service.sessionForCore, 2);
      const report = await service.verify();
      expect(report.problems).toEqual([]);
    } finally {
      service.lock();
    }
    for (const suffix of ['-wal', '-shm']) expect(fs.existsSync(path.join(vaultDir, `vault.db${suffix}`))).toBe(false);
    for (const name of ['vault.db', ...fs.readdirSync(path.join(vaultDir, 'blobs')).map((blob) => path.join('blobs', blob))]) {
      pristineFiles.set(name, fs.readFileSync(path.join(vaultDir, name)));
    }
    pristineDump = dumpTables(path.join(vaultDir, 'vault.db')).tables;
  }, 300_000);
  afterAll(() => work.remove());

  /** Puts every file back as it was (open may have written the DB, or swept a blob the flip orphaned). */
  function restore(): void {
    for (const name of fs.readdirSync(vaultDir)) if (name.startsWith('vault.db-') || name.startsWith('.') || name === 'index.snapshot') fs.rmSync(path.join(vaultDir, name), { force: true });
    for (const name of fs.readdirSync(path.join(vaultDir, 'blobs'))) if (!pristineFiles.has(path.join('blobs', name))) fs.rmSync(path.join(vaultDir, 'blobs', name));
    for (const [name, bytes] of pristineFiles) fs.writeFileSync(path.join(vaultDir, name), bytes);
  }

  async function unlockAndVerify(): Promise<{ outcome: Outcome; detail: string }> {
    let service: VaultService | undefined;
    try {
      return await withTimeout((async () => {
        service = await VaultService.openWithRecoveryKey(vaultDir, recoveryKey, platform);
        const report = await service.verify();
        return report.ok ? { outcome: 'clean' as const, detail: '' } : { outcome: 'reported' as const, detail: report.problems[0]?.problem ?? '' };
      })(), VERIFY_TIMEOUT_MS);
    } catch (error) {
      if (error instanceof Error && error.message === 'HANG') return { outcome: 'hang', detail: 'verify did not finish' };
      if (isVaultError(error)) return { outcome: 'refused', detail: `${error.code}: ${error.message}` };
      // SQLite's own corruption errors are a clear refusal too: the CLI reports them as VAULT_CORRUPT (describeError.ts).
      // SQLITE_READONLY: a changed write-version byte makes SQLite open the file read-only; the first write refuses (CLI: IO_ERROR).
      if (error instanceof Database.SqliteError && /^SQLITE_(CORRUPT|NOTADB|READONLY)/.test(error.code)) return { outcome: 'refused', detail: `${error.code}: ${error.message}` };
      return { outcome: 'crash', detail: error instanceof Error ? `${error.name}: ${error.message} ${(error.stack ?? '').split('\n').slice(1, 4).map((line) => line.trim()).join(' < ')}` : String(error) };
    } finally {
      if (service && !service.isLocked) service.lock();
    }
  }

  function sampleTargets(random: SeededRandom): Target[] {
    const { pageSize, regions } = pagesByRegion(path.join(vaultDir, 'vault.db'));
    const blobs = [...pristineFiles.entries()].filter(([name]) => name.startsWith('blobs'));
    const blobBytes = blobs.reduce((sum, [, bytes]) => sum + bytes.length, 0);
    const plan: [Region, number][] = [['header', 0.2], ['ciphertext', 0.3], ['audit', 0.2], ['blob', 0.2], ['other-db', 0.1]];
    const targets: Target[] = [];
    for (const [region, share] of plan) {
      const count = region === 'other-db' ? FLIPS - targets.length : Math.round(FLIPS * share);
      for (let n = 0; n < count; n += 1) {
        if (region === 'blob') {
          let at = random.int(0, blobBytes - 1);
          const blob = blobs.find(([, bytes]) => (at < bytes.length ? true : ((at -= bytes.length), false)));
          targets.push({ region, file: blob?.[0] ?? '', offset: at, table: 'blob file' });
        } else {
          const page = random.pick(regions.get(region) ?? []);
          targets.push({ region, file: 'vault.db', offset: (page.page - 1) * pageSize + random.int(0, pageSize - 1), table: page.table });
        }
      }
    }
    return targets;
  }

  it(`reports every one of ${FLIPS} sampled flips that changes authenticated data, with no crash or hang`, { timeout: 600_000 + FLIPS * 2_000 }, async () => {
    restore();
    const baseline = await unlockAndVerify();
    expect(baseline.outcome, baseline.detail).toBe('clean');
    const random = seededRandom(SEED);
    const targets = sampleTargets(random);
    const tally = new Map<string, { flips: number; mustDetect: number; detected: number; crashes: number; hangs: number }>();
    const misses: string[] = [];
    const crashes: string[] = [];
    const deletions: string[] = [];
    for (const [index, target] of targets.entries()) {
      restore();
      const file = path.join(vaultDir, target.file);
      const bytes = Buffer.from(pristineFiles.get(target.file) ?? Buffer.alloc(0));
      bytes[target.offset] = (bytes[target.offset] ?? 0) ^ random.int(1, 255);
      fs.writeFileSync(file, bytes);
      let classification: Classification = 'blob';
      if (target.file === 'vault.db') {
        fs.writeFileSync(scratch, bytes);
        classification = classifyDbFlip(scratch, pristineDump);
        fs.rmSync(scratch, { force: true });
      }
      const mustDetect = classification === 'blob' || classification === 'data' || classification === 'unreadable' || classification === 'structure';
      const { outcome, detail } = await unlockAndVerify();
      const detected = outcome === 'reported' || outcome === 'refused';
      // Tampering with vault.db must never make the app delete evidence: every blob file is still there.
      const blobsLeft = new Set(fs.readdirSync(path.join(vaultDir, 'blobs')));
      const destroyed = [...pristineFiles.keys()].filter((name) => name.startsWith('blobs') && !blobsLeft.has(path.basename(name)));
      const key = `${target.region}/${classification}`;
      const row = tally.get(key) ?? { flips: 0, mustDetect: 0, detected: 0, crashes: 0, hangs: 0 };
      row.flips += 1;
      if (mustDetect) row.mustDetect += 1;
      if (mustDetect && detected) row.detected += 1;
      if (outcome === 'crash') row.crashes += 1;
      if (outcome === 'hang') row.hangs += 1;
      tally.set(key, row);
      const where = `#${index} ${target.file}@${target.offset} (${target.table}, ${classification})`;
      if (mustDetect && !detected) misses.push(`${where}: ${outcome}`);
      if (outcome === 'crash' || outcome === 'hang') crashes.push(`${where}: ${outcome} ${detail}`);
      if (destroyed.length > 0) deletions.push(`${where}: unlock deleted ${destroyed.length} blob file(s)`);
      if (outcome === 'hang') break;
      if (process.env.TAMPER_PROGRESS && index % 500 === 0) console.log(`tamper sweep: ${index}/${targets.length}`);
    }
    restore();

    const rows = [...tally.entries()].sort(([a], [b]) => a.localeCompare(b));
    const total = rows.reduce((sum, [, row]) => ({ mustDetect: sum.mustDetect + row.mustDetect, detected: sum.detected + row.detected, crashes: sum.crashes + row.crashes, hangs: sum.hangs + row.hangs }), { mustDetect: 0, detected: 0, crashes: 0, hangs: 0 });
    console.log([
      `tamper sweep (seed ${SEED}): ${targets.length} flips; detected ${total.detected}/${total.mustDetect} that change authenticated data; crashes ${total.crashes}, hangs ${total.hangs}; blob files deleted by an unlock: ${deletions.length}`,
      ...rows.map(([key, row]) => `  ${key.padEnd(28)} flips ${String(row.flips).padStart(5)}  must-detect ${String(row.mustDetect).padStart(5)}  detected ${String(row.detected).padStart(5)}  crashes ${row.crashes}  hangs ${row.hangs}`),
      ...misses.slice(0, 20).map((miss) => `  MISSED ${miss}`),
      ...crashes.slice(0, 20).map((crash) => `  CRASH ${crash}`),
      ...deletions.slice(0, 20).map((deletion) => `  EVIDENCE DELETED ${deletion}`),
    ].join('\n'));
    expect(misses).toEqual([]);
    expect(crashes).toEqual([]);
    expect(deletions).toEqual([]);
    // The sweep must have exercised each region with flips that matter (a few dozen flips could miss one by chance).
    if (FLIPS >= 200) {
      for (const region of ['header', 'ciphertext', 'audit', 'blob']) {
        expect(rows.filter(([key]) => key.startsWith(`${region}/`)).reduce((sum, [, row]) => sum + row.mustDetect, 0), region).toBeGreaterThan(0);
      }
    }
  });

  it('never deletes a blob file because vault.db names another blob id (a changed byte must not destroy evidence)', async () => {
    restore();
    const db = new Database(path.join(vaultDir, 'vault.db'));
    // Someone editing the file bypasses SQLite's foreign keys; so does a flipped byte.
    db.pragma('foreign_keys = OFF');
    const { blob_id: blobId } = db.prepare('SELECT blob_id FROM blobs LIMIT 1').get() as { blob_id: string };
    const forged = `${blobId.slice(0, -1)}${blobId.endsWith('0') ? '1' : '0'}`;
    db.prepare('UPDATE blobs SET blob_id = ? WHERE blob_id = ?').run(forged, blobId);
    db.close();
    const { outcome } = await unlockAndVerify();
    expect(outcome).toBe('reported');
    expect(fs.existsSync(path.join(vaultDir, 'blobs', blobId))).toBe(true);
    restore();
  });

  it('reports an audit entry whose column changed SQLite type (a flipped type byte), instead of crashing', async () => {
    restore();
    const db = new Database(path.join(vaultDir, 'vault.db'));
    db.prepare("UPDATE audit_log SET prev_hash = 'not a hash' WHERE seq = 2").run();
    db.close();
    const { outcome, detail } = await unlockAndVerify();
    expect(outcome, detail).toBe('reported');
    restore();
  });

  it('releases the vault when an unlock fails after the keys were unwrapped (a read-only file refuses the first write)', async () => {
    restore();
    const bytes = Buffer.from(pristineFiles.get('vault.db') ?? Buffer.alloc(0));
    bytes[18] = 3; // SQLite's write version: a value it does not know opens the file read-only
    fs.writeFileSync(path.join(vaultDir, 'vault.db'), bytes);
    expect((await unlockAndVerify()).outcome).toBe('refused');
    restore();
    const after = await unlockAndVerify();
    expect(after.outcome, after.detail).toBe('clean');
  });

  it('survives a flip of every byte of SQLite\'s 100-byte file header: refused or reported, or harmless, never a crash', async () => {
    const random = seededRandom(SEED);
    const crashes: string[] = [];
    for (let offset = 0; offset < 100; offset += 1) {
      restore();
      const bytes = Buffer.from(pristineFiles.get('vault.db') ?? Buffer.alloc(0));
      bytes[offset] = (bytes[offset] ?? 0) ^ random.int(1, 255);
      fs.writeFileSync(path.join(vaultDir, 'vault.db'), bytes);
      const { outcome, detail } = await unlockAndVerify();
      if (outcome === 'crash' || outcome === 'hang') crashes.push(`offset ${offset}: ${outcome} ${detail}`);
    }
    restore();
    expect(crashes).toEqual([]);
  });
});
