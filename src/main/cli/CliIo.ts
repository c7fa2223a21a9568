import type { Readable } from 'node:stream';

/** Where text goes; process.stdout/stderr and the in-memory sinks used by tests both fit. */
export type TextSink = { write(text: string): unknown };

/** A readable stdin that may be a terminal (only a terminal can turn echo off). */
export type CliStdin = Readable & { setRawMode?: (mode: boolean) => unknown };

/**
 * Everything the CLI touches in its host process, passed in so tests run it in-process with
 * real files, real SQLite and real crypto, and only the terminal swapped for strings.
 */
export type CliIo = {
  stdout: TextSink;
  stderr: TextSink;
  stdin: CliStdin;
  env: Readonly<Record<string, string | undefined>>;
  isTTY: { stdin: boolean; stderr: boolean };
  /** Aborted on Ctrl-C (SIGINT) or SIGTERM; cancellable commands stop cleanly, others are cut short. */
  signal?: AbortSignal;
};
