import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemPlatform } from '../../src/main/core/platform.js';
import { VaultService } from '../../src/main/core/VaultService.js';
import { cli, expectFailure, expectJsonFailure, initVault, makeTempDir, okJson, TEST_PASSPHRASE } from './cliHarness.js';

// Where the passphrase comes from, what a wrong one does, and changing it; one vault.

const temp = makeTempDir();
let dir = '';
const SECOND = 'a second passphrase, long enough';
const THIRD = 'third passphrase from a file';

beforeAll(async () => {
  dir = await initVault(temp);
});
afterAll(() => temp.remove());

describe('unlocking', () => {
  it('refuses a wrong passphrase', async () => {
    const run = await cli(['testimony', 'list', dir, '--json'], { env: { TVAULT_PASSPHRASE: 'not the passphrase at all' } });
    expect(expectJsonFailure(run, 'WRONG_PASSPHRASE').message).toBe('wrong passphrase');
  });

  it('reads the passphrase from --passphrase-file in preference to the variable', async () => {
    const file = path.join(temp.path, 'passphrase.txt');
    fs.writeFileSync(file, `${TEST_PASSPHRASE}\n`, { mode: 0o600 });
    const run = await cli(['testimony', 'list', dir, '--passphrase-file', file, '--json'], { env: { TVAULT_PASSPHRASE: 'wrong one in the environment' } });
    expect(okJson(run).testimonies).toEqual([]);
  });

  it('refuses a vault that is open elsewhere', async () => {
    const holder = await VaultService.open(dir, TEST_PASSPHRASE, systemPlatform());
    try {
      const line = expectFailure(await cli(['testimony', 'list', dir]), 'VAULT_IN_USE');
      expect(line).toContain('another window or process');
    } finally {
      holder.lock();
    }
  });
});

// After the unlocking tests: these change the passphrase.
describe('passwd', () => {
  it('needs a source for the new passphrase', async () => {
    const line = expectFailure(await cli(['passwd', dir]), 'NO_PASSPHRASE');
    expect(line).toContain('TVAULT_NEW_PASSPHRASE');
  });

  it('refuses a weak new passphrase', async () => {
    expectFailure(await cli(['passwd', dir], { env: { TVAULT_NEW_PASSPHRASE: 'too short' } }), 'WEAK_PASSPHRASE');
  });

  it('changes it: the old passphrase is refused and the new one opens the vault', async () => {
    // Also proves the weak attempt above changed nothing: the original passphrase still unlocks here.
    const changed = okJson(await cli(['passwd', dir, '--json'], { env: { TVAULT_NEW_PASSPHRASE: SECOND } }));
    expect(changed).toEqual({ ok: true, changed: true, kdf: 'moderate' });
    expectFailure(await cli(['testimony', 'list', dir], { env: { TVAULT_PASSPHRASE: TEST_PASSPHRASE } }), 'WRONG_PASSPHRASE');
    const audit = okJson(await cli(['audit', dir, '--json'], { env: { TVAULT_PASSPHRASE: SECOND } }));
    expect((audit.entries as { action: string }[]).map((e) => e.action)).toEqual(['vault.create', 'passphrase.change']);
  });

  it('reads both passphrases from files', async () => {
    const current = path.join(temp.path, 'current.pass');
    const next = path.join(temp.path, 'next.pass');
    fs.writeFileSync(current, `${SECOND}\n`);
    fs.writeFileSync(next, `${THIRD}\n`);
    const run = await cli(['passwd', dir, '--passphrase-file', current, '--new-passphrase-file', next], { env: { TVAULT_PASSPHRASE: undefined } });
    expect(run).toEqual({ code: 0, stdout: 'passphrase changed; the old one no longer opens the vault\n', stderr: '' });
    expect(okJson(await cli(['testimony', 'list', dir, '--json'], { env: { TVAULT_PASSPHRASE: THIRD } })).testimonies).toEqual([]);
  });
});
