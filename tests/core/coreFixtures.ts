import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { VaultService } from '../../src/main/core/VaultService.js';
import { silentLogger, systemPlatform, type Platform } from '../../src/main/core/platform.js';

export const TEST_PASSPHRASE = 'correct horse battery staple';
export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** A fresh folder under the OS temp dir; removed by the returned cleanup. */
export function tempFolder(prefix = 'tv-core-'): { dir: string; cleanup: () => void } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  return { dir, cleanup: () => fs.rmSync(dir, { recursive: true, force: true }) };
}

export type VaultFixture = { service: VaultService; dir: string; cleanup: () => void };

/** A new vault in a temp folder; tests may replace `service` after a reopen, cleanup locks whichever is current. */
export async function createTestVault(): Promise<VaultFixture> {
  const folder = tempFolder();
  const dir = path.join(folder.dir, 'vault');
  const fixture: VaultFixture = {
    service: await VaultService.create(dir, TEST_PASSPHRASE, systemPlatform()),
    dir,
    cleanup: () => {
      if (!fixture.service.isLocked) fixture.service.lock();
      folder.cleanup();
    },
  };
  return fixture;
}

/**
 * A clock that jumps an hour at every reading, so the growing delay after failed unlocks never
 * holds up a test that tries wrong passphrases on purpose (tests of the delay use their own clock).
 */
let patientHours = 0;
export function patientPlatform(): Platform {
  return { now: () => new Date(Date.now() + (patientHours += 1) * 3_600_000), logger: silentLogger };
}

export function reopen(dir: string, passphrase = TEST_PASSPHRASE): Promise<VaultService> {
  return VaultService.open(dir, passphrase, patientPlatform());
}

/** The sample testimony from shared/examples (kept in tests/fixtures so the suite runs anywhere). */
export function sampleTestimony(): Record<string, unknown> {
  return JSON.parse(fs.readFileSync(path.join(repoRoot, 'tests/fixtures/testimony.json'), 'utf8')) as Record<string, unknown>;
}

/** The VaultError code an action throws, or 'NO_ERROR'; async actions are awaited. */
export async function errorCodeOf(action: () => unknown): Promise<string> {
  try {
    await action();
  } catch (error) {
    return (error as { code?: string }).code ?? `UNCODED: ${(error as Error).message}`;
  }
  return 'NO_ERROR';
}
