import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dispatchIpc } from '../../src/main/electron/ipcHandlers.js';
import { CHANNELS } from '../../src/shared/ipc/channels.js';
import { CONTRACT } from '../../src/shared/ipc/contract.js';
import { IPC_TEST_PASSPHRASE, ipcFixture, type IpcFixture } from '../electron/ipcFixtures.js';
import { FUZZ_RUNS, FUZZ_SEED, FUZZ_TIMEOUT_MS, isClearMessage } from './fuzzRuns.js';

/*
 * Random payloads through the real handler table (dispatchIpc, as ipcMain calls it) over a real,
 * unlocked vault. A payload the contract refuses must come back as INVALID_INPUT, well-formed, and
 * the vault must be exactly as before: same records, same audit head, same failed-unlock count,
 * still unlocked. Payloads the contract happens to accept are skipped (they are validated input).
 */
const KEYS = ['id', 'version', 'patch', 'passphrase', 'newPassphrase', 'testimonyId', 'query', 'scheme', 'ids', 'profile', 'outDir', 'plan', 'label', 'slotId', 'jobId', 'path', 'paths', 'text', 'limit', 'offset', 'filters', '__proto__', 'constructor'];
const hostileValue = fc.oneof(
  fc.constantFrom('', 'x'.repeat(5000), '0'.repeat(32), 'f'.repeat(32), '../../etc/passwd', '/etc/passwd', 'صيدنايا', '\u0000', 'javascript:alert(1)', NaN, Infinity, -1, 2 ** 53, -0, null, true, [], {}),
  fc.anything({ maxDepth: 3 }),
);
const payload = fc.oneof(
  fc.anything({ maxDepth: 3, withBigInt: true, withDate: true, withMap: true, withSet: true, withTypedArray: true, withNullPrototype: true }),
  fc.dictionary(fc.constantFrom(...KEYS), hostileValue, { maxKeys: 4 }),
  fc.constantFrom(undefined, null, 0, '', [], {}, () => 1, Symbol('s')),
);

describe('property: IPC payloads never reach core unvalidated', () => {
  let fixture: IpcFixture;

  beforeAll(async () => {
    fixture = ipcFixture('tv-ipc-fuzz-');
    const created = await fixture.handlers['vault:create']({ passphrase: IPC_TEST_PASSPHRASE });
    expect(created.ok).toBe(true);
    const added = await fixture.handlers['testimony:create']({ reference: 'FZ-1', title: 'شهادة', language: 'ar', transcript: 'نص' });
    expect(added.ok).toBe(true);
  });
  afterAll(() => fixture.cleanup());

  function vaultFingerprint(): string {
    const service = fixture.ctx.state.service;
    if (!service || service.isLocked) return 'locked';
    const db = service.sessionForCore.db;
    return JSON.stringify([
      db.prepare('SELECT COUNT(*) AS n FROM records').get(),
      db.prepare('SELECT COUNT(*) AS n FROM record_fields').get(),
      db.prepare('SELECT audit_head_seq, hex(audit_head_hash) AS h FROM vault_meta').get(),
      db.prepare('SELECT failed_attempts FROM unlock_guard').get(),
      db.prepare('SELECT COUNT(*) AS n FROM key_slots').get(),
    ]);
  }

  it('answers every refused payload on every channel with a well-formed INVALID_INPUT and leaves the vault unchanged', { timeout: FUZZ_TIMEOUT_MS }, async () => {
    const before = vaultFingerprint();
    expect(before).not.toBe('locked');
    const tally = { refused: 0, acceptedSkipped: 0 };
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...CHANNELS), payload, async (channel, input) => {
        let accepted: boolean;
        try {
          accepted = CONTRACT[channel].input.safeParse(input).success;
        } catch {
          accepted = false;
        }
        if (accepted) {
          tally.acceptedSkipped += 1;
          return;
        }
        const result = await dispatchIpc(fixture.handlers, channel, input);
        if (!result) throw new Error(`${channel} was dropped as an unknown channel`);
        expect(Object.keys(result).sort()).toEqual(['code', 'message', 'ok']);
        expect(result).toMatchObject({ ok: false, code: 'INVALID_INPUT' });
        if (!result.ok) expect(isClearMessage(result.message), result.message).toBe(true);
        expect(vaultFingerprint()).toBe(before);
        tally.refused += 1;
      }),
      { numRuns: FUZZ_RUNS * 10, seed: FUZZ_SEED },
    );
    console.log(`fuzz IPC (seed ${FUZZ_SEED}): ${tally.refused} refused payloads over ${CHANNELS.length} channels, all INVALID_INPUT, vault unchanged; ${tally.acceptedSkipped} accepted by the contract (skipped)`);
    expect(tally.refused).toBeGreaterThan(FUZZ_RUNS);
  });

  it('drops every channel name outside the contract without running anything', { timeout: FUZZ_TIMEOUT_MS }, async () => {
    const before = vaultFingerprint();
    await fc.assert(
      fc.asyncProperty(fc.oneof(fc.string(), fc.anything(), fc.constantFrom('vault:Unlock', 'vault:unlock ', 'testimony:delete\u0000', '__proto__', 'constructor', 'toString')), payload, async (channel, input) => {
        fc.pre(!(CHANNELS as readonly unknown[]).includes(channel));
        expect(dispatchIpc(fixture.handlers, channel, input)).toBeUndefined();
      }),
      { numRuns: FUZZ_RUNS * 2, seed: FUZZ_SEED },
    );
    expect(vaultFingerprint()).toBe(before);
  });
});
