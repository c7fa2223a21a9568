import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestVault, reopen, type VaultFixture } from '../coreFixtures.js';

const consent = { scopes: ['icc'], anonymity: false, mediaUse: true, withdrawn: false };

describe('the archive list reuses summaries read earlier in the session', () => {
  let fixture: VaultFixture;
  beforeEach(async () => {
    fixture = await createTestVault();
  });
  afterEach(() => fixture.cleanup());

  const add = (reference: string, title: string) => fixture.service.addTestimony({ reference, title, language: 'en', transcript: 'text', consent }).testimonyId;
  const titles = () => fixture.service.listTestimonies().map((summary) => [summary.reference, summary.title, summary.version]);

  it('shows every add, edit and delete, and reads again only what changed', async () => {
    const first = add('L-1', 'first title');
    const second = add('L-2', 'second title');
    const listed = fixture.service.listTestimonies();
    expect(titles()).toEqual([['L-1', 'first title', 1], ['L-2', 'second title', 1]]);

    fixture.service.updateTestimony(first, { title: 'first title, edited' });
    const third = add('L-3', 'عنوان ثالث');
    const relisted = fixture.service.listTestimonies();
    expect(relisted.map((s) => [s.reference, s.title, s.version])).toEqual([['L-1', 'first title, edited', 2], ['L-2', 'second title', 1], ['L-3', 'عنوان ثالث', 1]]);
    // The unchanged record's summary is the one read before; the edited one was read again.
    expect(relisted.find((s) => s.id === second)).toBe(listed.find((s) => s.id === second));
    expect(relisted.find((s) => s.id === first)).not.toBe(listed.find((s) => s.id === first));

    fixture.service.deleteTestimony(third);
    expect(titles()).toEqual([['L-1', 'first title, edited', 2], ['L-2', 'second title', 1]]);

    // A new session starts from nothing and lists the same.
    fixture.service.lock();
    fixture.service = await reopen(fixture.dir);
    expect(titles()).toEqual([['L-1', 'first title, edited', 2], ['L-2', 'second title', 1]]);
  });

  it('reads a record again when its version moved without going through this service (a merge, another tool)', () => {
    const id = add('L-9', 'before');
    expect(titles()).toEqual([['L-9', 'before', 1]]);
    // A head that moved under the cache (the service never saw the edit) is read again: here the
    // version it names has no fields, so listing fails loudly instead of showing the old summary.
    const db = fixture.service.sessionForCore.db;
    db.prepare('UPDATE records SET head_version = head_version + 1 WHERE record_id = ?').run(id);
    expect(() => fixture.service.listTestimonies()).toThrow();
    db.prepare('UPDATE records SET head_version = head_version - 1 WHERE record_id = ?').run(id);
    expect(titles()).toEqual([['L-9', 'before', 1]]);
  });
});
