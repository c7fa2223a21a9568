import type Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestVault, type VaultFixture, sampleTestimony } from '../coreFixtures.js';

type AuditRow = { seq: number; entry_ciphertext: Buffer; prev_hash: Buffer; entry_hash: Buffer; signature: Buffer };

describe('the signed audit chain', () => {
  let fixture: VaultFixture;
  let db: Database.Database;

  beforeAll(async () => {
    fixture = await createTestVault();
    const { testimonyId } = fixture.service.addTestimony(sampleTestimony());
    fixture.service.updateTestimony(testimonyId, { status: 'verified' });
    fixture.service.addPerson({ name: 'Registry Person' });
    db = fixture.service.sessionForCore.db;
  });
  afterAll(() => fixture.cleanup());

  async function auditProblemsAfter(edit: () => void): Promise<string[]> {
    db.exec('SAVEPOINT attack');
    try {
      edit();
      return fixture.service.auditLog().problems.map((p) => `${p.seq}: ${p.problem}`);
    } finally {
      db.exec('ROLLBACK TO attack; RELEASE attack');
    }
  }
  const row = (seq: number) => db.prepare('SELECT * FROM audit_log WHERE seq = ?').get(seq) as AuditRow;

  it('records create, edit and person entries in order, with ids only and a valid chain', () => {
    const { entries, problems } = fixture.service.auditLog();
    expect(problems).toEqual([]);
    expect(entries.map((e) => e.action)).toEqual([
      'vault.create', 'person.create', 'person.create', 'person.create', 'testimony.create', 'testimony.edit', 'person.create',
    ]);
    expect(entries.map((e) => e.seq)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(JSON.stringify(entries)).not.toMatch(/Samir|Qassem|Branch 215/);
  });

  it('stores entries encrypted: no action name or id appears in the clear', () => {
    const all = db.prepare('SELECT entry_ciphertext FROM audit_log').all() as { entry_ciphertext: Buffer }[];
    for (const { entry_ciphertext } of all) expect(entry_ciphertext.toString('latin1')).not.toMatch(/testimony|person|vault\.create/);
  });

  it('detects an edited entry', async () => {
    const target = row(5);
    const edited = Buffer.from(target.entry_ciphertext);
    edited[30] = (edited[30] ?? 0) ^ 0x04;
    const problems = await auditProblemsAfter(() => db.prepare('UPDATE audit_log SET entry_ciphertext = ? WHERE seq = 5').run(edited));
    expect(problems).toEqual(expect.arrayContaining(['5: entry hash does not match its content', '5: entry failed decryption']));
  });

  it('detects an entry re-hashed by someone without the signing key', async () => {
    const target = row(5);
    const forged = Buffer.from(target.entry_hash);
    forged[0] = (forged[0] ?? 0) ^ 0x01;
    const problems = await auditProblemsAfter(() => db.prepare('UPDATE audit_log SET entry_hash = ? WHERE seq = 5').run(forged));
    expect(problems).toEqual(expect.arrayContaining(['5: signature is invalid']));
  });

  it('detects a removed entry in the middle and at the end', async () => {
    expect((await auditProblemsAfter(() => db.prepare('DELETE FROM audit_log WHERE seq = 3').run())).join('\n')).toMatch(/4: expected entry 3/);
    expect((await auditProblemsAfter(() => db.prepare('DELETE FROM audit_log WHERE seq = 7').run())).join('\n')).toMatch(/header says the log ends at entry 7/);
  });

  it('detects entries swapped in place', async () => {
    const [a, b] = [row(3), row(4)];
    const problems = await auditProblemsAfter(() => {
      const update = db.prepare('UPDATE audit_log SET entry_ciphertext = ?, prev_hash = ?, entry_hash = ?, signature = ? WHERE seq = ?');
      update.run(b.entry_ciphertext, b.prev_hash, b.entry_hash, b.signature, 3);
      update.run(a.entry_ciphertext, a.prev_hash, a.entry_hash, a.signature, 4);
    });
    expect(problems.length).toBeGreaterThan(0);
  });

  it('makes verify fail on any audit problem', async () => {
    db.exec('SAVEPOINT attack');
    try {
      db.prepare('UPDATE audit_log SET signature = zeroblob(64) WHERE seq = 2').run();
      const report = await fixture.service.verify();
      expect(report.ok).toBe(false);
      expect(report.problems).toContainEqual({ where: 'audit entry 2', problem: 'signature is invalid' });
    } finally {
      db.exec('ROLLBACK TO attack; RELEASE attack');
    }
  });
});
