/**
 * Argon2id cost per preset, as a user feels it at create and unlock:
 *   npx tsx bench/kdf.bench.ts [--runs 3] [--preset moderate]
 * Times deriveKeyEncryptionKey (worker start, WASM Argon2id, key hand-back) for each preset in
 * src/main/core/crypto/kdf.ts. Prints one JSON object and writes it to bench/results/kdf.json.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { peakRssBytes, resetPeakRss } from './benchSupport.js';
import { deriveKeyEncryptionKey, ensureSodium, KDF_PRESETS, newKdfParams, wipeKey, type KdfPreset } from '../src/main/core/crypto/index.js';

const MIB = 1024 * 1024;
const RESULTS_DIR = fileURLToPath(new URL('./results/', import.meta.url));
const round = (value: number, digits = 3): number => Number(value.toFixed(digits));

function parseRuns(argv: readonly string[]): number {
  const index = argv.indexOf('--runs');
  if (index === -1) return 3;
  const value = Number(argv[index + 1]);
  if (!Number.isInteger(value) || value < 1) throw new Error('--runs takes a positive whole number');
  return value;
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[middle] ?? 0) : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
}

/** VmHWM after a clear_refs reset (Linux); undefined elsewhere. Argon2id's memory lives in the worker, inside this process. */
function peakRssMiB(): number | undefined {
  const bytes = peakRssBytes();
  return bytes === undefined ? undefined : round(bytes / MIB, 1);
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const runs = parseRuns(argv);
  const only = argv.includes('--preset') ? argv[argv.indexOf('--preset') + 1] : undefined;
  const chosen = (Object.keys(KDF_PRESETS) as KdfPreset[]).filter((preset) => only === undefined || preset === only);
  if (chosen.length === 0) throw new Error(`--preset takes one of ${Object.keys(KDF_PRESETS).join(', ')}`);
  await ensureSodium();
  const presets: Record<string, unknown> = {};
  for (const preset of chosen) {
    const seconds: number[] = [];
    let peak: number | undefined;
    for (let run = 0; run < runs; run += 1) {
      // A fresh salt each run, as at create and at a passphrase change.
      const params = newKdfParams(preset);
      const canMeasure = resetPeakRss();
      const started = performance.now();
      const key = await deriveKeyEncryptionKey('benchmark passphrase, several words', params);
      seconds.push((performance.now() - started) / 1000);
      wipeKey(key);
      const runPeak = canMeasure ? peakRssMiB() : undefined;
      if (runPeak !== undefined) peak = Math.max(peak ?? 0, runPeak);
    }
    presets[preset] = {
      opsLimit: KDF_PRESETS[preset].opsLimit,
      memLimitMiB: KDF_PRESETS[preset].memLimitBytes / MIB,
      runsSeconds: seconds.map((value) => round(value)),
      medianSeconds: round(median(seconds)),
      ...(peak !== undefined ? { peakRssMiB: peak } : {}),
    };
  }
  const cpu = os.cpus();
  const result = {
    bench: 'kdf',
    at: new Date().toISOString(),
    machine: { cores: cpu.length, cpuModel: cpu[0]?.model ?? 'unknown', node: process.version, platform: `${os.platform()} ${os.release()}`, loadAverage1m: round(os.loadavg()[0] ?? 0, 2) },
    algorithm: 'argon2id13 (libsodium-wrappers-sumo, WASM, in a worker thread)',
    runs,
    presets,
  };
  process.stdout.write(`${JSON.stringify(result)}\n`);
  fs.mkdirSync(RESULTS_DIR, { recursive: true });
  fs.writeFileSync(path.join(RESULTS_DIR, 'kdf.json'), `${JSON.stringify(result, null, 2)}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
