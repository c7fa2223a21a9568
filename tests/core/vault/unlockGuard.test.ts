import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { VaultService } from '../../../src/main/core/VaultService.js';
import { silentLogger, type Platform } from '../../../src/main/core/platform.js';
import { unlockDelaySeconds } from '../../../src/main/core/vault/unlockGuard.js';
import { createTestVault, errorCodeOf, TEST_PASSPHRASE, type VaultFixture } from '../coreFixtures.js';

/** A clock the test moves, so growing delays are tested without waiting. */
function testClock(): Platform & { advance(seconds: number): void } {
  let now = Date.parse('2026-01-01T00:00:00Z');
  return { now: () => new Date(now), logger: silentLogger, advance: (seconds) => void (now += seconds * 1000) };
}

describe('failed-unlock protection', () => {
  let fixture: VaultFixture | undefined;
  afterEach(() => fixture?.cleanup());

  const guardRow = (dir: string) => {
    const db = new Database(path.join(dir, 'vault.db'), { readonly: true });
    try {
      return db.prepare('SELECT failed_attempts, wipe_after_failures FROM unlock_guard').get();
    } finally {
      db.close();
    }
  };

  it('grows the delay: two free mistakes, then 1 s, 2 s, 4 s … capped at 5 minutes', () => {
    expect([0, 1, 2, 3, 4, 5, 10, 11, 50].map(unlockDelaySeconds)).toEqual([0, 0, 1, 2, 4, 8, 256, 300, 300]);
  });

  it('counts failures durably, enforces the delay before computing, and resets on success', async () => {
    fixture = await createTestVault();
    fixture.service.lock();
    const clock = testClock();
    for (let i = 0; i < 3; i += 1) {
      expect(await errorCodeOf(() => VaultService.open(fixture?.dir ?? '', 'wrong passphrase!', clock))).toBe('WRONG_PASSPHRASE');
      clock.advance(1);
    }
    expect(guardRow(fixture.dir)).toEqual({ failed_attempts: 3, wipe_after_failures: null });
    // Three failures earn a 2 s delay: even the right passphrase is refused until it passes.
    expect(await errorCodeOf(() => VaultService.open(fixture?.dir ?? '', TEST_PASSPHRASE, clock))).toBe('UNLOCK_DELAYED');
    expect(guardRow(fixture.dir)).toEqual({ failed_attempts: 3, wipe_after_failures: null });
    clock.advance(2);
    const service = await VaultService.open(fixture.dir, TEST_PASSPHRASE, clock);
    expect(service.failedAttemptsBeforeUnlock).toBe(3);
    service.lock();
    expect(guardRow(fixture.dir)).toEqual({ failed_attempts: 0, wipe_after_failures: null });
  });

  it('with wipe-after-N on: N-1 failures do not wipe, the counter survives a restart, the Nth wipes every slot', async () => {
    fixture = await createTestVault();
    await fixture.service.addPassphraseSlot('second', 'a second passphrase here');
    fixture.service.createRecoveryKey({ replace: false });
    expect(await errorCodeOf(() => fixture?.service.setWipeAfterFailures(2))).toBe('INVALID_INPUT');
    fixture.service.setWipeAfterFailures(4);
    expect(fixture.service.wipeAfterFailures).toBe(4);
    fixture.service.lock();
    const clock = testClock();
    for (let i = 0; i < 3; i += 1) {
      clock.advance(600);
      expect(await errorCodeOf(() => VaultService.open(fixture?.dir ?? '', `wrong ${i} passphrase`, clock))).toBe('WRONG_PASSPHRASE');
    }
    // A "restart": nothing in memory carries over; the count comes from the file.
    expect(guardRow(fixture.dir)).toEqual({ failed_attempts: 3, wipe_after_failures: 4 });
    clock.advance(600);
    const survivor = await VaultService.open(fixture.dir, TEST_PASSPHRASE, clock);
    expect(survivor.failedAttemptsBeforeUnlock).toBe(3);
    survivor.lock();
    for (let i = 0; i < 3; i += 1) {
      clock.advance(600);
      expect(await errorCodeOf(() => VaultService.open(fixture?.dir ?? '', `wrong again ${i}`, clock))).toBe('WRONG_PASSPHRASE');
    }
    clock.advance(600);
    expect(await errorCodeOf(() => VaultService.open(fixture?.dir ?? '', 'the fourth wrong one', clock))).toBe('VAULT_WIPED');
    // The old slots must not linger in a WAL either.
    expect(fs.existsSync(path.join(fixture.dir, 'vault.db-wal'))).toBe(false);
    const db = new Database(path.join(fixture.dir, 'vault.db'), { readonly: true });
    expect(db.prepare('SELECT COUNT(*) AS n FROM key_slots').get()).toEqual({ n: 0 });
    db.close();
    clock.advance(600);
    expect(await errorCodeOf(() => VaultService.open(fixture?.dir ?? '', TEST_PASSPHRASE, clock))).toBe('WRONG_PASSPHRASE');
  });
});
