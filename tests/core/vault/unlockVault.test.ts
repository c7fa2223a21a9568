import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { VaultService } from '../../../src/main/core/VaultService.js';
import { systemPlatform } from '../../../src/main/core/platform.js';
import { createTestVault, type VaultFixture, errorCodeOf, reopen, sampleTestimony, tempFolder, TEST_PASSPHRASE } from '../coreFixtures.js';

/** Edits vault.db behind the app's back, as an attacker with the disk would. */
function tamper(dir: string, edit: (db: Database.Database) => void): void {
  const db = new Database(path.join(dir, 'vault.db'));
  try {
    edit(db);
  } finally {
    db.close();
  }
}

describe('creating, unlocking and locking a vault', () => {
  let fixture: VaultFixture;
  let testimonyId: string;

  beforeAll(async () => {
    fixture = await createTestVault();
    testimonyId = fixture.service.addTestimony(sampleTestimony()).testimonyId;
    fixture.service.lock();
  });
  afterAll(() => fixture.cleanup());

  it('reopens with the passphrase, with the data intact', async () => {
    const service = await reopen(fixture.dir);
    expect(service.getTestimony(testimonyId).reference).toBe('SAMPLE-2025-0007');
    service.lock();
  });

  it.each([
    ['one character off', `${TEST_PASSPHRASE.slice(0, -1)}X`],
    ['empty', ''],
    ['very long', 'x'.repeat(100_000)],
    ['differently cased', TEST_PASSPHRASE.toUpperCase()],
  ])('refuses a wrong passphrase (%s) cleanly', async (_label, passphrase) => {
    expect(await errorCodeOf(() => reopen(fixture.dir, passphrase))).toBe('WRONG_PASSPHRASE');
    // Nothing was left open: the right passphrase still works.
  });

  it('refuses a second writer while the vault is open, and accepts it after lock', async () => {
    const first = await reopen(fixture.dir);
    expect(await errorCodeOf(() => reopen(fixture.dir))).toBe('VAULT_IN_USE');
    first.lock();
    const second = await reopen(fixture.dir);
    second.lock();
  });

  it('zeroes every key and closes the database on lock', async () => {
    const service = await reopen(fixture.dir);
    const session = service.sessionForCore;
    const keys = (['masterKey', 'signingSecretKey', 'headerMacKey', 'auditKey', 'dedupKey'] as const).map((name) => session.key(name));
    const db = session.db;
    expect(keys.every((key) => key.some((byte) => byte !== 0))).toBe(true);
    service.lock();
    expect(keys.every((key) => key.every((byte) => byte === 0))).toBe(true);
    expect(db.open).toBe(false);
    expect(await errorCodeOf(() => service.listTestimonies())).toBe('VAULT_LOCKED');
    expect(fs.existsSync(path.join(fixture.dir, 'vault.db-wal'))).toBe(false);
  });

  it('reports a missing vault and refuses to create over a non-empty folder', async () => {
    const folder = tempFolder();
    expect(await errorCodeOf(() => reopen(path.join(folder.dir, 'nothing-here')))).toBe('VAULT_NOT_FOUND');
    fs.writeFileSync(path.join(folder.dir, 'notes.txt'), 'keep me');
    expect(await errorCodeOf(() => VaultService.create(folder.dir, TEST_PASSPHRASE, systemPlatform()))).toBe('VAULT_EXISTS');
    expect(fs.readFileSync(path.join(folder.dir, 'notes.txt'), 'utf8')).toBe('keep me');
    expect(await errorCodeOf(() => VaultService.create(path.join(folder.dir, 'notes.txt'), TEST_PASSPHRASE, systemPlatform()))).toBe('VAULT_EXISTS');
    folder.cleanup();
  });

  it('replaces a creation that crashed before committing (no header, no data), but nothing else', async () => {
    const folder = tempFolder();
    const dir = path.join(folder.dir, 'v');
    fs.mkdirSync(path.join(dir, 'blobs'), { recursive: true });
    new Database(path.join(dir, 'vault.db')).exec('CREATE TABLE vault_meta (x)').close();
    const service = await VaultService.create(dir, TEST_PASSPHRASE, systemPlatform());
    expect((await service.verify()).ok).toBe(true);
    expect(service.listVocabulary().length).toBeGreaterThan(30);
    expect(service.auditLog().entries.map((e) => e.action)).toEqual(['vault.create']);
    service.lock();
    expect(await errorCodeOf(() => VaultService.create(dir, TEST_PASSPHRASE, systemPlatform()))).toBe('VAULT_EXISTS');
    folder.cleanup();
  });

  it('refuses a weak new passphrase', async () => {
    const folder = tempFolder();
    expect(await errorCodeOf(() => VaultService.create(path.join(folder.dir, 'v'), 'short', systemPlatform()))).toBe('WEAK_PASSPHRASE');
    expect(fs.existsSync(path.join(folder.dir, 'v'))).toBe(false);
    folder.cleanup();
  });
});

describe('a vault whose header was altered on disk', () => {
  let fixture: VaultFixture;
  let pristine: Buffer;

  beforeAll(async () => {
    fixture = await createTestVault();
    fixture.service.addTestimony(sampleTestimony());
    fixture.service.lock();
    pristine = fs.readFileSync(path.join(fixture.dir, 'vault.db'));
  });
  afterAll(() => fixture.cleanup());

  async function openAfter(edit: (db: Database.Database) => void): Promise<string> {
    fs.writeFileSync(path.join(fixture.dir, 'vault.db'), pristine);
    tamper(fixture.dir, edit);
    return errorCodeOf(async () => (await reopen(fixture.dir)).lock());
  }

  const slotParams = (change: Record<string, unknown>) => (db: Database.Database) => {
    const row = db.prepare('SELECT kdf_params_json FROM key_slots').get() as { kdf_params_json: string };
    db.prepare('UPDATE key_slots SET kdf_params_json = ?').run(JSON.stringify({ ...JSON.parse(row.kdf_params_json), ...change }));
  };

  it('opens when untouched (control)', async () => {
    expect(await openAfter(() => undefined)).toBe('NO_ERROR');
  });

  it.each([
    ['weak ops', { opsLimit: 1 }],
    ['weak memory', { memLimitBytes: 8 * 1024 * 1024 }],
    ['absurd ops', { opsLimit: 1000 }],
    ['absurd memory', { memLimitBytes: 2 ** 40 }],
    ['wrong algorithm', { algorithm: 'scrypt' }],
  ])('refuses %s KDF parameters before computing', async (_label, change) => {
    expect(await openAfter(slotParams(change))).toBe('KDF_PARAMS_REJECTED');
  });

  it('refuses a changed salt as a wrong passphrase (the key no longer unwraps)', async () => {
    expect(await openAfter(slotParams({ saltB64: 'AAECAwQFBgcICQoLDA0ODw==' }))).toBe('WRONG_PASSPHRASE');
  });

  it('refuses a newer format version', async () => {
    expect(await openAfter((db) => db.pragma('user_version = 99'))).toBe('VAULT_TOO_NEW');
  });

  it.each([
    ['audit head moved back', "UPDATE vault_meta SET audit_head_seq = audit_head_seq - 1"],
    ['signing public key replaced', "UPDATE vault_meta SET signing_public_key = zeroblob(32)"],
    ['format version changed', 'UPDATE vault_meta SET format_version = 2'],
    ['vault id changed', "UPDATE vault_meta SET vault_id = 'ffffffffffffffffffffffffffffffff'"],
  ])('detects the header change: %s', async (_label, sql) => {
    expect(['VAULT_CORRUPT', 'WRONG_PASSPHRASE']).toContain(await openAfter((db) => db.exec(sql)));
  });

  it('detects a flipped byte anywhere in the wrapped master key, the wrapped signing key and the MAC', async () => {
    const columns = [
      ['key_slots', 'wrapped_master_key'],
      ['vault_meta', 'wrapped_signing_key'],
      ['vault_meta', 'header_mac'],
      ['vault_meta', 'audit_head_hash'],
    ] as const;
    for (const [table, column] of columns) {
      let length = 0;
      tamper(fixture.dir, (db) => {
        length = (db.prepare(`SELECT length(${column}) AS n FROM ${table}`).get() as { n: number }).n;
      });
      for (const offset of [0, Math.floor(length / 2), length - 1]) {
        const code = await openAfter((db) => {
          const value = Buffer.from((db.prepare(`SELECT ${column} AS v FROM ${table}`).get() as { v: Buffer }).v);
          value[offset] = (value[offset] ?? 0) ^ 0x40;
          db.prepare(`UPDATE ${table} SET ${column} = ?`).run(value);
        });
        expect(['VAULT_CORRUPT', 'WRONG_PASSPHRASE'], `${table}.${column}[${offset}]`).toContain(code);
      }
    }
  });
});

describe('changing the passphrase', () => {
  it('rewraps only the master key: records are untouched, the old passphrase stops working', async () => {
    const fixture = await createTestVault();
    const { testimonyId } = fixture.service.addTestimony(sampleTestimony());
    const fieldsBefore = fixture.service.sessionForCore.db.prepare('SELECT record_id, version, field, ciphertext FROM record_fields ORDER BY 1, 2, 3').all();
    const slotBefore = fixture.service.sessionForCore.db.prepare('SELECT * FROM key_slots').get();
    await fixture.service.changePassphrase('a completely new passphrase');
    const fieldsAfter = fixture.service.sessionForCore.db.prepare('SELECT record_id, version, field, ciphertext FROM record_fields ORDER BY 1, 2, 3').all();
    expect(fieldsAfter).toEqual(fieldsBefore);
    expect(fixture.service.sessionForCore.db.prepare('SELECT * FROM key_slots').get()).not.toEqual(slotBefore);
    expect(fixture.service.auditLog().entries.at(-1)?.action).toBe('passphrase.change');
    fixture.service.lock();
    expect(await errorCodeOf(() => reopen(fixture.dir))).toBe('WRONG_PASSPHRASE');
    const reopened = await reopen(fixture.dir, 'a completely new passphrase');
    expect(reopened.getTestimony(testimonyId).title).toContain('Branch 215');
    expect((await reopened.verify()).ok).toBe(true);
    expect(await errorCodeOf(() => reopened.changePassphrase('short'))).toBe('WEAK_PASSPHRASE');
    fixture.cleanup();
    reopened.lock();
  });
});
