import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli, expectFailure, expectJsonFailure, hasScript, initVault, makeTempDir, runInPty, TEST_PASSPHRASE } from './cliHarness.js';

// Failed-unlock warnings and delays, and `settings --wipe-after`, in order, on one vault.
const temp = makeTempDir();
let dir = '';
// Longer than any passphrase may be: refused without a key derivation, yet counted as a failed attempt.
const WRONG = 'x'.repeat(1025);
const CONFIRM = '--yes-i-understand-this-is-irreversible';

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const wrongAttempt = () => cli(['key', 'list', dir], { env: { TVAULT_PASSPHRASE: WRONG } });

beforeAll(async () => {
  dir = await initVault(temp);
});
afterAll(() => temp.remove());

describe('failed unlock attempts', () => {
  it('are reported by the next successful unlock, in one warning line on stderr', async () => {
    expectFailure(await wrongAttempt(), 'WRONG_PASSPHRASE');
    const run = await cli(['settings', dir]);
    expect(run).toEqual({
      code: 0,
      stdout: 'wipe-after: off (wrong passphrases only make the next attempts wait longer)\ncontrol-number prefix: TV (numbering continues under it; no control number is ever issued twice)\n',
      stderr: 'tvault: warning: 1 failed unlock attempt since the last successful one\n',
    });
  });

  it('two in a row make the next attempt wait: UNLOCK_DELAYED is one line, exit 14', async () => {
    expectFailure(await wrongAttempt(), 'WRONG_PASSPHRASE');
    expectFailure(await wrongAttempt(), 'WRONG_PASSPHRASE');
    const line = expectFailure(await cli(['key', 'list', dir]), 'UNLOCK_DELAYED');
    expect(line).toBe('tvault: 2 failed attempts in a row: wait 1 s before trying again (UNLOCK_DELAYED)');
  });

  it('with --json the count is a field of the document, also of an error document', async () => {
    await pause(1100);
    const document = expectJsonFailure(await cli(['key', 'remove', dir, '0'.repeat(32), '--json']), 'NOT_FOUND');
    expect(document.failedAttemptsBeforeUnlock).toBe(2);
  });
});

describe('settings --wipe-after', () => {
  it.each([
    [['--wipe-after', '5'], /add --yes-i-understand-this-is-irreversible/],
    [['--wipe-after', '2'], /--wipe-after must be off or a whole number from 3 to 100/],
    [['--wipe-after', '101', CONFIRM], /from 3 to 100/],
    [['--wipe-after', 'ten', CONFIRM], /from 3 to 100/],
    [[CONFIRM], /goes with --wipe-after N/],
  ])('refuses %j before unlocking', async (options, message) => {
    expect(expectFailure(await cli(['settings', dir, ...options]), 'USAGE')).toMatch(message);
  });

  it('turns on with the flag, warning what it does and does not do; turns off again', async () => {
    const run = await cli(['settings', dir, '--wipe-after', '4', CONFIRM]);
    expect(run.code).toBe(0);
    expect(run.stdout).toBe('wipe-after: 4 (4 consecutive failed unlocks destroy every key slot)\ncontrol-number prefix: TV (numbering continues under it; no control number is ever issued twice)\n');
    expect(run.stderr).toMatch(/^tvault: warning: after 4 consecutive wrong passphrases .*every key slot.* is destroyed for good: the vault can then only come back from a backup$/m);
    expect(run.stderr).toMatch(/^tvault: warning: this does not protect against someone who copies the disk first/m);
    const off = await cli(['settings', dir, '--wipe-after', 'off', '--json']);
    expect(off).toMatchObject({ code: 0, stderr: '' });
    expect(JSON.parse(off.stdout)).toEqual({ ok: true, wipeAfterFailures: null, controlNumberPrefix: 'TV', changed: true });
  });

  it.skipIf(!hasScript)('on a terminal, asks to type "wipe" after the warning', async () => {
    const env = { TVAULT_PASSPHRASE: TEST_PASSPHRASE };
    const declined = await runInPty(['settings', dir, '--wipe-after', '3'], [{ expect: 'Type "wipe" to confirm: ', send: 'yes\r' }], env);
    expect(declined.output).toContain('copies the disk first');
    expect(declined.output).toContain('tvault: not confirmed; nothing was changed (CANCELLED)');
    expect(declined.code).toBe(130);
    const accepted = await runInPty(['settings', dir, '--wipe-after', '3'], [{ expect: 'Type "wipe" to confirm: ', send: 'wipe\r' }], env);
    expect(accepted.output).toContain('wipe-after: 3 (3 consecutive failed unlocks destroy every key slot)');
    expect(accepted.code).toBe(0);
  });

  it.skipIf(!hasScript)('then the third failure in a row destroys every key slot: VAULT_WIPED, exit 15', async () => {
    expectFailure(await wrongAttempt(), 'WRONG_PASSPHRASE');
    expectFailure(await wrongAttempt(), 'WRONG_PASSPHRASE');
    await pause(1100);
    const line = expectFailure(await wrongAttempt(), 'VAULT_WIPED');
    expect(line).toMatch(/every key slot of this vault has been destroyed/);
    const db = new Database(path.join(dir, 'vault.db'), { readonly: true });
    try {
      expect(db.prepare('SELECT count(*) AS n FROM key_slots').get()).toEqual({ n: 0 });
    } finally {
      db.close();
    }
  });
});
