import type { Platform } from '../core/platform.js';
import type { CliIo } from './CliIo.js';
import type { Output } from './Output.js';

export type CommandContext = {
  /** The command being run (its usage line goes into usage errors). */
  spec: CommandSpec;
  io: CliIo;
  out: Output;
  platform: Platform;
};

/** One `tvault` command. Each lives in its own file under commands/ and parses its own options. */
export type CommandSpec = {
  /** `['testimony', 'add']` for `tvault testimony add`. */
  words: readonly [string] | readonly [string, string];
  summary: string;
  /** The usage line without the leading `tvault`, e.g. `testimony add <dir> <file.json>`. */
  usage: string;
  /** Option and argument help, one entry per line, shown by `--help`. */
  help: readonly string[];
  /**
   * True when the command honours `io.signal` itself and cleans up (media add). Other commands
   * are cut short on Ctrl-C: their writes are single SQLite transactions, so nothing half-done stays.
   */
  cancellable: boolean;
  /** Throws CliError or VaultError on failure; returning means exit 0. */
  run(args: string[], context: CommandContext): Promise<void>;
};

/** Identity helper so each command file gets its object checked against the type. */
export function defineCommand(spec: CommandSpec): CommandSpec {
  return spec;
}
