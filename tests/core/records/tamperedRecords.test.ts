import type Database from 'better-sqlite3';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { SnippetFields } from '../../../src/main/core/search/buildSnippet.js';
import { withSnippetFields } from '../../../src/main/core/search/vaultIndexSource.js';
import { createTestVault, type VaultFixture, errorCodeOf, sampleTestimony } from '../coreFixtures.js';

type FieldRow = { record_id: string; version: number; field: string; ciphertext: Buffer };

/**
 * An attacker with the disk edits rows directly. Each case runs inside a savepoint that is rolled
 * back afterwards, so every case starts from the same honest vault.
 */
describe('records altered outside the app', () => {
  let fixture: VaultFixture;
  let db: Database.Database;
  let first: string;
  let second: string;

  beforeAll(async () => {
    fixture = await createTestVault();
    first = fixture.service.addTestimony(sampleTestimony()).testimonyId;
    second = fixture.service.addTestimony({ ...sampleTestimony(), title: 'Another testimony', transcript: 'Different words.' }).testimonyId;
    fixture.service.updateTestimony(first, { title: 'edited' });
    db = fixture.service.sessionForCore.db;
  });
  afterAll(() => fixture.cleanup());
  beforeEach(async () => {
    expect((await fixture.service.verify()).ok).toBe(true);
  });

  const field = (recordId: string, name: string, version = 1) =>
    db.prepare('SELECT * FROM record_fields WHERE record_id = ? AND field = ? AND version = ?').get(recordId, name, version) as FieldRow;
  const setCiphertext = (row: FieldRow, ciphertext: Buffer) =>
    db.prepare('UPDATE record_fields SET ciphertext = ? WHERE record_id = ? AND version = ? AND field = ?').run(ciphertext, row.record_id, row.version, row.field);

  async function problemsAfter(edit: () => void): Promise<string[]> {
    db.exec('SAVEPOINT attack');
    try {
      edit();
      return (await fixture.service.verify()).problems.map((p) => `${p.where}: ${p.problem}`);
    } finally {
      db.exec('ROLLBACK TO attack; RELEASE attack');
    }
  }

  it('detects a transcript ciphertext swapped between two records', async () => {
    const a = field(first, 'transcript');
    const b = field(second, 'transcript');
    const problems = await problemsAfter(() => {
      setCiphertext(a, b.ciphertext);
      setCiphertext(b, a.ciphertext);
    });
    expect(problems.some((p) => p.includes(first))).toBe(true);
    expect(problems.some((p) => p.includes(second))).toBe(true);
  });

  it('detects ciphertexts swapped between two fields of one record', async () => {
    const title = field(first, 'title');
    const summary = field(first, 'summary');
    const problems = await problemsAfter(() => {
      setCiphertext(title, summary.ciphertext);
      setCiphertext(summary, title.ciphertext);
    });
    expect(problems.join('\n')).toMatch(new RegExp(`${first}.*failed authentication`));
  });

  it('detects a ciphertext moved to another version of the same record', async () => {
    const v1 = field(first, 'title', 1);
    const v2 = field(first, 'title', 2);
    expect(await problemsAfter(() => setCiphertext(v2, v1.ciphertext))).not.toEqual([]);
  });

  it('detects wrapped keys swapped between records', async () => {
    const keyOf = (id: string) => (db.prepare('SELECT wrapped_key FROM records WHERE record_id = ?').get(id) as { wrapped_key: Buffer }).wrapped_key;
    const [keyA, keyB] = [keyOf(first), keyOf(second)];
    const problems = await problemsAfter(() => {
      db.prepare('UPDATE records SET wrapped_key = ? WHERE record_id = ?').run(keyB, first);
      db.prepare('UPDATE records SET wrapped_key = ? WHERE record_id = ?').run(keyA, second);
    });
    expect(problems.filter((p) => p.includes(first) || p.includes(second)).length).toBeGreaterThanOrEqual(2);
  });

  it('detects byte flips at every offset of a record field', async () => {
    const row = field(second, 'title');
    for (let offset = 0; offset < row.ciphertext.length; offset += 1) {
      const flipped = Buffer.from(row.ciphertext);
      flipped[offset] = (flipped[offset] ?? 0) ^ 0x80;
      expect(await problemsAfter(() => setCiphertext(row, flipped)), `offset ${offset}`).not.toEqual([]);
    }
  });

  it('detects a deleted field row, an injected field row, a rolled-back head and a deleted record', async () => {
    const title = field(second, 'title');
    expect(await problemsAfter(() => db.prepare("DELETE FROM record_fields WHERE record_id = ? AND field = 'summary'").run(second))).not.toEqual([]);
    expect(await problemsAfter(() => db.prepare("INSERT INTO record_fields VALUES (?, 1, 'extra', ?)").run(second, title.ciphertext))).not.toEqual([]);
    expect(await problemsAfter(() => db.prepare('UPDATE records SET head_version = 1 WHERE record_id = ?').run(first))).not.toEqual([]);
    const deleted = await problemsAfter(() => db.prepare('DELETE FROM records WHERE record_id = ?').run(second));
    expect(deleted.join('\n')).toMatch(/audit log records it, but it is missing/);
    const rolledBack = await problemsAfter(() => {
      db.prepare('DELETE FROM record_fields WHERE record_id = ? AND version = 2').run(first);
      db.prepare('UPDATE records SET head_version = 1 WHERE record_id = ?').run(first);
    });
    expect(rolledBack.join('\n')).toMatch(/rolled back/);
  });

  it('reads never return tampered data: a swapped field fails to open instead of showing the other text', async () => {
    const a = field(first, 'transcript', 2);
    const b = field(second, 'transcript');
    db.exec('SAVEPOINT read_attack');
    try {
      setCiphertext(a, b.ciphertext);
      expect(await errorCodeOf(() => fixture.service.getTestimony(first))).toBe('AUTH_FAILED');
    } finally {
      db.exec('ROLLBACK TO read_attack; RELEASE read_attack');
    }
  });

  it('a search snippet decrypts only the fields it reads, and each one it reads still authenticates', async () => {
    const session = fixture.service.sessionForCore;
    const summary = field(second, 'summary');
    const flipped = Buffer.from(summary.ciphertext);
    flipped.writeUInt8((flipped.at(-1) ?? 0) ^ 0x01, flipped.length - 1);
    db.exec('SAVEPOINT snippet_attack');
    try {
      setCiphertext(summary, flipped);
      setCiphertext(field(first, 'transcript', 2), field(second, 'transcript').ciphertext);
      // The summary is never read, so its damage does not matter here (verify reports it).
      expect(withSnippetFields(session, second, (fields) => [fields.title, fields.transcript])).toEqual(['Another testimony', 'Different words.']);
      expect(await errorCodeOf(() => withSnippetFields(session, second, (fields) => fields.summary))).toBe('AUTH_FAILED');
      // Another record's transcript does not open under this record's id.
      expect(await errorCodeOf(() => withSnippetFields(session, first, (fields) => fields.transcript))).toBe('AUTH_FAILED');
      expect(withSnippetFields(session, first, (fields) => fields.title)).toBe('edited');
      let kept: SnippetFields | undefined;
      withSnippetFields(session, second, (fields) => {
        kept = fields;
      });
      expect(() => kept?.transcript).toThrow(/after its key was wiped/);
    } finally {
      db.exec('ROLLBACK TO snippet_attack; RELEASE snippet_attack');
    }
  });
});
