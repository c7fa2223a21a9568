/** What core needs from its host (CLI, Electron main, tests). Core never reaches for globals itself. */
export type Logger = {
  info(event: string, details?: Record<string, string | number | boolean>): void;
  warn(event: string, details?: Record<string, string | number | boolean>): void;
};

export type Platform = {
  /** Current time; injected so tests and audit entries are deterministic when they need to be. */
  now(): Date;
  /** Receives event names and counts only: never record text, names or keys. */
  logger: Logger;
};

export const silentLogger: Logger = { info() {}, warn() {} };

export function systemPlatform(logger: Logger = silentLogger): Platform {
  return { now: () => new Date(), logger };
}

/** Reports progress of long work; `total` is null when unknown. */
export type ProgressListener = (progress: { done: number; total: number | null; phase: string }) => void;
