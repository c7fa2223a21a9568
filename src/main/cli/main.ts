import { runCli } from './runCli.js';

/**
 * The process entry (bin/tvault.mjs loads it): wires the real terminal, turns Ctrl-C and SIGTERM
 * into an abort, and exits with runCli's code. Everything else lives in runCli, which tests call.
 */
const controller = new AbortController();
let interrupted = false;
const onSignal = (): void => {
  // A second Ctrl-C means "now": leave at once (SQLite rolls back any open transaction on next open).
  if (interrupted) process.exit(130);
  interrupted = true;
  controller.abort();
};
process.on('SIGINT', onSignal);
process.on('SIGTERM', onSignal);
// `tvault testimony list | head -1` closes the pipe early; that is not an error worth a stack.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(0);
});

const exitCode = await runCli(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  stdin: process.stdin,
  env: process.env,
  isTTY: { stdin: process.stdin.isTTY === true, stderr: process.stderr.isTTY === true },
  signal: controller.signal,
});
// Exit now: a cut-short command may still have a worker or a handle running. On Linux, writes to
// pipes, files and terminals are synchronous, so nothing printed is lost.
process.exit(exitCode);
