/**
 * Media intake against the two standard tools it replaces, in one run on one file:
 *   npx tsx bench/mediaIntake.bench.ts [--size-mib 1024]
 * Baseline: `sha256sum f` and `cp f f2` (what a careful person does by hand: hash, then copy).
 * Ours: VaultService.addMedia (hash + encrypt + fsync + commit), then exportMedia and verify().
 * Before `cp` and before intake the page cache is warmed, and freed memory is held from the host
 * while the bench runs (benchSupport.ts), so both sides write into memory the VM already has.
 * Prints one JSON object and writes it to bench/results/ (git-ignored).
 */
import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { BLOB_CHUNK_BYTES, BlobOpener, BlobSealer, ensureSodium, generateKey } from '../src/main/core/crypto/index.js';
import { systemPlatform } from '../src/main/core/platform.js';
import { VaultService } from '../src/main/core/VaultService.js';
import { holdFreedPages, mbps, measurePhase, MIB, numberArgument, RESULTS_DIR, round, timeCommand, warmPageCache } from './benchSupport.js';

function parseSizeMib(argv: readonly string[]): number {
  return numberArgument(argv, '--size-mib', 1024);
}

/** Peak RSS of one phase (see benchSupport.measurePhase), with the 50 ms sampler as a cross-check. */
async function measurePeakRss<T>(work: () => Promise<T>): Promise<{ result: T; seconds: number; peakRssMiB: number; sampledPeakRssMiB: number; rssBeforeMiB: number; source: string }> {
  let sampled = process.memoryUsage.rss();
  const sampler = setInterval(() => {
    sampled = Math.max(sampled, process.memoryUsage.rss());
  }, 50);
  try {
    const phase = await measurePhase(work);
    sampled = Math.max(sampled, process.memoryUsage.rss());
    return { result: phase.result, seconds: phase.seconds, peakRssMiB: phase.peakRssMiB, sampledPeakRssMiB: round(sampled / MIB, 1), rssBeforeMiB: phase.rssBeforeMiB, source: phase.rssSource };
  } finally {
    clearInterval(sampler);
  }
}

/** Distinct 1 MiB blocks (a counter stamped into random bytes): fast to make, incompressible, never all zero. */
async function writeSourceFile(filePath: string, sizeMib: number): Promise<void> {
  const block = randomBytes(MIB);
  const handle = await fs.promises.open(filePath, 'wx', 0o600);
  try {
    for (let i = 0; i < sizeMib; i += 1) {
      block.writeUInt32LE(i, 0);
      block.writeUInt32LE(i ^ 0x5a5a5a5a, MIB / 2);
      await handle.write(block);
    }
    // Flushed now, so background writeback of the source does not slow the timed phases.
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** In-memory throughput of the two stages of intake, to tell which one bounds the pipeline. */
async function measureStages(bytes: number): Promise<{ sha256MBps: number; sealMBps: number; openMBps: number }> {
  await ensureSodium();
  const chunk = randomBytes(BLOB_CHUNK_BYTES);
  const chunks = Math.ceil(bytes / BLOB_CHUNK_BYTES);
  let started = performance.now();
  const hash = createHash('sha256');
  for (let i = 0; i < chunks; i += 1) hash.update(chunk);
  hash.digest();
  const sha256Seconds = (performance.now() - started) / 1000;

  const key = generateKey();
  const context = { vaultId: 'bench', blobId: 'bench' };
  const sealer = new BlobSealer(key, context);
  const sealed: Uint8Array[] = [];
  started = performance.now();
  for (let i = 0; i < chunks; i += 1) {
    const out = sealer.sealChunk(chunk, i === chunks - 1);
    if (i < 64) sealed.push(out);
  }
  const sealSeconds = (performance.now() - started) / 1000;

  // Opening re-reads the first 64 sealed chunks (all we kept) over and over through fresh openers.
  started = performance.now();
  let opened = 0;
  while (opened < chunks) {
    const opener = new BlobOpener(key, sealer.header, context);
    for (const sealedChunk of sealed.slice(0, Math.min(sealed.length, chunks - opened))) {
      if (opened >= chunks) break;
      opener.openChunk(sealedChunk);
      opened += 1;
    }
  }
  const openSeconds = (performance.now() - started) / 1000;
  const total = chunks * BLOB_CHUNK_BYTES;
  return { sha256MBps: mbps(total, sha256Seconds), sealMBps: mbps(total, sealSeconds), openMBps: mbps(total, openSeconds) };
}

async function main(): Promise<void> {
  const sizeMib = parseSizeMib(process.argv.slice(2));
  const sizeBytes = sizeMib * MIB;
  // Peak use: source + vault blob + exported copy (the cp copy is removed before intake), plus slack.
  const neededBytes = 3 * sizeBytes + 512 * MIB;
  const disk = fs.statfsSync(os.tmpdir());
  const freeBytes = disk.bavail * disk.bsize;
  if (freeBytes < neededBytes) {
    process.stderr.write(
      `refusing: a ${sizeMib} MiB run needs ${Math.ceil(neededBytes / MIB)} MiB free in ${os.tmpdir()}, but only ${Math.floor(freeBytes / MIB)} MiB are free.\n` +
        'Free some space, point TMPDIR at a larger disk, or pass a smaller --size-mib.\n',
    );
    process.exit(2);
  }

  const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tv-bench-intake-'));
  // Both sides write into memory the VM already holds (see holdFreedPages).
  const pageReporting = holdFreedPages();
  const warmUpBytes = sizeMib * MIB + 512 * MIB;
  try {
    const source = path.join(workDir, 'source.bin');
    const copy = path.join(workDir, 'copy.bin');
    const exported = path.join(workDir, 'exported.bin');
    const generateStarted = performance.now();
    await writeSourceFile(source, sizeMib);
    const generateSeconds = (performance.now() - generateStarted) / 1000;

    const sha = await timeCommand('sha256sum', [source]);
    const sourceSha256 = sha.stdout.split(/\s+/)[0] ?? '';
    warmPageCache(workDir, warmUpBytes);
    const cp = await timeCommand('cp', [source, copy]);
    // cp leaves the copy in the page cache; intake fsyncs its blob. Timed apart so the gap is visible.
    const cpFsync = await timeCommand('sync', [copy]);
    fs.rmSync(copy);
    const baselineSeconds = sha.seconds + cp.seconds;

    const vault = await VaultService.create(path.join(workDir, 'vault'), 'benchmark passphrase, not secret', systemPlatform());
    try {
      const testimonyId = vault.addTestimony({ reference: 'BENCH-1', title: 'Benchmark', language: 'en' }).testimonyId;
      warmPageCache(workDir, warmUpBytes);
      const intake = await measurePeakRss(() => vault.addMedia(testimonyId, source, { custodian: 'bench' }));
      if (intake.result.sha256 !== sourceSha256) throw new Error('intake SHA-256 differs from sha256sum');
      const exportRun = await measurePeakRss(() => vault.exportMedia(intake.result.id, exported));
      const exportedSize = fs.statSync(exported).size;
      if (exportedSize !== sizeBytes) throw new Error(`exported ${exportedSize} bytes, expected ${sizeBytes}`);
      fs.rmSync(exported);
      const verifyRun = await measurePeakRss(() => vault.verify());
      if (!verifyRun.result.ok) throw new Error(`verify() found problems: ${JSON.stringify(verifyRun.result.problems)}`);

      const stages = await measureStages(Math.min(sizeBytes, 512 * MIB));
      const cpu = os.cpus();
      const result = {
        bench: 'media-intake',
        at: new Date().toISOString(),
        machine: {
          cores: cpu.length,
          cpuModel: cpu[0]?.model ?? 'unknown',
          totalMemoryGiB: round(os.totalmem() / 1024 ** 3, 1),
          node: process.version,
          platform: `${os.platform()} ${os.release()}`,
          loadAverage1m: round(os.loadavg()[0] ?? 0),
        },
        sizeMiB: sizeMib,
        sizeBytes,
        generateSeconds: round(generateSeconds),
        baseline: {
          sha256sumSeconds: round(sha.seconds, 3),
          cpSeconds: round(cp.seconds, 3),
          cpThenFsyncSeconds: round(cpFsync.seconds, 3),
          sha256sumMBps: mbps(sizeBytes, sha.seconds),
          cpMBps: mbps(sizeBytes, cp.seconds),
          combinedSeconds: round(baselineSeconds, 3),
          combinedMBps: mbps(sizeBytes, baselineSeconds),
        },
        intake: {
          seconds: round(intake.seconds, 3),
          MBps: mbps(sizeBytes, intake.seconds),
          ratioToBaseline: round(baselineSeconds / intake.seconds, 3),
          ratioToBaselineWithFsync: round((baselineSeconds + cpFsync.seconds) / intake.seconds, 3),
          peakRssMiB: intake.peakRssMiB,
          sampledPeakRssMiB: intake.sampledPeakRssMiB,
          rssBeforeMiB: intake.rssBeforeMiB,
          // What intake itself adds on top of the process (Node, tsx, V8, libsodium, SQLite).
          peakGrowthMiB: round(intake.peakRssMiB - intake.rssBeforeMiB, 1),
          rssSource: intake.source,
        },
        exportMedia: {
          seconds: round(exportRun.seconds, 3),
          MBps: mbps(sizeBytes, exportRun.seconds),
          peakRssMiB: exportRun.peakRssMiB,
          peakGrowthMiB: round(exportRun.peakRssMiB - exportRun.rssBeforeMiB, 1),
        },
        verify: {
          seconds: round(verifyRun.seconds, 3),
          MBps: mbps(sizeBytes, verifyRun.seconds),
          peakRssMiB: verifyRun.peakRssMiB,
          peakGrowthMiB: round(verifyRun.peakRssMiB - verifyRun.rssBeforeMiB, 1),
          ok: verifyRun.result.ok,
        },
        stagesInMemory: { bytes: Math.min(sizeBytes, 512 * MIB), ...stages },
        pageReporting: pageReporting.setting,
      };
      const json = JSON.stringify(result);
      process.stdout.write(`${json}\n`);
      fs.mkdirSync(RESULTS_DIR, { recursive: true });
      fs.writeFileSync(path.join(RESULTS_DIR, 'media-intake.json'), `${JSON.stringify(result, null, 2)}\n`);
      fs.writeFileSync(path.join(RESULTS_DIR, `media-intake-${sizeMib}mib.json`), `${JSON.stringify(result, null, 2)}\n`);
    } finally {
      vault.lock();
    }
  } finally {
    fs.rmSync(workDir, { recursive: true, force: true });
    pageReporting.restore();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
