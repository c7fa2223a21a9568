import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { VaultService } from '../../../src/main/core/VaultService.js';
import { systemPlatform } from '../../../src/main/core/platform.js';
import { createTestVault, errorCodeOf, reopen, sampleTestimony, TEST_PASSPHRASE, type VaultFixture } from '../coreFixtures.js';

describe('key slots and the recovery key', () => {
  let fixture: VaultFixture;
  let testimonyId: string;
  let recoveryKey: string;
  const members = { amal: 'amal passphrase for the team', omar: 'omar passphrase for the team' };

  beforeAll(async () => {
    fixture = await createTestVault();
    testimonyId = fixture.service.addTestimony(sampleTestimony()).testimonyId;
    await fixture.service.addPassphraseSlot('Amal (field team)', members.amal);
    recoveryKey = fixture.service.createRecoveryKey({ replace: false }).recoveryKey;
    await fixture.service.addPassphraseSlot('Omar (archive)', members.omar);
    fixture.service.lock();
  });
  afterAll(() => fixture.cleanup());

  it('lists labels and creation dates only', async () => {
    const service = await reopen(fixture.dir);
    const slots = service.listKeySlots();
    expect(slots.map((slot) => [slot.kind, slot.label])).toEqual([
      ['passphrase', 'first passphrase'], ['passphrase', 'Amal (field team)'], ['recovery', 'recovery key'], ['passphrase', 'Omar (archive)'],
    ]);
    expect(slots.every((slot) => slot.createdAt !== null && !Number.isNaN(Date.parse(slot.createdAt)))).toBe(true);
    expect(JSON.stringify(slots)).not.toMatch(/wrapped|kdf/i);
    service.lock();
  });

  it('opens with each of the slots', async () => {
    for (const passphrase of [TEST_PASSPHRASE, members.amal, members.omar]) {
      const service = await reopen(fixture.dir, passphrase);
      expect(service.getTestimony(testimonyId).reference).toBe('SAMPLE-2025-0007');
      service.lock();
    }
    const recovered = await VaultService.openWithRecoveryKey(fixture.dir, recoveryKey.toLowerCase(), systemPlatform());
    expect(recovered.getTestimony(testimonyId).reference).toBe('SAMPLE-2025-0007');
    expect(recovered.auditLog().entries.at(-1)?.action).toBe('vault.recovered');
    recovered.lock();
  });

  it('lets the recovery key set a new passphrase, and refuses passwd on a recovery session', async () => {
    const recovered = await VaultService.openWithRecoveryKey(fixture.dir, recoveryKey, systemPlatform());
    expect(await errorCodeOf(() => recovered.changePassphrase('a brand new passphrase'))).toBe('INVALID_INPUT');
    await recovered.addPassphraseSlot('after recovery', 'the passphrase after recovery');
    recovered.lock();
    const reopened = await reopen(fixture.dir, 'the passphrase after recovery');
    expect(reopened.listKeySlots().at(-1)?.label).toBe('after recovery');
    reopened.lock();
  });

  it('catches recovery-key typos before touching the vault (no failure is counted)', async () => {
    const typo = `${recoveryKey.slice(0, 7)}${recoveryKey[7] === 'A' ? 'B' : 'A'}${recoveryKey.slice(8)}`;
    expect(await errorCodeOf(() => VaultService.openWithRecoveryKey(fixture.dir, typo, systemPlatform()))).toBe('INVALID_INPUT');
    const service = await reopen(fixture.dir);
    expect(service.failedAttemptsBeforeUnlock).toBe(0);
    service.lock();
  });

  it('refuses a second recovery key unless replacing, and a replaced key stops working', async () => {
    const service = await reopen(fixture.dir);
    expect(await errorCodeOf(() => service.createRecoveryKey({ replace: false }))).toBe('INVALID_INPUT');
    const fresh = service.createRecoveryKey({ replace: true }).recoveryKey;
    service.lock();
    expect(await errorCodeOf(() => VaultService.openWithRecoveryKey(fixture.dir, recoveryKey, systemPlatform()))).toBe('WRONG_PASSPHRASE');
    (await VaultService.openWithRecoveryKey(fixture.dir, fresh, systemPlatform())).lock();
    recoveryKey = fresh;
  });

  it('removes a slot so it no longer opens the vault, logs it, and never removes the last slot', async () => {
    const service = await reopen(fixture.dir);
    const omar = service.listKeySlots().find((slot) => slot.label === 'Omar (archive)');
    service.removeKeySlot(omar?.slotId ?? '');
    expect(service.auditLog().entries.at(-1)).toMatchObject({ action: 'key.remove', details: { slotId: omar?.slotId } });
    expect(await errorCodeOf(() => service.removeKeySlot('0'.repeat(32)))).toBe('NOT_FOUND');
    service.lock();
    expect(await errorCodeOf(() => reopen(fixture.dir, members.omar))).toBe('WRONG_PASSPHRASE');
    const again = await reopen(fixture.dir);
    const others = again.listKeySlots().filter((slot) => slot.slotId !== again.listKeySlots()[0]?.slotId);
    for (const slot of others) again.removeKeySlot(slot.slotId);
    expect(again.listKeySlots()).toHaveLength(1);
    expect(await errorCodeOf(() => again.removeKeySlot(again.listKeySlots()[0]?.slotId ?? ''))).toBe('INVALID_INPUT');
    expect((await again.verify()).ok).toBe(true);
    again.lock();
  });

  it('changes the passphrase of the slot that opened the session only', async () => {
    const service = await reopen(fixture.dir);
    await service.addPassphraseSlot('second member', 'second member passphrase');
    await service.changePassphrase('first member new passphrase');
    await service.changePassphrase('first member newer passphrase');
    service.lock();
    expect(await errorCodeOf(() => reopen(fixture.dir))).toBe('WRONG_PASSPHRASE');
    (await reopen(fixture.dir, 'first member newer passphrase')).lock();
    const second = await reopen(fixture.dir, 'second member passphrase');
    expect(second.listKeySlots().map((slot) => slot.label).sort()).toEqual(['first passphrase', 'second member']);
    second.lock();
  });
});
