/**
 * Bundle verification against `sha256sum -c`, on one bundle, in one run:
 *   npx tsx bench/verifyBundle.bench.ts --bundle DIR
 *   npx tsx bench/verifyBundle.bench.ts [--docs 50] [--media-mib 64]   (builds a bundle first, with the export bench)
 * Ours: verifyBundle (minisign signature, manifest, SHA256SUMS, README and viewer, age header and
 * recipients, payload size and SHA-256), in this fresh process, libsodium loading included.
 * Baseline: `sha256sum -c SHA256SUMS` in the bundle folder (the file hashes only, no signature).
 * Prints one JSON line and writes bench/results/verify.json.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { verifyBundle } from '../src/main/core/export/verifyBundle.js';
import { loadAverage, machine, mbps, measurePhase, numberArgument, publish, round, runMain, textArgument, timeCommand } from './benchSupport.js';

const EXPORT_BENCH = fileURLToPath(new URL('./exportBundle.bench.ts', import.meta.url));

function buildBundle(bundleDir: string, docs: number, mediaMib: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', EXPORT_BENCH, '--docs', String(docs), '--media-mib', String(mediaMib), '--keep-bundle', bundleDir], { stdio: ['ignore', 'ignore', 'inherit'] });
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`the export bench exited with ${code}`))));
  });
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const given = textArgument(argv, '--bundle');
  const scratch = given ? null : fs.mkdtempSync(path.join(os.tmpdir(), 'tv-bench-verify-'));
  try {
    const bundleDir = given ? path.resolve(given) : path.join(scratch ?? '', 'bundle');
    if (!given) await buildBundle(bundleDir, numberArgument(argv, '--docs', 50), numberArgument(argv, '--media-mib', 64));
    const loadAtStart = loadAverage();
    const bytes = fs.readdirSync(bundleDir).reduce((sum, name) => sum + fs.statSync(path.join(bundleDir, name)).size, 0);

    const ours = await measurePhase(() => verifyBundle(bundleDir));
    if (!ours.result.ok) throw new Error(`verifyBundle refused the bundle: ${ours.result.code ?? ''} ${ours.result.message ?? ''}`);
    const baseline = await timeCommand('sha256sum', ['-c', '--quiet', 'SHA256SUMS'], { cwd: bundleDir });

    publish('verify', {
      bench: 'verify',
      at: new Date().toISOString(),
      machine: machine(),
      loadAverageAtStart: loadAtStart,
      loadAverageAtEnd: loadAverage(),
      bundleBytes: bytes,
      checks: ours.result.checks.length,
      ours: { seconds: round(ours.seconds, 3), MBps: mbps(bytes, ours.seconds), peakRssMiB: ours.peakRssMiB, peakGrowthMiB: ours.peakGrowthMiB },
      baseline: { command: 'sha256sum -c SHA256SUMS', seconds: round(baseline.seconds, 3), MBps: mbps(bytes, baseline.seconds) },
      ratio: { oursToBaseline: round(ours.seconds / baseline.seconds, 2) },
    });
  } finally {
    if (scratch) fs.rmSync(scratch, { recursive: true, force: true });
  }
}

runMain(main);
