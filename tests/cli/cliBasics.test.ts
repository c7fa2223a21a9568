import fs from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import { AgeError } from '../../src/main/core/crypto/AgeError.js';
import { VaultError } from '../../src/main/core/errors.js';
import { BundleError } from '../../src/main/core/export/BundleError.js';
import { ExportError } from '../../src/main/core/export/ExportError.js';
import type { ExportReport } from '../../src/main/core/export/exportReport.js';
import { RedactionPlanError } from '../../src/main/core/redaction/RedactionPlanError.js';
import { CliError } from '../../src/main/cli/CliError.js';
import { allCommands } from '../../src/main/cli/commands/allCommands.js';
import { describeError } from '../../src/main/cli/describeError.js';
import { EXIT_CODES } from '../../src/main/cli/exitCodes.js';
import { createProgressBar } from '../../src/main/cli/progressBar.js';
import { readJsonFile } from '../../src/main/cli/readJsonFile.js';
import { readPassphrase, type PassphraseSource } from '../../src/main/cli/readPassphrase.js';
import { ReportedError } from '../../src/main/cli/ReportedError.js';
import { reportFailure } from '../../src/main/cli/reportFailure.js';
import { terminalText } from '../../src/main/cli/terminalText.js';
import { cli, expectFailure, expectJsonFailure, jsonOf, makeTempDir, okJson, repoRoot, TEST_PASSPHRASE } from './cliHarness.js';

// Everything here runs without unlocking a vault, so it is fast.
const temp = makeTempDir();
afterAll(() => temp.remove());

const packageVersion = (JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as { version: string }).version;

describe('help and version', () => {
  it('prints the global help with every command and the exit-code table', async () => {
    const run = await cli(['--help']);
    expect(run.code).toBe(0);
    expect(run.stderr).toBe('');
    for (const command of allCommands) expect(run.stdout).toContain(`  ${command.words.join(' ')} `);
    for (const [code, { exit }] of Object.entries(EXIT_CODES)) expect(run.stdout).toMatch(new RegExp(`^\\s+${exit}\\s+${code}\\s`, 'm'));
  });

  it.each(allCommands.map((command) => [command.words.join(' '), command] as const))('`tvault %s --help` shows its usage', async (_name, command) => {
    const run = await cli([...command.words, '--help']);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(`Usage: tvault ${command.usage}`);
    expect(run.stdout).toContain('--json');
  });

  it('shows the subcommands of a group', async () => {
    const run = await cli(['media', '--help']);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/media add[\s\S]*media list[\s\S]*media get/);
  });

  it('prints the version from package.json, as text and as JSON', async () => {
    const text = await cli(['--version']);
    expect(text).toEqual({ code: 0, stdout: `tvault ${packageVersion}\n`, stderr: '' });
    expect(okJson(await cli(['--version', '--json'])).version).toBe(packageVersion);
  });
});

describe('usage errors (exit 2, one line, no vault touched)', () => {
  it.each([
    [[], /missing command/],
    [['frobnicate'], /unknown command 'frobnicate'/],
    [['--frob'], /unknown option '--frob'/],
    [['testimony'], /'testimony' needs a subcommand: add, show/],
    [['testimony', 'frob'], /unknown command 'testimony frob'/],
    [['testimony', 'list'], /missing argument; usage: tvault testimony list <dir>/],
    [['testimony', 'list', 'a', 'b'], /unexpected argument 'b'/],
    [['testimony', 'list', 'a', '--frob'], /unknown option '--frob'/],
    [['testimony', 'show', 'a', 'id', '--version', 'two'], /--version must be a positive whole number/],
    [['testimony', 'show', 'a', 'id', '--version'], /--version.*argument missing/],
    [['init', 'x', '--kdf', 'weak'], /--kdf must be one of moderate, strong, sensitive/],
    [['vocab', 'list', 'x', '--scheme', 'place'], /--scheme must be one of facility, perpetratorUnit, violation/],
    [['vocab', 'add', 'x', '--en', 'Branch 1'], /--scheme is required/],
    [['vocab', 'add', 'x', '--scheme', 'facility'], /give --en, --ar or both/],
    [['media', 'get', 'x', 'id'], /--out <file> is required/],
    [['media', 'add', 'x', 'id'], /missing argument/],
    [['media', 'add', 'x', 'id', 'f', '--custodian', ' '], /--custodian must not be empty/],
  ])('%j', async (argv, message) => {
    const line = expectFailure(await cli(argv), 'USAGE');
    expect(line).toMatch(message);
  });

  it('also prints a JSON error document with --json', async () => {
    const document = expectJsonFailure(await cli(['testimony', 'list', 'a', '--frob', '--json']), 'USAGE');
    expect(document.message).toContain("'--frob'");
  });

  it('treats --help after `--` as a value, not a request for help', async () => {
    const run = await cli(['testimony', 'show', path.join(temp.path, 'none'), '--', '--help']);
    expectFailure(run, 'VAULT_NOT_FOUND');
  });
});

describe('errors found before any unlock', () => {
  it('reports a missing vault', async () => {
    const line = expectFailure(await cli(['testimony', 'list', path.join(temp.path, 'nowhere')]), 'VAULT_NOT_FOUND');
    expect(line).toContain(path.join(temp.path, 'nowhere'));
  });

  it('refuses to init over a non-empty folder', async () => {
    fs.writeFileSync(path.join(temp.path, 'something'), 'x');
    expectFailure(await cli(['init', temp.path]), 'VAULT_EXISTS');
  });

  it('refuses to init with a weak passphrase, and creates nothing', async () => {
    const dir = path.join(temp.path, 'weak');
    expectFailure(await cli(['init', dir], { env: { TVAULT_PASSPHRASE: 'short' } }), 'WEAK_PASSPHRASE');
    expect(fs.existsSync(dir)).toBe(false);
  });

  it('fails with NO_PASSPHRASE when there is no file, no variable and no terminal', async () => {
    const dir = path.join(temp.path, 'nopass');
    const run = await cli(['init', dir, '--json'], { env: { TVAULT_PASSPHRASE: undefined } });
    expectJsonFailure(run, 'NO_PASSPHRASE');
    expect(run.stderr).toContain('TVAULT_PASSPHRASE');
    expect(fs.existsSync(dir)).toBe(false);
    // An empty variable counts as unset.
    expectFailure(await cli(['init', dir], { env: { TVAULT_PASSPHRASE: '' } }), 'NO_PASSPHRASE');
  });

  it('reports a missing passphrase file', async () => {
    expectFailure(await cli(['init', path.join(temp.path, 'pf'), '--passphrase-file', path.join(temp.path, 'absent')]), 'FILE_NOT_FOUND');
  });

  it('stops at once when already cancelled (Ctrl-C before start)', async () => {
    const controller = new AbortController();
    controller.abort();
    const dir = path.join(temp.path, 'cancelled');
    expectFailure(await cli(['init', dir], { signal: controller.signal }), 'CANCELLED');
    expect(fs.existsSync(dir)).toBe(false);
  });
});

describe('readPassphrase', () => {
  const source = (file: string | undefined): PassphraseSource => ({
    file, envName: 'TVAULT_PASSPHRASE', fileOption: '--passphrase-file', question: 'Passphrase: ', confirm: false,
  });
  const io = (env: Record<string, string>) => ({
    stdout: { write: () => true }, stderr: { write: () => true }, stdin: Readable.from([]), env, isTTY: { stdin: false, stderr: false },
  });

  it('takes the first line of the file, without its line ending, before the variable', async () => {
    const file = path.join(temp.path, 'pass.txt');
    fs.writeFileSync(file, 'first line passphrase\r\nsecond line\n');
    await expect(readPassphrase(io({ TVAULT_PASSPHRASE: 'from the environment' }), source(file))).resolves.toBe('first line passphrase');
  });

  it('falls back to the variable', async () => {
    await expect(readPassphrase(io({ TVAULT_PASSPHRASE: 'from the environment' }), source(undefined))).resolves.toBe('from the environment');
  });

  it('refuses an empty file', async () => {
    const file = path.join(temp.path, 'empty.txt');
    fs.writeFileSync(file, '\n');
    await expect(readPassphrase(io({}), source(file))).rejects.toMatchObject({ code: 'NO_PASSPHRASE' });
  });

  it('never puts the passphrase in an error message', async () => {
    const error = await readPassphrase(io({}), source(undefined)).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(CliError);
    expect(String((error as Error).message)).not.toContain(TEST_PASSPHRASE);
  });
});

describe('readJsonFile', () => {
  it('accepts a UTF-8 byte-order mark', () => {
    const file = path.join(temp.path, 'bom.json');
    fs.writeFileSync(file, '\uFEFF{"name": "x"}');
    expect(readJsonFile(file)).toEqual({ name: 'x' });
  });

  it('reports where the JSON breaks without quoting the content', () => {
    const file = path.join(temp.path, 'broken.json');
    fs.writeFileSync(file, '{\n  "transcript": "SECRET-WORDS" "more"\n}');
    const error = (() => {
      try {
        readJsonFile(file);
        return undefined;
      } catch (caught) {
        return caught as CliError;
      }
    })();
    expect(error?.code).toBe('BAD_JSON');
    expect(error?.message).toMatch(/line 2, column \d+/);
    expect(error?.message).not.toContain('SECRET-WORDS');
  });
});

describe('error classification and printing', () => {
  it('maps VaultError, CliError and system errors to their exit codes', () => {
    expect(describeError(new VaultError('WRONG_PASSPHRASE', 'wrong passphrase'))).toMatchObject({ code: 'WRONG_PASSPHRASE', exitCode: 10 });
    expect(describeError(new CliError('BAD_JSON', 'x'))).toMatchObject({ code: 'BAD_JSON', exitCode: 41 });
    let systemError: unknown;
    try {
      fs.readFileSync(path.join(temp.path, 'missing-file'));
    } catch (caught) {
      systemError = caught;
    }
    expect(describeError(systemError)).toMatchObject({ code: 'FILE_NOT_FOUND', exitCode: 43 });
  });

  it('prints a bug as one "internal error" line, with the stack only under TVAULT_DEBUG=1', () => {
    const capture = () => {
      const sink = { stdout: '', stderr: '' };
      return { sink, io: { stdout: { write: (t: string) => (sink.stdout += t) }, stderr: { write: (t: string) => (sink.stderr += t) } } };
    };
    const quiet = capture();
    expect(reportFailure(new TypeError('cannot read x of undefined'), quiet.io, { json: true, debug: false })).toBe(70);
    expect(quiet.sink.stderr).toBe('tvault: internal error: cannot read x of undefined\n');
    expect(JSON.parse(quiet.sink.stdout)).toEqual({ ok: false, code: 'INTERNAL', message: 'cannot read x of undefined', exitCode: 70 });
    const debug = capture();
    reportFailure(new TypeError('boom'), debug.io, { json: false, debug: true });
    expect(debug.sink.stderr).toMatch(/^tvault: internal error: boom\nTypeError: boom\n\s+at /);
  });

  it('gives export, plan and bundle errors their own exit codes, also an age error that arrives unwrapped', () => {
    expect(describeError(new ExportError('CONTROL_PREFIX_INVALID', 'bad prefix'))).toMatchObject({ code: 'CONTROL_PREFIX_INVALID', exitCode: 55, details: {} });
    expect(describeError(new RedactionPlanError('PLAN_STALE', 'stale'))).toMatchObject({ code: 'PLAN_STALE', exitCode: 57 });
    expect(describeError(new BundleError('PAYLOAD_HASH_MISMATCH', 'changed'))).toMatchObject({ code: 'PAYLOAD_HASH_MISMATCH', exitCode: 82 });
    expect(describeError(new AgeError('AGE_CHUNK_AUTH', 'bad chunk'))).toMatchObject({ code: 'AGE_CHUNK_AUTH', exitCode: 102 });
    const wrapped = describeError(new ReportedError(new BundleError('UNKNOWN_SIGNER', 'another key'), { checks: [{ name: 'signature', ok: false }] }));
    expect(wrapped).toMatchObject({ code: 'UNKNOWN_SIGNER', exitCode: 75, message: 'another key', details: { checks: [{ name: 'signature', ok: false }] } });
  });

  it("prints an export's refused items and leak findings (ids, categories, files; never text) before the one error line", () => {
    const report: ExportReport = {
      bundleId: 'b'.repeat(32), outDir: '/tmp/x', profile: 'icc', createdAt: '2026-01-01T00:00:00.000Z', items: [], payload: null, signer: null,
      refused: [{ testimonyId: 'a'.repeat(32), code: 'CONSENT_WITHDRAWN', reason: 'consent was withdrawn' }],
      leaks: [{ file: 'testimonies/TV-000001.json', category: 'witness-name', needleId: 'witness-name-1', pseudonym: '[WITNESS-1]', variant: 'normalised' }],
      fileProblems: [{ file: 'media/TV-000001-1.jpg', problem: 'an APP1 segment' }],
    };
    const sink = { stdout: '', stderr: '' };
    const io = { stdout: { write: (t: string) => (sink.stdout += t) }, stderr: { write: (t: string) => (sink.stderr += t) } };
    expect(reportFailure(new ExportError('LEAK_DETECTED', 'the leak check stopped the export', report), io, { json: false, debug: false })).toBe(53);
    expect(sink.stdout).toBe([
      `refused: ${'a'.repeat(32)} CONSENT_WITHDRAWN: consent was withdrawn`,
      'leak: witness-name [WITNESS-1] in testimonies/TV-000001.json (normalised, witness-name-1)',
      'problem: media/TV-000001-1.jpg: an APP1 segment',
      '',
    ].join('\n'));
    expect(sink.stderr).toBe('tvault: the leak check stopped the export (LEAK_DETECTED)\n');
    const json = { stdout: '', stderr: '' };
    reportFailure(new ExportError('LEAK_DETECTED', 'stopped', report), { stdout: { write: (t: string) => (json.stdout += t) }, stderr: { write: (t: string) => (json.stderr += t) } }, { json: true, debug: false });
    expect(JSON.parse(json.stdout)).toEqual({ ok: false, code: 'LEAK_DETECTED', message: 'stopped', exitCode: 53, refused: report.refused, leaks: report.leaks, fileProblems: report.fileProblems });
  });

  it('keeps error messages on one line', () => {
    expect(describeError(new VaultError('INVALID_INPUT', 'line one\nline two')).message).toBe('line one line two');
  });

  it('gives every code its own exit code, all in the shell range', () => {
    const exits = Object.values(EXIT_CODES).map((entry) => entry.exit);
    expect(new Set(exits).size).toBe(exits.length);
    for (const exit of exits) expect(exit > 1 && exit < 256).toBe(true);
  });

  it('docs/CLI.md lists exactly the exit codes of EXIT_CODES', () => {
    const doc = fs.readFileSync(path.join(repoRoot, 'docs/CLI.md'), 'utf8');
    const rows = [...doc.matchAll(/^\| (\d+) \| ([A-Z_]+) \|/gm)].map((m) => [m[2], Number(m[1])]);
    const expected = [['OK', 0], ...Object.entries(EXIT_CODES).map(([code, { exit }]) => [code, exit])];
    expect(Object.fromEntries(rows)).toEqual(Object.fromEntries(expected));
  });
});

describe('terminal safety', () => {
  it('replaces escape sequences and other controls, keeping newlines, tabs and Arabic', () => {
    expect(terminalText('a\u001b[31mred\u0007\u009b b\tc\nسجن')).toBe('a\uFFFD[31mred\uFFFD\uFFFD b\tc\nسجن');
  });
});

describe('progress bar', () => {
  it('draws on a terminal, throttled, always showing completion, and clears its line', () => {
    let clock = 0;
    let written = '';
    const bar = createProgressBar({ write: (t: string) => (written += t) }, { enabled: true, label: 'a.m4a', unit: 'bytes', now: () => clock });
    bar.update({ done: 0, total: 2 * 1024 * 1024, phase: 'encrypting' });
    clock = 50;
    bar.update({ done: 1024 * 1024, total: 2 * 1024 * 1024, phase: 'encrypting' }); // within 100 ms: skipped
    expect(written.split('\r').length - 1).toBe(1);
    clock = 200;
    bar.update({ done: 1024 * 1024, total: 2 * 1024 * 1024, phase: 'encrypting' });
    expect(written).toContain('a.m4a encrypting [############------------]  50% 1.0 MiB/2.0 MiB');
    clock = 210;
    bar.update({ done: 2 * 1024 * 1024, total: 2 * 1024 * 1024, phase: 'encrypting' }); // completion is never skipped
    expect(written).toContain('100%');
    bar.finish();
    expect(written.endsWith('\r\u001b[2K')).toBe(true);
  });

  it('writes nothing when disabled (no terminal, or --json)', () => {
    let written = '';
    const bar = createProgressBar({ write: (t: string) => (written += t) }, { enabled: false, label: 'x', unit: 'items' });
    bar.update({ done: 1, total: 1, phase: 'records' });
    bar.finish();
    expect(written).toBe('');
  });

  it('counts items and copes with an unknown total', () => {
    let written = '';
    const bar = createProgressBar({ write: (t: string) => (written += t) }, { enabled: true, label: 'verify', unit: 'items' });
    bar.update({ done: 7, total: null, phase: 'records' });
    expect(written).toBe('\r\u001b[2Kverify records 7');
  });
});

it('jsonOf refuses output that is not one JSON document', () => {
  expect(() => jsonOf({ code: 0, stdout: '{}\n{}', stderr: '' })).toThrow();
});
