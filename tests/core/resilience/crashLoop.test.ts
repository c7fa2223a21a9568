import { spawn, type ChildProcess } from 'node:child_process';
import { randomInt } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { systemPlatform } from '../../../src/main/core/platform.js';
import { BLOB_TEMP_PREFIX } from '../../../src/main/core/vault/vaultPaths.js';
import { VaultService } from '../../../src/main/core/VaultService.js';
import { readAckLog } from '../../helpers/ackLog.js';
import { openAfterKill } from '../../helpers/openAfterKill.js';
import { checkAckedState, type Resolution } from '../../helpers/checkAckedState.js';
import { writeCrashFixtures } from '../../helpers/crashFixtures.js';
import { makeTempDir } from '../../helpers/makeTempDir.js';
import { seededRandom } from '../../helpers/seededRandom.js';

const REPO_ROOT = fileURLToPath(new URL('../../..', import.meta.url));
const WORKER = path.join(REPO_ROOT, 'tests', 'helpers', 'crashWorker.ts');
const PASSPHRASE = 'crash loop: several unrelated words';
// CRASH_KILLS=500 for a long soak run. CRASH_SEED replays the workload and the kill delays printed by
// an earlier run (the exact instruction a kill lands on still depends on timing).
const KILLS = Number(process.env.CRASH_KILLS ?? 50);
const SEED = Number(process.env.CRASH_SEED ?? randomInt(2 ** 31));
if (!Number.isInteger(KILLS) || KILLS < 1 || !Number.isInteger(SEED)) throw new Error('CRASH_KILLS and CRASH_SEED must be whole numbers (CRASH_KILLS at least 1)');

type RoundReport = { round: number; incomingBeforeOpen: number; orphansSwept: number; openedWithPassphrase: number; resolutions: Resolution[]; counts: Record<string, number | string>; timing: { openMs: number; checkMs: number } };

/**
 * Runs one child: waits until it has verified the previous rounds and started working, then
 * SIGKILLs it after `delayMs`. Any other ending (a failed check, a crash of its own) fails the test.
 */
function runRound(args: { vaultDir: string; ackFile: string; fixturesDir: string; round: number; delayMs: number; track: (child: ChildProcess | null) => void }): Promise<RoundReport> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', WORKER, args.vaultDir, args.ackFile], {
      cwd: REPO_ROOT,
      env: { ...process.env, TV_CRASH_PASSPHRASE: PASSPHRASE, TV_CRASH_FIXTURES: args.fixturesDir, TV_CRASH_SEED: String(SEED), TV_CRASH_ROUND: String(args.round) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    args.track(child);
    let stdout = '';
    let stderr = '';
    let report: RoundReport | undefined;
    let killedByUs = false;
    child.stderr.on('data', (data: Buffer) => {
      stderr += data.toString();
    });
    child.stdout.on('data', (data: Buffer) => {
      stdout += data.toString();
      const verified = /^VERIFIED (.*)$/m.exec(stdout);
      if (verified?.[1] && !report) report = JSON.parse(verified[1]) as RoundReport;
      if (/^WORKING$/m.test(stdout) && !killedByUs) {
        killedByUs = true;
        setTimeout(() => child.kill('SIGKILL'), args.delayMs);
      }
    });
    child.on('error', reject);
    // 'close' (not 'exit'): all of the child's output has been read, so a failure report is complete.
    child.on('close', (code, signal) => {
      args.track(null);
      if (signal === 'SIGKILL' && killedByUs && report) resolve(report);
      else reject(new Error(`round ${args.round} (seed ${SEED}): child ended with code ${code} signal ${signal}\n${stdout}\n${stderr}`));
    });
  });
}

describe('crash loop: SIGKILL at random moments never loses or corrupts acknowledged work', () => {
  const work = makeTempDir('tv-crash-');
  let running: ChildProcess | null = null;
  afterAll(() => {
    // If the test fails or times out mid-round, do not leave the child running.
    running?.kill('SIGKILL');
    work.remove();
  });

  it(`survives ${KILLS} kills`, { timeout: 120_000 + KILLS * 20_000 }, async () => {
    const random = seededRandom(SEED);
    const vaultDir = path.join(work.path, 'vault');
    const fixturesDir = path.join(work.path, 'fixtures');
    const ackFile = path.join(work.path, 'acks.jsonl');
    fs.mkdirSync(fixturesDir);
    const fixtures = writeCrashFixtures(fixturesDir, random);
    (await VaultService.create(vaultDir, PASSPHRASE, systemPlatform())).lock();

    const tally = { kills: 0, incomingSwept: 0, orphansSwept: 0, inDoubt: {} as Record<string, number>, snapshotOpens: {} as Record<string, number> };
    for (let round = 1; round <= KILLS; round += 1) {
      // Mostly anywhere in the first second; sometimes within the first op or two.
      // Every eighth round opens with a passphrase change (see crashWorker.ts): up to eight seconds, so many complete.
      const delayMs = round % 8 === 0 ? random.int(0, 8000) : random.chance(0.2) ? random.int(0, 40) : random.int(0, 1000);
      const report = await runRound({ vaultDir, ackFile, fixturesDir, round, delayMs, track: (child) => (running = child) });
      tally.kills += 1;
      if (process.env.CRASH_TRACE) console.log(JSON.stringify(report));
      tally.incomingSwept += report.incomingBeforeOpen;
      tally.orphansSwept += report.orphansSwept;
      const source = String(report.counts.snapshotSource);
      tally.snapshotOpens[source] = (tally.snapshotOpens[source] ?? 0) + 1;
      for (const resolution of report.resolutions) {
        const key = `${resolution.op}:${resolution.applied === null ? 'unknown' : resolution.applied ? 'applied' : 'not-applied'}`;
        tally.inDoubt[key] = (tally.inDoubt[key] ?? 0) + 1;
      }
    }

    // The last child was killed without a successor: the parent opens, sweeps and checks everything.
    const incomingBeforeOpen = fs.readdirSync(path.join(vaultDir, 'blobs')).filter((name) => name.startsWith(BLOB_TEMP_PREFIX)).length;
    let finalOrphans = 0;
    const lines = readAckLog(ackFile);
    const { service, openedWithPassphrase } = await openAfterKill(vaultDir, PASSPHRASE, lines, {
      now: () => new Date(),
      logger: {
        info() {},
        warn(event, details) {
          if (event === 'vault.orphanBlobsRemoved' && typeof details?.count === 'number') finalOrphans += details.count;
        },
      },
    });
    try {
      const state = await checkAckedState(service, lines, { openedWithPassphrase });
      expect(state.problems).toEqual([]);
      const integrity = service.sessionForCore.db.pragma('integrity_check', { simple: true });
      expect(integrity).toBe('ok');
      const report = await service.verify();
      expect(report.problems).toEqual([]);
      expect(report.ok).toBe(true);
      const blobFiles = fs.readdirSync(path.join(vaultDir, 'blobs')).sort();
      const blobRows = (service.sessionForCore.db.prepare('SELECT blob_id FROM blobs ORDER BY blob_id').all() as { blob_id: string }[]).map((row) => row.blob_id);
      expect(blobFiles).toEqual(blobRows);
      expect(state.counts.ackedOps).toBeGreaterThan(KILLS);

      const opsByType: Record<string, number> = {};
      for (const line of lines) if (line.k === 'ack') opsByType[line.acked.op] = (opsByType[line.acked.op] ?? 0) + 1;
      console.log(JSON.stringify({
        seed: SEED,
        kills: tally.kills,
        ackedOps: state.counts.ackedOps,
        opsByType,
        inDoubtAtKill: tally.inDoubt,
        searchSnapshotAtOpen: tally.snapshotOpens,
        finalPassphrase: openedWithPassphrase,
        incomingTempFilesSwept: tally.incomingSwept + incomingBeforeOpen,
        orphanBlobsSwept: tally.orphansSwept + finalOrphans,
        liveTestimonies: state.counts.liveTestimonies,
        liveMedia: state.counts.liveMedia,
        records: report.counts.records,
        recordVersions: report.counts.versions,
        blobs: report.counts.blobs,
        blobBytes: report.counts.blobBytes,
        auditEntries: report.counts.auditEntries,
        fixtures: fixtures.length,
      }));
    } finally {
      service.lock();
    }
  });
});
