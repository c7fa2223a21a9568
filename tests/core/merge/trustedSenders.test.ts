import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureSodium, generateSigningKeyPair, minisignKeyOf, minisignPublicKeyBase64, formatMinisignPublicKeyFile, minisignKeyIdHex } from '../../../src/main/core/crypto/index.js';
import { addTrustedSender, findTrustedSender, listTrustedSenders, removeTrustedSender } from '../../../src/main/core/merge/trustedSenders.js';
import { createTestVault, errorCodeOf, reopen, type VaultFixture } from '../coreFixtures.js';

function senderKey() {
  const key = minisignKeyOf(generateSigningKeyPair().publicKey);
  return { keyId: minisignKeyIdHex(key.keyId), publicKey: minisignPublicKeyBase64(key), fileText: formatMinisignPublicKeyFile(key) };
}

describe('the trusted-senders list', () => {
  let vault: VaultFixture;
  const session = () => vault.service.sessionForCore;
  const label = 'Amal Haddad, Idlib team laptop';

  beforeAll(async () => {
    await ensureSodium();
    vault = await createTestVault();
  });
  afterAll(() => vault.cleanup());

  it('adds a sender by .pub file or RW… line, once, with an encrypted label, and keeps it across a reopen', async () => {
    const key = senderKey();
    const added = addTrustedSender(session(), key.fileText, label);
    expect(added).toMatchObject({ keyId: key.keyId, publicKey: key.publicKey, label, confirmed: true });
    expect(addTrustedSender(session(), key.publicKey, 'another label').senderId).toBe(added.senderId);
    expect(listTrustedSenders(session())).toHaveLength(1);
    const audit = vault.service.auditLog().entries.filter((entry) => entry.action === 'trust.add');
    expect(audit).toHaveLength(1);
    expect(audit[0]?.details).toEqual({ keyId: key.keyId, publicKey: key.publicKey });
    vault.service.lock();
    for (const file of ['vault.db', 'vault.db-wal']) {
      const full = path.join(vault.dir, file);
      if (fs.existsSync(full)) expect(fs.readFileSync(full).includes(Buffer.from('Amal Haddad'))).toBe(false);
    }
    vault.service = await reopen(vault.dir);
    expect(findTrustedSender(session(), key.publicKey)).toMatchObject({ label, confirmed: true });
  });

  it('refuses what is not a minisign key, and labels that are empty or too long', async () => {
    expect(await errorCodeOf(() => addTrustedSender(session(), 'age1qqqq', 'x'))).toBe('SENDER_KEY_MALFORMED');
    expect(await errorCodeOf(() => addTrustedSender(session(), senderKey().publicKey, '  '))).toBe('INVALID_OPTIONS');
    expect(await errorCodeOf(() => addTrustedSender(session(), senderKey().publicKey, 'x'.repeat(201)))).toBe('INVALID_OPTIONS');
  });

  it('removes a sender by key id or key, and a removed row put back by hand is not trusted', () => {
    const key = senderKey();
    const added = addTrustedSender(session(), key.publicKey, 'to remove');
    const row = session().db.prepare('SELECT * FROM trusted_senders WHERE sender_id = ?').get(added.senderId) as { sender_id: string; entry_ciphertext: Buffer };
    expect(removeTrustedSender(session(), key.keyId.toLowerCase())).toBe(1);
    expect(findTrustedSender(session(), key.publicKey)).toBeNull();
    // Someone with the disk but not the key replays the old row: it opens, but the signed log says removed.
    session().db.prepare('INSERT INTO trusted_senders VALUES (?, ?)').run(row.sender_id, row.entry_ciphertext);
    expect(listTrustedSenders(session()).find((sender) => sender.publicKey === key.publicKey)).toMatchObject({ confirmed: false });
    expect(findTrustedSender(session(), key.publicKey)).toBeNull();
    expect(removeTrustedSender(session(), key.publicKey)).toBe(1);
    expect(vault.service.auditLog().entries.filter((entry) => entry.action === 'trust.remove').map((entry) => entry.details?.keyId)).toEqual([key.keyId, key.keyId]);
  });

  it('ignores a row it did not write, and a row moved to another id', () => {
    const key = senderKey();
    session().db.prepare('INSERT INTO trusted_senders VALUES (?, ?)').run('f'.repeat(32), Buffer.alloc(80, 7));
    const added = addTrustedSender(session(), key.publicKey, 'moved');
    session().db.prepare('UPDATE trusted_senders SET sender_id = ? WHERE sender_id = ?').run('e'.repeat(32), added.senderId);
    expect(listTrustedSenders(session()).map((sender) => sender.publicKey)).not.toContain(key.publicKey);
    expect(findTrustedSender(session(), key.publicKey)).toBeNull();
  });

  it('is checked by verify: rows it ignores are reported, and removing them leaves verify clean', async () => {
    const problems = (await vault.service.verify()).problems.map((problem) => problem.where);
    expect(problems.sort()).toEqual([`trusted sender ${'e'.repeat(32)}`, `trusted sender ${'f'.repeat(32)}`]);
    session().db.prepare('DELETE FROM trusted_senders WHERE sender_id IN (?, ?)').run('f'.repeat(32), 'e'.repeat(32));
    expect((await vault.service.verify()).problems).toEqual([]);
  });
});
