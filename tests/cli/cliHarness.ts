import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';
import { EXIT_CODES, type ErrorCode } from '../../src/main/cli/exitCodes.js';
import { runCli } from '../../src/main/cli/runCli.js';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const binPath = path.join(repoRoot, 'bin/tvault.mjs');
export const TEST_PASSPHRASE = 'correct horse battery staple, cli edition';

export function fixture(name: string): string {
  return path.join(repoRoot, 'tests/fixtures/cli', name);
}

export type CliRun = { code: number; stdout: string; stderr: string };
export type CliRunOptions = {
  /** Merged over `{ TVAULT_PASSPHRASE: TEST_PASSPHRASE }`; an undefined value removes the variable. */
  env?: Record<string, string | undefined>;
  stderrIsTTY?: boolean;
  signal?: AbortSignal;
  /** Sees every stderr write as it happens (to press Ctrl-C at a given progress phase). */
  onStderr?: (text: string) => void;
};

function buildEnv(overrides: Record<string, string | undefined> = {}): Record<string, string> {
  const merged: Record<string, string | undefined> = { TVAULT_PASSPHRASE: TEST_PASSPHRASE, ...overrides };
  return Object.fromEntries(Object.entries(merged).filter((entry): entry is [string, string] => entry[1] !== undefined));
}

/** Runs the CLI in this process: real vault, real SQLite, real Argon2id; only the terminal is strings. */
export async function cli(argv: string[], options: CliRunOptions = {}): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  const code = await runCli(argv, {
    stdout: { write: (text: string) => (stdout += text) },
    stderr: {
      write: (text: string) => {
        stderr += text;
        options.onStderr?.(text);
      },
    },
    stdin: Readable.from([]),
    env: buildEnv(options.env),
    isTTY: { stdin: false, stderr: options.stderrIsTTY ?? false },
    ...(options.signal ? { signal: options.signal } : {}),
  });
  return { code, stdout, stderr };
}

/** Spawns the real `bin/tvault.mjs` with node, as a user (or a script) would. */
export function spawnTvault(args: string[], options: { env?: Record<string, string | undefined>; cwd?: string } = {}): Promise<CliRun> {
  const env = { ...process.env };
  delete env.TVAULT_PASSPHRASE;
  delete env.TVAULT_NEW_PASSPHRASE;
  delete env.TVAULT_DEBUG;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [binPath, ...args], { cwd: options.cwd ?? repoRoot, env: { ...env, ...buildEnv(options.env) }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}

// A real pseudo-terminal through util-linux `script`, to prove the prompt never echoes.
export const hasScript = (() => {
  try {
    execFileSync('script', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

export type PtyStep = { expect: string; send: string };

/** Runs bin/tvault.mjs on a pseudo-terminal, answering each prompt once it has appeared. */
export function runInPty(args: string[], steps: PtyStep[], env: Record<string, string | undefined> = {}): Promise<{ code: number; output: string }> {
  const command = [process.execPath, binPath, ...args].map((arg) => `'${arg.replaceAll("'", "'\\''")}'`).join(' ');
  const childEnv = { ...process.env, ...env };
  for (const [key, value] of Object.entries(env)) if (value === undefined) delete childEnv[key];
  return new Promise((resolve, reject) => {
    const child = spawn('script', ['-qefc', command, '/dev/null'], { env: childEnv, stdio: ['pipe', 'pipe', 'pipe'] });
    let output = '';
    let next = 0;
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const step = steps[next];
      // Answer only once the prompt is shown, i.e. once echo is already off.
      if (step && output.split(step.expect).length - 1 > steps.slice(0, next).filter((s) => s.expect === step.expect).length) {
        next += 1;
        child.stdin.write(step.send);
      }
    });
    child.on('error', reject);
    child.on('close', (code) => {
      child.stdin.end();
      resolve({ code: code ?? -1, output });
    });
  });
}

/** The one JSON document on stdout (JSON.parse throws on anything more or less). */
export function jsonOf(run: CliRun): Record<string, unknown> {
  const parsed: unknown = JSON.parse(run.stdout);
  expect(parsed).toBeTypeOf('object');
  return parsed as Record<string, unknown>;
}

/** Succeeded, printed nothing on stderr in JSON mode, and returned `{ ok: true, ... }`. */
export function okJson(run: CliRun): Record<string, unknown> {
  expect(run.stderr, run.stderr).toBe('');
  expect(run.code).toBe(0);
  const document = jsonOf(run);
  expect(document.ok).toBe(true);
  return document;
}

/** Failed with `code`: its own exit code, exactly one stderr line naming the code, and no stack trace. */
export function expectFailure(run: CliRun, code: ErrorCode): string {
  expect(run.code, `stderr: ${run.stderr}`).toBe(EXIT_CODES[code].exit);
  const lines = run.stderr.split('\n').filter((line) => line.length > 0);
  expect(lines, run.stderr).toHaveLength(1);
  const [line = ''] = lines;
  expect(line).toMatch(new RegExp(`^tvault: .+ \\(${code}\\)$`));
  expect(run.stderr).not.toMatch(/^\s+at /m);
  expect(run.stdout).not.toMatch(/^\s+at /m);
  return line;
}

/** Like expectFailure, for a `--json` run: also the error document on stdout. */
export function expectJsonFailure(run: CliRun, code: ErrorCode): Record<string, unknown> {
  expectFailure(run, code);
  const document = jsonOf(run);
  expect(document).toMatchObject({ ok: false, code, exitCode: EXIT_CODES[code].exit });
  expect(document.message).toBeTypeOf('string');
  return document;
}

export type TempDir = { path: string; remove(): void };

export function makeTempDir(prefix = 'tv-cli-'): TempDir {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  return { path: dir, remove: () => fs.rmSync(dir, { recursive: true, force: true }) };
}

/** Creates a vault through `tvault init` (one Argon2id run); the suite reuses it. */
export async function initVault(root: TempDir, name = 'vault'): Promise<string> {
  const dir = path.join(root.path, name);
  const run = await cli(['init', dir, '--json']);
  okJson(run);
  return dir;
}

/** Adds the sample testimony (or `file`) and returns its id. */
export async function addTestimony(dir: string, file = fixture('testimony.json')): Promise<string> {
  const document = okJson(await cli(['testimony', 'add', dir, file, '--json']));
  expect(document.id).toMatch(/^[0-9a-f]{32}$/);
  return document.id as string;
}

export function writeJson(root: TempDir, name: string, value: unknown): string {
  const file = path.join(root.path, name);
  fs.writeFileSync(file, JSON.stringify(value));
  return file;
}
