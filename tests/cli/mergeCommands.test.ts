import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addTestimony, cli, expectFailure, expectJsonFailure, initVault, makeTempDir, okJson } from './cliHarness.js';

// Two vaults, real Argon2id and real age/minisign: A (a field laptop) sends a transfer to the key
// of B (the central archive). B is in turn an untrusted sender for A. In order: each step builds
// on the one before.
const temp = makeTempDir('tv-cli-merge-');
let vaultA = '';
let vaultB = '';
let recipient = '';
let sampleId = '';
let senderKeyId = '';
let senderPublicKey = '';
const keyPath = path.join(temp.path, 'key.txt');
const bundleA = path.join(temp.path, 'bundle-a');
const bundleB = path.join(temp.path, 'bundle-b');

type MergeJson = {
  bundleId: string;
  sender: { keyId: string; publicKey: string; label: string | null; trust: string };
  testimonies: { added: number; alreadyPresent: number; conflictCopies: number };
  media: { added: number; bytesDeduplicated: number };
  nothingNew: boolean;
};

beforeAll(async () => {
  vaultA = await initVault(temp, 'vault-a');
  vaultB = await initVault(temp, 'vault-b');
  sampleId = await addTestimony(vaultA);
  const run = await cli(['keygen', '--out', keyPath]);
  expect(run.code).toBe(0);
  recipient = run.stdout.trim();
  expect(recipient).toMatch(/^age1/);
});
afterAll(() => temp.remove());

describe('export --profile transfer, merge and trust', () => {
  it('refuses redaction-only options with a transfer before unlocking', async () => {
    const out = path.join(temp.path, 'never');
    for (const extra of [['--passphrase-protect'], ['--skip-refused'], ['--plan', 'plan.json']]) {
      const run = await cli(['export', vaultA, '--profile', 'transfer', '--recipient', recipient, '--out', out, ...extra]);
      expect(expectFailure(run, 'USAGE')).toContain('--profile transfer');
    }
    expectFailure(await cli(['export', vaultA, '--profile', 'transfer', '--out', out]), 'USAGE');
    expect(fs.existsSync(out)).toBe(false);
  });

  it('exports the whole vault as a transfer bundle for the archive key', async () => {
    const report = okJson(await cli(['export', vaultA, '--profile', 'transfer', '--recipient', recipient, '--out', bundleA, '--json'])) as Record<string, unknown> & {
      bundleId: string;
      profile: string;
      counts: { testimonies: number };
      signer: { keyId: string; publicKey: string };
      payload: { sha256: string; recipients: number };
    };
    expect(report.profile).toBe('transfer');
    expect(report.bundleId).toMatch(/^[0-9a-f]{32}$/);
    expect(report.counts.testimonies).toBe(1);
    expect(report.payload).toMatchObject({ recipients: 1, sha256: expect.stringMatching(/^[0-9a-f]{64}$/) });
    expect(fs.existsSync(path.join(bundleA, 'payload.age'))).toBe(true);
    senderKeyId = report.signer.keyId;
    senderPublicKey = report.signer.publicKey;
  });

  it('merges it with --trust (records added, sender on the list), and a second merge adds nothing', async () => {
    const first = okJson(await cli(['merge', vaultB, bundleA, '--identity', keyPath, '--trust', '--label', 'Field team A', '--json'])) as unknown as MergeJson;
    expect(first.testimonies.added).toBe(1);
    expect(first.sender).toMatchObject({ keyId: senderKeyId, publicKey: senderPublicKey, label: 'Field team A', trust: 'trusted-now' });
    expect(first.nothingNew).toBe(false);
    okJson(await cli(['testimony', 'show', vaultB, sampleId, '--json']));

    const again = await cli(['merge', vaultB, bundleA, '--identity', keyPath]);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toContain(`merged bundle ${first.bundleId}`);
    expect(again.stdout).toContain('testimonies: 0 added, 0 extended, 1 already present');
    expect(again.stdout).toContain(`sender: minisign key ${senderKeyId} "Field team A" (on the trusted-senders list)`);
    expect(again.stdout).toContain('nothing new');
  });

  it('refuses a bundle from a vault that is not a trusted sender (UNTRUSTED_SENDER)', async () => {
    okJson(await cli(['export', vaultB, '--profile', 'transfer', '--recipient', recipient, '--out', bundleB, '--ids', sampleId, '--json']));
    const document = expectJsonFailure(await cli(['merge', vaultA, bundleB, '--identity', keyPath, '--json']), 'UNTRUSTED_SENDER');
    expect(document.message).not.toContain('Field team');
  });

  it('trust list shows the sender; trust remove takes it off and its bundles are refused again', async () => {
    const listed = okJson(await cli(['trust', 'list', vaultB, '--json'])) as { senders: { keyId: string; publicKey: string; label: string; confirmed: boolean }[] };
    expect(listed.senders).toEqual([expect.objectContaining({ keyId: senderKeyId, publicKey: senderPublicKey, label: 'Field team A', confirmed: true })]);

    const removed = await cli(['trust', 'remove', vaultB, senderKeyId]);
    expect(removed.code, removed.stderr).toBe(0);
    expect(removed.stdout).toContain('removed 1 trusted sender entry');

    expectFailure(await cli(['merge', vaultB, bundleA, '--identity', keyPath]), 'UNTRUSTED_SENDER');
  });

  it('trust add refuses a file that is not a minisign key, and needs --label', async () => {
    expectFailure(await cli(['trust', 'add', vaultB, senderPublicKey]), 'USAGE');
    const bad = path.join(temp.path, 'bad.pub');
    fs.writeFileSync(bad, 'not a key\n');
    expectFailure(await cli(['trust', 'add', vaultB, bad, '--label', 'x']), 'SENDER_KEY_MALFORMED');
  });
});
