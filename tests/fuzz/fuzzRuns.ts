/** Runs per property: a few hundred inside `npm test`; FUZZ_RUNS=20000 (npm run suite:fuzz) for the full sweep. */
export const FUZZ_RUNS = Number(process.env.FUZZ_RUNS ?? 200);
if (!Number.isInteger(FUZZ_RUNS) || FUZZ_RUNS < 1) throw new Error('FUZZ_RUNS must be a whole number');

/** fast-check's seed for this process, printed so a failure can be replayed with FUZZ_SEED. */
export const FUZZ_SEED = process.env.FUZZ_SEED !== undefined ? Number(process.env.FUZZ_SEED) : Math.floor(Math.random() * 2 ** 31);

/** A message a user can read: one line, not empty, no stack frame. */
export function isClearMessage(message: string): boolean {
  return message.trim().length > 0 && !message.includes('\n') && !/\bat\s+\S+\s+\(/.test(message) && message.length < 2000;
}

/** The runner's guard grows with the run count (a full run on a busy machine takes minutes); nothing asserts a duration. */
export const FUZZ_TIMEOUT_MS = 120_000 + FUZZ_RUNS * 200;
