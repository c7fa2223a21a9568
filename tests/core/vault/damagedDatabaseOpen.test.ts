import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemPlatform } from '../../../src/main/core/platform.js';
import { VaultService } from '../../../src/main/core/VaultService.js';
import { createTestVault, errorCodeOf, type VaultFixture } from '../coreFixtures.js';

/**
 * A vault.db damaged where SQLite only notices at the first write (the page count in its header)
 * used to leave a recovery-key open half done: unlocked, exclusive lock held, so the repaired vault
 * was "in use" until the app restarted. Every failed open must release everything.
 */
describe('a damaged vault.db is refused as corruption, and a failed open never keeps the vault locked', () => {
  let fixture: VaultFixture;
  let recoveryKey = '';
  let original: Buffer;
  const dbPath = () => path.join(fixture.dir, 'vault.db');
  const openWithRecovery = async () => {
    const service = await VaultService.openWithRecoveryKey(fixture.dir, recoveryKey, systemPlatform());
    service.lock();
    return 'NO_ERROR';
  };

  beforeAll(async () => {
    fixture = await createTestVault();
    for (let n = 0; n < 30; n += 1) fixture.service.addTestimony({ reference: `R-${n}`, title: 'x'.repeat(500), language: 'en', transcript: 'y'.repeat(3000) });
    recoveryKey = fixture.service.createRecoveryKey({ replace: false }).recoveryKey;
    fixture.service.lock();
    original = fs.readFileSync(dbPath());
  });
  afterAll(() => fixture.cleanup());

  it('after any change to the page-count byte, the restored file opens again in the same process', async () => {
    const refusals = new Map<string, number>();
    for (let mask = 1; mask < 256; mask += 1) {
      const damaged = Buffer.from(original);
      damaged.writeUInt8(damaged.readUInt8(31) ^ mask, 31);
      fs.writeFileSync(dbPath(), damaged);
      const code = await errorCodeOf(openWithRecovery);
      refusals.set(code, (refusals.get(code) ?? 0) + 1);
      fs.writeFileSync(dbPath(), original);
      expect(await errorCodeOf(openWithRecovery), `page-count byte ^ ${mask}`).toBe('NO_ERROR');
      original = fs.readFileSync(dbPath());
    }
    // Damage is refused as corruption, never as a raw SQLite error.
    expect([...refusals.keys()].filter((code) => code !== 'NO_ERROR' && code !== 'VAULT_CORRUPT')).toEqual([]);
  });

  it('refuses a changed format-version byte as corruption, not as a read-only database, and opens once it is restored', async () => {
    for (const [offset, value] of [[18, 3], [19, 3], [18, 0], [0, 0x51]] as const) {
      const damaged = Buffer.from(original);
      damaged.writeUInt8(value, offset);
      fs.writeFileSync(dbPath(), damaged);
      let message = '';
      const code = await errorCodeOf(async () => {
        try {
          await openWithRecovery();
        } catch (error) {
          message = (error as Error).message;
          throw error;
        }
      });
      expect(code, `byte ${offset} = ${value}`).toBe('VAULT_CORRUPT');
      expect(message).not.toMatch(/readonly|read-only/i);
      fs.writeFileSync(dbPath(), original);
      expect(await errorCodeOf(openWithRecovery)).toBe('NO_ERROR');
      original = fs.readFileSync(dbPath());
    }
  });
});
