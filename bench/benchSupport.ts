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

const PAGE_REPORTING_DELAY = '/sys/module/page_reporting/parameters/min_free_ms';
const HOLD_FREED_PAGES_MS = 60_000;

/** What the bench did about the VM's free page reporting (see holdFreedPages). */
export type PageReportingSetting = { minFreeMsBefore: number | null; minFreeMsDuringRun: number | null };

/**
 * In a VM with free page reporting (Firecracker here: min_free_ms 0), memory the guest frees is
 * handed back to the host at once, and touching it again costs about 4 s of system time per GiB:
 * `dd` of 1 GiB took 0.25–0.3 s into memory just freed and 3.8–4.1 s into memory handed back. A
 * side that writes its gigabyte a second after deleting the last one pays that; one that writes at
 * once does not, which swung the same command 2–3×. While the bench runs, freed memory is held for
 * 60 s before it is reported (root only; restored by the returned function).
 */
export function holdFreedPages(): { setting: PageReportingSetting; restore: () => void } {
  let before: number | null = null;
  try {
    before = Number(fs.readFileSync(PAGE_REPORTING_DELAY, 'utf8').trim());
    fs.writeFileSync(PAGE_REPORTING_DELAY, String(HOLD_FREED_PAGES_MS));
  } catch {
    return { setting: { minFreeMsBefore: before, minFreeMsDuringRun: before }, restore: () => undefined };
  }
  return {
    setting: { minFreeMsBefore: before, minFreeMsDuringRun: HOLD_FREED_PAGES_MS },
    restore: () => fs.writeFileSync(PAGE_REPORTING_DELAY, String(before)),
  };
}

/**
 * Writes and deletes `bytes` of zeros in `dir`, so that the next writes land in page cache the
 * guest already holds (see holdFreedPages). Not timed; run before each side of a comparison.
 */
export function warmPageCache(dir: string, bytes: number): void {
  const file = path.join(dir, `.page-cache-warmup-${process.pid}`);
  const block = Buffer.alloc(MIB);
  const fd = fs.openSync(file, 'wx', 0o600);
  try {
    for (let written = 0; written < bytes; written += block.length) fs.writeSync(fd, block);
  } finally {
    fs.closeSync(fd);
    fs.rmSync(file, { force: true });
  }
}
