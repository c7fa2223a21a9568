import { VaultError } from '../core/errors.js';
import { systemPlatform, type Logger } from '../core/platform.js';
import { CliError } from './CliError.js';
import type { CliIo } from './CliIo.js';
import type { CommandSpec } from './CommandSpec.js';
import { allCommands } from './commands/allCommands.js';
import { describeError } from './describeError.js';
import { commandHelp, globalHelp, groupHelp } from './helpText.js';
import { Output } from './Output.js';
import { packageVersion } from './packageVersion.js';
import { reportFailure } from './reportFailure.js';

/** Arguments before a `--` (after it, `--json` or `--help` would be positional values). */
function optionTokens(argv: readonly string[]): readonly string[] {
  const end = argv.indexOf('--');
  return end === -1 ? argv : argv.slice(0, end);
}

/** Core sends event names and counts only, never record text; shown with TVAULT_DEBUG=1. */
function debugLogger(io: CliIo): Logger {
  const write = (level: string) => (event: string, details?: Record<string, string | number | boolean>) => {
    io.stderr.write(`tvault: debug: ${level} ${event}${details ? ` ${JSON.stringify(details)}` : ''}\n`);
  };
  return { info: write('info'), warn: write('warn') };
}

function usage(message: string): CliError {
  return new CliError('USAGE', `${message}; run 'tvault --help'`);
}

function findCommand(argv: readonly string[]): { spec: CommandSpec; args: string[] } | { help: string } {
  const [first = '', second, ...rest] = argv;
  const group = allCommands.filter((c) => c.words[0] === first);
  if (group.length === 0) throw usage(`unknown command '${first}'`);
  const single = group.find((c) => c.words.length === 1);
  if (single) return { spec: single, args: argv.slice(1) };
  if (second === '--help' || second === '-h') return { help: groupHelp(first, group) };
  const names = group.map((c) => c.words[1]).join(', ');
  if (second === undefined) throw usage(`'${first}' needs a subcommand: ${names}`);
  const spec = group.find((c) => c.words[1] === second);
  if (!spec) throw usage(`unknown command '${first} ${second}' (known: ${names})`);
  return { spec, args: rest };
}

/** Rejects with CANCELLED when the signal fires, for commands that cannot stop cleanly mid-way. */
function cancelledBy(signal: AbortSignal, work: Promise<void>): Promise<void> {
  if (signal.aborted) return Promise.reject(new VaultError('CANCELLED', 'cancelled'));
  return new Promise<void>((resolve, reject) => {
    const onAbort = () => reject(new VaultError('CANCELLED', 'cancelled'));
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

async function dispatch(argv: readonly string[], io: CliIo, out: Output, debug: boolean): Promise<number> {
  const [first] = argv;
  if (first === undefined) throw usage('missing command');
  if (io.signal?.aborted) throw new VaultError('CANCELLED', 'cancelled');
  if (first === '--help' || first === '-h' || first === 'help') {
    io.stdout.write(globalHelp(packageVersion(), allCommands));
    return 0;
  }
  if (first === '--version' || first === '-V') {
    out.result({ version: packageVersion() }, () => io.stdout.write(`tvault ${packageVersion()}\n`));
    return 0;
  }
  if (first.startsWith('-')) throw usage(`unknown option '${first}' (options go after the command)`);
  const found = findCommand(argv);
  if ('help' in found) {
    io.stdout.write(found.help);
    return 0;
  }
  const { spec, args } = found;
  if (optionTokens(args).some((arg) => arg === '--help' || arg === '-h')) {
    io.stdout.write(commandHelp(spec));
    return 0;
  }
  const context = { spec, io, out, platform: systemPlatform(debug ? debugLogger(io) : undefined) };
  const work = spec.run(args, context);
  if (spec.cancellable || !io.signal) await work;
  else {
    // The work keeps running until the process exits; its outcome no longer matters.
    work.catch(() => undefined);
    await cancelledBy(io.signal, work);
  }
  return 0;
}

/**
 * Runs one `tvault` invocation and returns its exit code. Never throws and never prints a stack
 * (unless TVAULT_DEBUG=1 and the error is a bug). bin/tvault.mjs passes the real process; tests
 * pass strings and in-memory sinks.
 */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  const json = optionTokens(argv).includes('--json');
  const debug = io.env.TVAULT_DEBUG === '1';
  const out = new Output(io, json);
  try {
    return await dispatch(argv, io, out, debug);
  } catch (error) {
    try {
      return reportFailure(error, io, { json, debug, warnings: out.warningFields });
    } catch {
      // Even printing failed (closed stderr); the exit code still tells.
      return describeError(error).exitCode;
    }
  }
}
