/**
 * The benchmark harness: every benchmark in its own child process, one after the other, each
 * figure beside its baseline measured in the same run.
 *   npm run bench                       full: 100k-testimony search, 1 GiB intake, export of 1,000 + 1 GiB
 *   npm run bench -- --quick            small: 2,000 testimonies, 64 MiB media, 50 export testimonies
 *   npm run bench -- --search-docs N    search corpus size (default 100000, or 2000 with --quick)
 *   npm run bench -- --only intake,export   a subset of: search, intake, export, verify, kdf
 * Writes bench/results.json (machine, load average at start and end, every figure, the raw output
 * of each bench) and prints a table. The 1 GiB benches load both cores for minutes: on a shared
 * machine, say so beside the figures (the load average is recorded for that reason).
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { loadAverage, machine, numberArgument, round, textArgument } from './benchSupport.js';

const BENCH_DIR = path.dirname(fileURLToPath(import.meta.url));
const RESULTS_FILE = path.join(BENCH_DIR, 'results.json');
const BENCH_NAMES = ['search', 'intake', 'export', 'verify', 'kdf'] as const;
type BenchName = (typeof BENCH_NAMES)[number];

type Sizes = { searchDocs: number; intakeMib: number; exportDocs: number; exportMediaMib: number; kdfRuns: number };
const FULL: Sizes = { searchDocs: 100_000, intakeMib: 1024, exportDocs: 1000, exportMediaMib: 1024, kdfRuns: 3 };
const QUICK: Sizes = { searchDocs: 2000, intakeMib: 64, exportDocs: 50, exportMediaMib: 64, kdfRuns: 1 };

type Json = Record<string, unknown>;
type Row = { figure: string; ours: string; baseline: string; ratio: string; goal: string };
type BenchRun = { ok: boolean; seconds: number; loadAverageAtStart: number[]; loadAverageAtEnd: number[]; error?: string; result?: Json };

/**
 * Our benches run as one bundled JavaScript file under plain Node, as the app runs compiled code:
 * under tsx, the loader's own thread and on-the-fly compilation add about 40 MiB to every RSS
 * figure. The bundle sits beside the sources (so `./results/` and `../tests/` still resolve) and is
 * removed afterwards. The search bench, which re-runs its own .ts file in child processes, runs under tsx.
 */
async function compileBench(file: string): Promise<string> {
  const outfile = path.join(BENCH_DIR, `.${path.basename(file, '.ts')}.bundle.mjs`);
  await build({ entryPoints: [path.join(BENCH_DIR, file)], outfile, bundle: true, platform: 'node', format: 'esm', packages: 'external', logLevel: 'warning' });
  return outfile;
}

/** Runs a bench in a child process; the result is the last JSON line it prints, or `resultFile` if given. */
async function runBench(file: string, args: readonly string[], options: { resultFile?: string; underTsx?: boolean } = {}): Promise<Json> {
  const script = options.underTsx ? path.join(BENCH_DIR, file) : await compileBench(file);
  try {
    return await runScript(script, args, options.underTsx ?? false, options.resultFile);
  } finally {
    if (!options.underTsx) fs.rmSync(script, { force: true });
  }
}

function runScript(script: string, args: readonly string[], underTsx: boolean, resultFile?: string): Promise<Json> {
  const file = path.basename(script);
  return new Promise((resolve, reject) => {
    const startedAt = Date.now();
    const child = spawn(process.execPath, [...(underTsx ? ['--import', 'tsx'] : []), script, ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
    let stdout = '';
    child.stdout.on('data', (data: Buffer) => {
      stdout += data.toString();
    });
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) return reject(new Error(`${file} ${args.join(' ')} exited with ${code}`));
      try {
        if (resultFile) {
          if (fs.statSync(resultFile).mtimeMs < startedAt) throw new Error(`${file} did not write ${resultFile}`);
          resolve(JSON.parse(fs.readFileSync(resultFile, 'utf8')) as Json);
        } else {
          resolve(JSON.parse(stdout.trim().split('\n').at(-1) ?? '') as Json);
        }
      } catch (error) {
        reject(error instanceof Error ? error : new Error(String(error)));
      }
    });
  });
}

// Reading figures out of each bench's JSON, which this harness does not own the shape of.
function at(value: unknown, ...keys: string[]): unknown {
  let current = value;
  for (const key of keys) current = current && typeof current === 'object' ? (current as Json)[key] : undefined;
  return current;
}
const num = (value: unknown): number | undefined => (typeof value === 'number' && Number.isFinite(value) ? value : undefined);
const fmt = (value: number | undefined, unit: string, digits = 0): string => (value === undefined ? '—' : `${value.toFixed(digits)} ${unit}`);
const times = (value: number | undefined): string => (value === undefined ? '—' : `${value.toFixed(2)}×`);

const SEARCH_TYPES = ['singleTerm', 'twoTerm', 'phrase', 'prefix', 'aliasExpanded', 'filteredFaceted', 'tolerant'];

function searchRows(result: Json): Row[] {
  const rows: Row[] = [];
  for (const type of SEARCH_TYPES) {
    const ours = at(result, 'ours', 'latency', type);
    const plain = at(result, 'plaintext', 'latency', type);
    const rg = at(result, 'ripgrep', 'latency', type);
    const oursP95 = num(at(ours, 'p95Ms'));
    const plainP95 = num(at(plain, 'p95Ms'));
    rows.push({
      figure: `search ${type} p50 / p95`,
      ours: `${fmt(num(at(ours, 'p50Ms')), 'ms', 1)} / ${fmt(oursP95, 'ms', 1)}`,
      baseline: `FTS5 ${fmt(num(at(plain, 'p50Ms')), 'ms', 0)} / ${fmt(plainP95, 'ms', 0)}${rg ? `; rg ${fmt(num(at(rg, 'p50Ms')), 'ms', 0)}` : ''}`,
      ratio: times(oursP95 !== undefined && plainP95 ? oursP95 / plainP95 : undefined),
      goal: 'p95 ≤ 25 ms',
    });
  }
  rows.push({ figure: 'unlock to first result', ours: fmt(num(at(result, 'ours', 'unlockToFirstResultMs')), 'ms'), baseline: '—', ratio: '—', goal: '≤ 2000 ms' });
  rows.push({ figure: 'search peak RSS', ours: fmt(num(at(result, 'ours', 'peakRssMiB')), 'MiB'), baseline: '—', ratio: '—', goal: '≤ 1536 MiB' });
  return rows;
}

function intakeRows(result: Json): Row[] {
  const size = num(at(result, 'sizeMiB'));
  return [
    {
      figure: `media intake ${size ?? '?'} MiB`,
      ours: fmt(num(at(result, 'intake', 'MBps')), 'MB/s'),
      baseline: `sha256sum + cp ${fmt(num(at(result, 'baseline', 'combinedMBps')), 'MB/s')}`,
      ratio: times(num(at(result, 'intake', 'ratioToBaseline'))),
      goal: '≥ 0.80×',
    },
    {
      figure: 'media intake peak RSS (process; intake adds)',
      ours: `${fmt(num(at(result, 'intake', 'peakRssMiB')), 'MiB')} (+${fmt(num(at(result, 'intake', 'peakGrowthMiB')), 'MiB')})`,
      baseline: '—',
      ratio: '—',
      goal: '≤ 150 MiB',
    },
    { figure: 'media export to a file', ours: fmt(num(at(result, 'exportMedia', 'MBps')), 'MB/s'), baseline: `cp ${fmt(num(at(result, 'baseline', 'cpMBps')), 'MB/s')}`, ratio: '—', goal: '—' },
    { figure: 'vault verify() of that blob', ours: fmt(num(at(result, 'verify', 'MBps')), 'MB/s'), baseline: `sha256sum ${fmt(num(at(result, 'baseline', 'sha256sumMBps')), 'MB/s')}`, ratio: '—', goal: '—' },
  ];
}

function exportRows(result: Json): Row[] {
  const baseline = num(at(result, 'baseline', 'seconds'));
  const sync = num(at(result, 'baseline', 'syncSeconds'));
  return [
    {
      figure: `export ${num(at(result, 'docs')) ?? '?'} testimonies + ${num(at(result, 'mediaMiB')) ?? '?'} MiB`,
      ours: `${fmt(num(at(result, 'ours', 'seconds')), 's', 2)} (${fmt(num(at(result, 'ours', 'MBps')), 'MB/s')})`,
      baseline: `tar \\| age -r ${fmt(baseline, 's', 2)} (+ sync ${fmt(sync, 's', 2)})`,
      ratio: times(num(at(result, 'ratio', 'oursToBaselineWithSync'))),
      goal: '≤ 1.5×',
    },
    { figure: 'export peak RSS (process; export adds)', ours: `${fmt(num(at(result, 'ours', 'peakRssMiB')), 'MiB')} (+${fmt(num(at(result, 'ours', 'peakGrowthMiB')), 'MiB')})`, baseline: '—', ratio: '—', goal: '—' },
  ];
}

function verifyRows(result: Json): Row[] {
  return [{
    figure: `bundle verification (${fmt((num(at(result, 'bundleBytes')) ?? 0) / 1024 ** 2, 'MiB')})`,
    ours: fmt(num(at(result, 'ours', 'seconds')), 's', 2),
    baseline: `sha256sum -c ${fmt(num(at(result, 'baseline', 'seconds')), 's', 2)}`,
    ratio: times(num(at(result, 'ratio', 'oursToBaseline'))),
    goal: '—',
  }];
}

function kdfRows(result: Json): Row[] {
  const moderate = at(result, 'presets', 'moderate');
  return [{
    figure: 'Argon2id, default (moderate: 3 ops, 256 MiB)',
    ours: `${fmt(num(at(moderate, 'medianSeconds')), 's', 2)}, peak ${fmt(num(at(moderate, 'peakRssMiB')), 'MiB')}`,
    baseline: '—',
    ratio: '—',
    goal: 'memory-hard by design',
  }];
}

function printTable(rows: readonly Row[]): void {
  const header: Row = { figure: 'Figure', ours: 'Ours', baseline: 'Baseline (same run)', ratio: 'Ratio', goal: 'Goal' };
  const keys = Object.keys(header) as (keyof Row)[];
  const widths = keys.map((key) => Math.max(...[header, ...rows].map((row) => row[key].length)));
  const line = (row: Row) => `| ${keys.map((key, i) => row[key].padEnd(widths[i] ?? 0)).join(' | ')} |`;
  process.stdout.write(`${line(header)}\n|${widths.map((width) => '-'.repeat(width + 2)).join('|')}|\n${rows.map(line).join('\n')}\n`);
}

/** The search bench's JSON holds the hit count of every query three times over; the table does not need them. */
function withoutTotals(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutTotals);
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).filter(([key]) => key !== 'totals').map(([key, inner]) => [key, withoutTotals(inner)]));
  return value;
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const quick = argv.includes('--quick');
  const base = quick ? QUICK : FULL;
  const sizes: Sizes = { ...base, searchDocs: numberArgument(argv, '--search-docs', base.searchDocs) };
  const onlyText = textArgument(argv, '--only');
  const only = onlyText ? onlyText.split(',').map((name) => name.trim()) : [...BENCH_NAMES];
  const unknown = only.filter((name) => !(BENCH_NAMES as readonly string[]).includes(name));
  if (unknown.length > 0) throw new Error(`--only takes a comma-separated subset of ${BENCH_NAMES.join(', ')}; unknown: ${unknown.join(', ')}`);
  const selected = BENCH_NAMES.filter((name) => only.includes(name));

  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'tv-bench-run-'));
  const bundleDir = path.join(work, 'bundle');
  const loadAtStart = loadAverage();
  const startedAt = new Date();
  const runs: Partial<Record<BenchName, BenchRun>> = {};
  const plans: Record<BenchName, () => Promise<Json>> = {
    search: () => runBench('search.bench.ts', ['--docs', String(sizes.searchDocs)], { resultFile: path.join(BENCH_DIR, 'results', 'search.json'), underTsx: true }),
    intake: () => runBench('mediaIntake.bench.ts', ['--size-mib', String(sizes.intakeMib)]),
    export: () => runBench('exportBundle.bench.ts', ['--docs', String(sizes.exportDocs), '--media-mib', String(sizes.exportMediaMib), '--keep-bundle', bundleDir]),
    // Verifies the bundle the export bench just made, or makes its own when run without it.
    verify: () => runBench('verifyBundle.bench.ts', fs.existsSync(bundleDir) ? ['--bundle', bundleDir] : ['--docs', String(sizes.exportDocs), '--media-mib', String(sizes.exportMediaMib)]),
    kdf: () => runBench('kdf.bench.ts', ['--runs', String(sizes.kdfRuns), '--preset', 'moderate']),
  };
  try {
    for (const name of selected) {
      process.stderr.write(`[bench] ${name}: starting (load average ${loadAverage().join(' ')})\n`);
      const started = performance.now();
      const loadBefore = loadAverage();
      try {
        const result = await plans[name]();
        runs[name] = { ok: true, seconds: round((performance.now() - started) / 1000, 1), loadAverageAtStart: loadBefore, loadAverageAtEnd: loadAverage(), result };
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        runs[name] = { ok: false, seconds: round((performance.now() - started) / 1000, 1), loadAverageAtStart: loadBefore, loadAverageAtEnd: loadAverage(), error: message };
        process.stderr.write(`[bench] ${name} FAILED: ${message}\n`);
      }
      process.stderr.write(`[bench] ${name}: ${runs[name]?.ok ? 'done' : 'failed'} in ${runs[name]?.seconds ?? 0} s\n`);
    }
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }

  const rowsFor: Record<BenchName, (result: Json) => Row[]> = { search: searchRows, intake: intakeRows, export: exportRows, verify: verifyRows, kdf: kdfRows };
  const table = selected.flatMap((name) => {
    const run = runs[name];
    if (!run?.ok || !run.result) return [{ figure: name, ours: 'FAILED', baseline: run?.error ?? '', ratio: '—', goal: '—' }];
    const load = ` [load ${run.loadAverageAtStart[0] ?? '?'}→${run.loadAverageAtEnd[0] ?? '?'}]`;
    return rowsFor[name](run.result).map((row, index) => (index === 0 ? { ...row, figure: `${row.figure}${load}` } : row));
  });
  const summary = {
    at: startedAt.toISOString(),
    mode: quick ? 'quick' : 'full',
    sizes,
    machine: { ...machine(), loadAverageAtStart: loadAtStart, loadAverageAtEnd: loadAverage() },
    table,
    benches: Object.fromEntries(Object.entries(runs).map(([name, run]) => [name, { ...run, result: withoutTotals(run.result) }])),
  };
  fs.writeFileSync(RESULTS_FILE, `${JSON.stringify(summary, null, 2)}\n`);
  const info = summary.machine;
  process.stdout.write(`\nTestimony Vault benchmarks (${summary.mode}), ${summary.at}\n`);
  process.stdout.write(`${String(info.cores)} cores (${String(info.cpuModel)}), ${String(info.totalMemoryGiB)} GiB, Node ${String(info.node)}, ${String(info.platform)}; load average ${loadAtStart.join(' ')} at start, ${info.loadAverageAtEnd.join(' ')} at end\n\n`);
  printTable(table);
  process.stdout.write(`\nWritten to ${path.relative(process.cwd(), RESULTS_FILE)}; each bench's own JSON is in bench/results/.\n`);
  if (Object.values(runs).some((run) => !run.ok)) process.exitCode = 1;
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
