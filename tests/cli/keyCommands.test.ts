import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli, expectFailure, expectJsonFailure, hasScript, initVault, makeTempDir, okJson, runInPty, TEST_PASSPHRASE } from './cliHarness.js';

// Key slots, the recovery key and `recover`, in order, on one vault (every unlock costs a second).
const temp = makeTempDir();
let dir = '';
const AMAL = 'amal passphrase for the field team';
const RECOVERED = 'the passphrase set with the recovery key';

type Slot = { slotId: string; kind: 'passphrase' | 'recovery'; label: string | null; createdAt: string | null };
const slots = { first: '', amal: '', recovered: '' };
let recoveryKey = '';

/** The groups of the printed block, as a person copies them: line by line. */
function keyLinesOf(stdout: string): string[] {
  return stdout.split('\n').filter((line) => /^ {4}[0-9A-Z]{5}(-[0-9A-Z]{5})*$/.test(line)).map((line) => line.trim());
}

beforeAll(async () => {
  dir = await initVault(temp);
});
afterAll(() => temp.remove());

describe('key list and key add', () => {
  it('lists the first slot with its id, kind, label and creation date, and nothing else', async () => {
    const listed = okJson(await cli(['key', 'list', dir, '--json'])).slots as Slot[];
    expect(listed).toHaveLength(1);
    const [first] = listed;
    expect(Object.keys(first ?? {}).sort()).toEqual(['createdAt', 'kind', 'label', 'slotId']);
    expect(first).toMatchObject({ slotId: expect.stringMatching(/^[0-9a-f]{32}$/), kind: 'passphrase', label: 'first passphrase' });
    expect(Date.parse(first?.createdAt ?? '')).not.toBeNaN();
    slots.first = first?.slotId ?? '';
  });

  it.each([
    [['--recovery', '--label', 'x'], /--label does not go with --recovery/],
    [['--recovery', '--kdf', 'strong'], /--kdf does not go with --recovery/],
    [['--replace', '--label', 'x'], /--replace goes with --recovery only/],
    [[], /--label is required/],
    [['--label', '  '], /--label must not be empty/],
    [['--label', 'x', '--kdf', 'weak'], /--kdf must be one of/],
  ])('refuses `key add %j` before unlocking', async (options, message) => {
    expect(expectFailure(await cli(['key', 'add', dir, ...options]), 'USAGE')).toMatch(message);
  });

  it('adds a member passphrase, which then opens the vault', async () => {
    const run = await cli(['key', 'add', dir, '--label', 'Amal (field team)'], { env: { TVAULT_NEW_PASSPHRASE: AMAL } });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    slots.amal = /^added key slot ([0-9a-f]{32}) \(passphrase, "Amal \(field team\)"\)\n$/.exec(run.stdout)?.[1] ?? '';
    expect(slots.amal).not.toBe('');
    const list = await cli(['key', 'list', dir], { env: { TVAULT_PASSPHRASE: AMAL } });
    expect(list.code).toBe(0);
    expect(list.stdout).toMatch(/^SLOT +KIND +CREATED +LABEL$/m);
    expect(list.stdout).toMatch(new RegExp(`^${slots.first} +passphrase +\\S+ +first passphrase$`, 'm'));
    expect(list.stdout).toMatch(new RegExp(`^${slots.amal} +passphrase +\\S+ +Amal \\(field team\\)$`, 'm'));
  });
});

describe('the recovery key', () => {
  it('is in the JSON document with --json, and is not replaced without --replace', async () => {
    const created = okJson(await cli(['key', 'add', dir, '--recovery', '--json']));
    expect(created).toEqual({ ok: true, slotId: expect.stringMatching(/^[0-9a-f]{32}$/), recoveryKey: expect.stringMatching(/^[0-9A-Z]{5}(-[0-9A-Z]{5}){13}$/), replaced: false });
    expect(expectFailure(await cli(['key', 'add', dir, '--recovery']), 'INVALID_INPUT')).toContain('--replace');
  });

  it('is printed once as a block of 14 groups with what to do with it; --replace voids the old one', async () => {
    const run = await cli(['key', 'add', dir, '--recovery', '--replace']);
    expect(run.code).toBe(0);
    const lines = keyLinesOf(run.stdout);
    expect(lines.map((line) => line.split('-').length)).toEqual([5, 5, 4]);
    expect(run.stdout).toMatch(/^RECOVERY KEY for vault [0-9a-f]{32}$/m);
    expect(run.stdout).toContain('Write it down or print it');
    expect(run.stdout).toContain('Keep it apart from this laptop');
    expect(run.stdout).toContain('Anyone who holds it can open');
    expect(run.stderr).toBe('tvault: the previous recovery key no longer opens the vault\n');
    recoveryKey = lines.join('\n');
    // Nothing of it was written into the vault folder or next to it.
    const flat = recoveryKey.replaceAll('\n', '-');
    for (const name of fs.readdirSync(temp.path, { recursive: true }) as string[]) {
      const file = path.join(temp.path, name);
      if (fs.statSync(file).isFile()) expect(fs.readFileSync(file).includes(flat)).toBe(false);
    }
  });
});

describe('recover', () => {
  it('refuses a recovery key with a typo and names the group, before touching the vault', async () => {
    const groups = recoveryKey.split(/[\n-]/);
    const third = groups[2] ?? '';
    groups[2] = `${third[0] === 'A' ? 'B' : 'A'}${third.slice(1)}`;
    const run = await cli(['recover', dir, '--json'], { env: { TVAULT_RECOVERY_KEY: groups.join('-'), TVAULT_NEW_PASSPHRASE: RECOVERED } });
    expect(expectJsonFailure(run, 'INVALID_INPUT').message).toMatch(/^group 3 of the recovery key has a typo/);
  });

  it('needs a source for the recovery key', async () => {
    expect(expectFailure(await cli(['recover', dir]), 'NO_PASSPHRASE')).toContain('TVAULT_RECOVERY_KEY');
  });

  it('opens with the right key (from a file, lower case, over three lines) and adds the new passphrase', async () => {
    const file = path.join(temp.path, 'typed-recovery-key.txt');
    fs.writeFileSync(file, `${recoveryKey.toLowerCase()}\n`, { mode: 0o600 });
    const run = await cli(['recover', dir, '--recovery-key-file', file, '--json'], { env: { TVAULT_NEW_PASSPHRASE: RECOVERED } });
    fs.rmSync(file);
    const document = okJson(run);
    expect(document).toEqual({ ok: true, slotId: expect.stringMatching(/^[0-9a-f]{32}$/), kind: 'passphrase', label: expect.stringMatching(/^set with the recovery key \d{4}-\d{2}-\d{2}$/), kdf: 'moderate' });
    slots.recovered = document.slotId as string;
  });
});

describe('key remove', () => {
  it.skipIf(!hasScript)('on a terminal, asks first; anything but "remove" keeps the slot', async () => {
    const result = await runInPty(['key', 'remove', dir, slots.amal], [{ expect: 'Type "remove" to confirm: ', send: 'no\r' }], { TVAULT_PASSPHRASE: TEST_PASSPHRASE });
    expect(result.output).toContain(`Remove key slot ${slots.amal} (passphrase, "Amal (field team)")?`);
    expect(result.output).toContain('tvault: not confirmed; nothing was removed (CANCELLED)');
    expect(result.code).toBe(130);
  });

  it('removes a slot without asking when not on a terminal (it was kept above); the new passphrase opened the vault to do it', async () => {
    const run = await cli(['key', 'remove', dir, slots.amal], { env: { TVAULT_PASSPHRASE: RECOVERED } });
    // No warning line either: the recovery-key typo above never counted as a failed attempt.
    expect(run).toEqual({ code: 0, stdout: `removed key slot ${slots.amal} (passphrase, "Amal (field team)")\n`, stderr: '' });
  });

  it('the removed passphrase no longer opens the vault', async () => {
    expectFailure(await cli(['key', 'list', dir], { env: { TVAULT_PASSPHRASE: AMAL } }), 'WRONG_PASSPHRASE');
  });

  it('never removes the last slot', async () => {
    const listed = okJson(await cli(['key', 'list', dir, '--json']));
    // The wrong passphrase just above is reported to the next unlock.
    expect(listed.failedAttemptsBeforeUnlock).toBe(1);
    const others = (listed.slots as Slot[]).filter((slot) => slot.slotId !== slots.first);
    expect(others.map((slot) => slot.kind).sort()).toEqual(['passphrase', 'recovery']);
    for (const slot of others) {
      expect(okJson(await cli(['key', 'remove', dir, slot.slotId, '--json']))).toEqual({ ok: true, removed: true, slotId: slot.slotId, kind: slot.kind, label: slot.label });
    }
    const line = expectFailure(await cli(['key', 'remove', dir, slots.first, '--yes']), 'INVALID_INPUT');
    expect(line).toContain('last key slot');
  });
});
