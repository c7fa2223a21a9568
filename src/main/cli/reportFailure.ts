import type { CliIo } from './CliIo.js';
import { describeError } from './describeError.js';
import { terminalText } from './terminalText.js';

/**
 * Prints a failure and returns its exit code: one line on stderr, always; with --json also one
 * JSON error document on stdout. In human mode, an export's findings (refused items, leaks) come
 * first on stdout, one per line, as verify's problems do.
 * A stack appears only for internal errors and only with TVAULT_DEBUG=1.
 */
export function reportFailure(
  error: unknown,
  io: Pick<CliIo, 'stdout' | 'stderr'>,
  options: { json: boolean; debug: boolean; warnings?: Readonly<Record<string, unknown>> },
): number {
  const report = describeError(error);
  if (!options.json) for (const line of report.lines ?? []) io.stdout.write(`${terminalText(line)}\n`);
  if (report.code === 'INTERNAL') {
    io.stderr.write(`tvault: internal error: ${report.message}\n`);
    if (options.debug && report.stack) io.stderr.write(`${report.stack}\n`);
  } else {
    io.stderr.write(`tvault: ${report.message} (${report.code})\n`);
  }
  if (options.json) {
    const head = { ok: false, code: report.code, message: report.message, exitCode: report.exitCode };
    // Details and warnings (Output.warning) follow the four fixed keys and can never overwrite them.
    io.stdout.write(`${JSON.stringify(Object.assign({}, head, report.details, options.warnings, head), null, 2)}\n`);
  }
  return report.exitCode;
}
