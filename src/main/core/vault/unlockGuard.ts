import type Database from 'better-sqlite3';
import { VaultError } from '../errors.js';

type GuardRow = { failed_attempts: number; last_failure_at: string | null; wipe_after_failures: number | null };

export type UnlockGuardState = { failedAttempts: number; lastFailureAt: Date | null; wipeAfterFailures: number | null };

export const MIN_WIPE_AFTER = 3;
export const MAX_WIPE_AFTER = 100;
const MAX_DELAY_SECONDS = 300;

/** Two free mistakes; from the third consecutive failure on, 1 s, 2 s, 4 s, … up to 5 minutes. */
export function unlockDelaySeconds(failedAttempts: number): number {
  if (failedAttempts < 2) return 0;
  return Math.min(2 ** (failedAttempts - 2), MAX_DELAY_SECONDS);
}

export function readUnlockGuard(db: Database.Database): UnlockGuardState {
  const row = db.prepare('SELECT failed_attempts, last_failure_at, wipe_after_failures FROM unlock_guard WHERE singleton = 1').get() as GuardRow | undefined;
  if (!row) return { failedAttempts: 0, lastFailureAt: null, wipeAfterFailures: null };
  return {
    failedAttempts: row.failed_attempts,
    lastFailureAt: row.last_failure_at ? new Date(row.last_failure_at) : null,
    wipeAfterFailures: row.wipe_after_failures,
  };
}

/** Refuses an attempt that comes before the delay earned by the previous failures has passed. */
export function assertUnlockAllowed(guard: UnlockGuardState, now: Date): void {
  const delay = unlockDelaySeconds(guard.failedAttempts);
  if (delay === 0 || !guard.lastFailureAt) return;
  const waitMs = guard.lastFailureAt.getTime() + delay * 1000 - now.getTime();
  if (waitMs > 0) {
    throw new VaultError('UNLOCK_DELAYED', `${guard.failedAttempts} failed attempts in a row: wait ${Math.ceil(waitMs / 1000)} s before trying again`);
  }
}

/**
 * Counts a failure durably. When wipe-after-N is on and this is the Nth consecutive failure, every
 * key slot is destroyed (secure_delete zeroes the pages; the WAL is truncated) and the vault can
 * never be opened again. Returns true when that happened.
 */
export function recordUnlockFailure(db: Database.Database, now: Date): boolean {
  const guard = readUnlockGuard(db);
  const failedAttempts = guard.failedAttempts + 1;
  const wipe = guard.wipeAfterFailures !== null && failedAttempts >= guard.wipeAfterFailures;
  db.transaction(() => {
    db.prepare('UPDATE unlock_guard SET failed_attempts = ?, last_failure_at = ? WHERE singleton = 1').run(failedAttempts, now.toISOString());
    if (wipe) db.prepare('DELETE FROM key_slots').run();
  })();
  if (wipe) db.pragma('wal_checkpoint(TRUNCATE)');
  return wipe;
}

export function resetUnlockFailures(db: Database.Database): void {
  db.prepare('UPDATE unlock_guard SET failed_attempts = 0, last_failure_at = NULL WHERE singleton = 1 AND failed_attempts > 0').run();
}

export function setWipeAfterFailures(db: Database.Database, wipeAfter: number | null): void {
  if (wipeAfter !== null && (!Number.isInteger(wipeAfter) || wipeAfter < MIN_WIPE_AFTER || wipeAfter > MAX_WIPE_AFTER)) {
    throw new VaultError('INVALID_INPUT', `wipe-after must be a whole number from ${MIN_WIPE_AFTER} to ${MAX_WIPE_AFTER}, or off`);
  }
  db.prepare('UPDATE unlock_guard SET wipe_after_failures = ? WHERE singleton = 1').run(wipeAfter);
}
