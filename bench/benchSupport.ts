/** Helpers shared by the benchmarks: timing external tools, peak RSS, the machine, argument parsing. */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const MIB = 1024 * 1024;
export const MB = 1_000_000;
export const RESULTS_DIR = fileURLToPath(new URL('./results/', import.meta.url));

export const round = (value: number, digits = 2): number => Number(value.toFixed(digits));
export const mbps = (bytes: number, seconds: number): number => round(bytes / MB / seconds, 1);

/** `--name N` as a positive whole number, or the fallback. */
export function numberArgument(argv: readonly string[], name: string, fallback: number): number {
  const index = argv.indexOf(name);
  if (index === -1) return fallback;
  const value = Number(argv[index + 1]);
  if (!Number.isInteger(value) || value < 1) throw new Error(`${name} takes a positive whole number, e.g. ${name} ${fallback}`);
  return value;
}

/** `--name VALUE` as text, or undefined. */
export function textArgument(argv: readonly string[], name: string): string | undefined {
  const index = argv.indexOf(name);
  if (index === -1) return undefined;
  const value = argv[index + 1];
  if (value === undefined || value.startsWith('--')) throw new Error(`${name} needs a value`);
  return value;
}

export type Machine = { cores: number; cpuModel: string; totalMemoryGiB: number; node: string; platform: string };

export function machine(): Machine {
  const cpu = os.cpus();
  return {
    cores: cpu.length,
    cpuModel: cpu[0]?.model ?? 'unknown',
    totalMemoryGiB: round(os.totalmem() / 1024 ** 3, 1),
    node: process.version,
    platform: `${os.platform()} ${os.release()}`,
  };
}

export const loadAverage = (): number[] => os.loadavg().map((value) => round(value));

/** Runs a program (or `bash -o pipefail -c script`) to completion; any failure aborts the bench. */
export function timeCommand(command: string, args: readonly string[], options: { cwd?: string } = {}): Promise<{ seconds: number; stdout: string }> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'inherit'], ...(options.cwd ? { cwd: options.cwd } : {}) });
    let stdout = '';
    child.stdout.on('data', (data: Buffer) => {
      stdout += data.toString();
    });
    child.on('error', reject);
    child.on('close', (code) => {
      if (code === 0) resolve({ seconds: (performance.now() - started) / 1000, stdout });
      else reject(new Error(`${command} ${args.join(' ')} exited with ${code}`));
    });
  });
}

export const timeShell = (script: string, cwd?: string) => timeCommand('bash', ['-o', 'pipefail', '-c', script], cwd ? { cwd } : {});

/** Resets the peak-RSS counter (Linux), so a phase's peak excludes what came before it. */
export function resetPeakRss(): boolean {
  try {
    fs.writeFileSync('/proc/self/clear_refs', '5');
    return true;
  } catch {
    return false;
  }
}

/** VmHWM, the process's peak resident memory since start or the last reset (Linux); undefined elsewhere. */
export function peakRssBytes(): number | undefined {
  try {
    const match = /^VmHWM:\s+(\d+) kB$/m.exec(fs.readFileSync('/proc/self/status', 'utf8'));
    return match?.[1] ? Number(match[1]) * 1024 : undefined;
  } catch {
    return undefined;
  }
}

/** `cpuSeconds`: user plus system time of the whole process (every thread) during the phase. */
export type PhaseMeasure<T> = { result: T; seconds: number; cpuSeconds: number; peakRssMiB: number; rssBeforeMiB: number; peakGrowthMiB: number; rssSource: string };

/**
 * Time and peak resident memory of one phase. Linux: writing 5 to clear_refs resets VmHWM to the
 * current RSS, so VmHWM afterwards is the true peak. Elsewhere a 50 ms RSS sampler stands in.
 */
export async function measurePhase<T>(work: () => Promise<T>): Promise<PhaseMeasure<T>> {
  const canReset = resetPeakRss();
  const rssBefore = process.memoryUsage.rss();
  let sampled = rssBefore;
  const sampler = setInterval(() => {
    sampled = Math.max(sampled, process.memoryUsage.rss());
  }, 50);
  const started = performance.now();
  const cpuBefore = process.cpuUsage();
  let result: T;
  try {
    result = await work();
  } finally {
    clearInterval(sampler);
  }
  const seconds = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpuBefore);
  sampled = Math.max(sampled, process.memoryUsage.rss());
  const hwmBytes = canReset ? peakRssBytes() : undefined;
  const peak = hwmBytes ?? sampled;
  return {
    result,
    seconds,
    cpuSeconds: round((cpu.user + cpu.system) / 1e6, 3),
    peakRssMiB: round(peak / MIB, 1),
    rssBeforeMiB: round(rssBefore / MIB, 1),
    peakGrowthMiB: round((peak - rssBefore) / MIB, 1),
    rssSource: hwmBytes !== undefined ? 'VmHWM after clear_refs' : 'rss sampled every 50 ms',
  };
}

/** Refuses clearly, before any work, when the temp dir cannot hold the run. */
export function requireFreeSpace(neededBytes: number, what: string): void {
  const disk = fs.statfsSync(os.tmpdir());
  const freeBytes = disk.bavail * disk.bsize;
  if (freeBytes < neededBytes) {
    process.stderr.write(
      `refusing: ${what} needs ${Math.ceil(neededBytes / MIB)} MiB free in ${os.tmpdir()}, but only ${Math.floor(freeBytes / MIB)} MiB are free.\n` +
        'Free some space, point TMPDIR at a larger disk, or ask for a smaller run.\n',
    );
    process.exit(2);
  }
}

/** Prints the result as one JSON line (what the harness reads) and writes it to bench/results/<name>.json. */
export function publish(name: string, result: Record<string, unknown>): void {
  process.stdout.write(`${JSON.stringify(result)}\n`);
  fs.mkdirSync(RESULTS_DIR, { recursive: true });
  fs.writeFileSync(path.join(RESULTS_DIR, `${name}.json`), `${JSON.stringify(result, null, 2)}\n`);
}

export function runMain(main: () => Promise<void>): void {
  main().catch((error: unknown) => {
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  });
}

/**
 * Runs `work` under the V8 CPU profiler when `file` is given (a `--cpu-profile FILE` option), so a
 * profile covers the measured phase only, not the setup. Open the file in Chrome DevTools.
 */
export async function withCpuProfile<T>(file: string | undefined, work: () => Promise<T>): Promise<T> {
  if (!file) return work();
  const { Session } = await import('node:inspector/promises');
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.start');
  try {
    return await work();
  } finally {
    const { profile } = await session.post('Profiler.stop');
    fs.writeFileSync(file, JSON.stringify(profile));
    session.disconnect();
  }
}
