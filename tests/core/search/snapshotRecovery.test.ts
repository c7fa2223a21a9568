import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { syntheticTestimony } from '../../../bench/searchCorpus.js';
import { generateKey } from '../../../src/main/core/crypto/index.js';
import type { ProgressListener } from '../../../src/main/core/platform.js';
import { SearchIndex } from '../../../src/main/core/search/SearchIndex.js';
import { SNAPSHOT_FILE_NAME, writeSnapshotFile } from '../../../src/main/core/search/snapshotFile.js';
import { VaultSearch, type RebuildReason } from '../../../src/main/core/search/VaultSearch.js';
import { createTestVault, type VaultFixture } from '../coreFixtures.js';

const QUERIES = [
  { query: 'Saydnaya' },
  { query: 'torture', filters: { languages: ['ar'] } },
  { query: '"electric shocks" OR الشبح' },
  { query: 'Mouhamad', tolerant: true },
  { query: 'tort*', filters: { period: { from: '2013', to: '2015' } } },
  { query: '', filters: { statuses: ['verified' as const] } },
];

describe('the encrypted snapshot: round trip, and rebuilt when missing, damaged or foreign', () => {
  let fixture: VaultFixture;
  let snapshotPath: string;
  let goodSnapshot: Buffer;
  let expected: string;

  const resultsOf = (search: VaultSearch) => JSON.stringify(QUERIES.map((query) => search.search({ ...query, limit: 10 })));

  async function openRecording(): Promise<{ search: VaultSearch; events: Parameters<ProgressListener>[0][] }> {
    const events: Parameters<ProgressListener>[0][] = [];
    const search = await VaultSearch.open(fixture.service.sessionForCore, { onProgress: (event) => events.push(event) });
    return { search, events };
  }

  beforeAll(async () => {
    fixture = await createTestVault();
    fixture.service.sessionForCore.db.transaction(() => {
      for (let i = 0; i < 40; i += 1) fixture.service.addTestimony(syntheticTestimony(11, i, 1200).input);
    })();
    snapshotPath = path.join(fixture.dir, SNAPSHOT_FILE_NAME);
    const { search, events } = await openRecording();
    expect(search.openReport).toMatchObject({ source: 'rebuilt', rebuildReason: 'missing', documents: 40 });
    expect(events.at(-1)).toMatchObject({ phase: 'search.rebuild' });
    expect(events.at(-1)?.done).toBe(events.at(-1)?.total);
    expected = resultsOf(search);
    expect(await search.saveSnapshot()).toMatchObject({ written: true });
    search.close();
    goodSnapshot = fs.readFileSync(snapshotPath);
  });
  afterAll(() => fixture.cleanup());

  it('loads a sound snapshot without rebuilding, with the same results', async () => {
    fs.writeFileSync(snapshotPath, goodSnapshot);
    const { search, events } = await openRecording();
    expect(search.openReport).toMatchObject({ source: 'snapshot', documents: 40, caughtUp: { documents: 0, entities: 0 } });
    expect(events.every((event) => event.phase === 'search.snapshot.read')).toBe(true);
    expect(resultsOf(search)).toBe(expected);
    // Nothing changed since it was loaded: saving again writes nothing.
    expect(await search.saveSnapshot()).toMatchObject({ written: false });
    search.close();
  });

  it('holds no plaintext: the sealed file has no SQLite header and no indexed word', () => {
    expect(goodSnapshot.subarray(0, 4).toString('latin1')).toBe('TVS2');
    expect(goodSnapshot.includes(Buffer.from('SQLite format 3'))).toBe(false);
    for (const word of ['sednaya', 'saydnaya', 'torture', 'صيدنايا', 'التعذيب']) {
      expect(goodSnapshot.includes(Buffer.from(word, 'utf8'))).toBe(false);
      expect(goodSnapshot.includes(Buffer.from(word, 'utf16le'))).toBe(false);
    }
  });

  const damages: [string, (good: Buffer) => Buffer, RebuildReason][] = [
    ['a flipped byte in the stream header', (good) => flip(good, 10), 'damaged'],
    ['a flipped byte in the middle', (good) => flip(good, Math.floor(good.length / 2)), 'damaged'],
    ['a flipped last byte (the final tag)', (good) => flip(good, good.length - 1), 'damaged'],
    ['truncated to half', (good) => good.subarray(0, Math.floor(good.length / 2)), 'damaged'],
    ['one byte short', (good) => good.subarray(0, good.length - 1), 'damaged'],
    ['bytes appended', (good) => Buffer.concat([good, Buffer.from('tail')]), 'damaged'],
    ['empty', () => Buffer.alloc(0), 'damaged'],
    ['random bytes', (good) => Buffer.from(randomBytes(good.length)), 'damaged'],
  ];

  it.each(damages)('rebuilds, with progress, from a snapshot with %s', async (_name, damage, reason) => {
    fs.writeFileSync(snapshotPath, damage(goodSnapshot));
    const { search, events } = await openRecording();
    expect(search.openReport).toMatchObject({ source: 'rebuilt', rebuildReason: reason, documents: 40 });
    const rebuild = events.filter((event) => event.phase === 'search.rebuild');
    expect(rebuild.length).toBeGreaterThan(0);
    expect(rebuild.at(-1)?.done).toBe(rebuild.at(-1)?.total);
    expect(resultsOf(search)).toBe(expected);
    search.close();
  });

  it('rebuilds when the snapshot is another vault\'s (another key, or this key bound to another vault id)', async () => {
    const session = fixture.service.sessionForCore;
    const fresh = SearchIndex.create();
    fresh.setMeta('vaultId', 'someone-else');
    const bytes = fresh.serialize();
    fresh.close();
    const otherKey = generateKey();
    await writeSnapshotFile(fixture.dir, otherKey, session.vaultId, bytes);
    let { search } = await openRecording();
    expect(search.openReport).toMatchObject({ source: 'rebuilt', rebuildReason: 'damaged' });
    expect(resultsOf(search)).toBe(expected);
    search.close();

    await writeSnapshotFile(fixture.dir, session.key('masterKey'), 'another-vault-id', bytes);
    ({ search } = await openRecording());
    expect(search.openReport).toMatchObject({ source: 'rebuilt', rebuildReason: 'damaged' });
    search.close();

    // Sealed correctly for this vault, but the index inside says it belongs to another.
    await writeSnapshotFile(fixture.dir, session.key('masterKey'), session.vaultId, bytes);
    ({ search } = await openRecording());
    expect(search.openReport).toMatchObject({ source: 'rebuilt', rebuildReason: 'other-vault' });
    expect(resultsOf(search)).toBe(expected);
    search.close();
  });

  it('rebuilds from a snapshot of an older index format, or one that is not an index at all', async () => {
    const session = fixture.service.sessionForCore;
    const old = SearchIndex.create();
    old.setMeta('format', '0');
    old.setMeta('vaultId', session.vaultId);
    await writeSnapshotFile(fixture.dir, session.key('masterKey'), session.vaultId, old.serialize());
    old.close();
    let { search } = await openRecording();
    expect(search.openReport).toMatchObject({ source: 'rebuilt', rebuildReason: 'damaged' });
    search.close();

    await writeSnapshotFile(fixture.dir, session.key('masterKey'), session.vaultId, Buffer.from('not a database at all'));
    ({ search } = await openRecording());
    expect(search.openReport).toMatchObject({ source: 'rebuilt', rebuildReason: 'damaged' });
    expect(resultsOf(search)).toBe(expected);
    search.close();
  });

  it('catches up a stale snapshot record by record, and sweeps leftover temp files', async () => {
    fs.writeFileSync(snapshotPath, goodSnapshot);
    fs.writeFileSync(path.join(fixture.dir, '.index.snapshot.tmp-deadbeef'), 'left by a crash');
    // Changed behind the index's back, as a CLI command that never opens the index does.
    const { testimonyId } = fixture.service.addTestimony({ reference: 'LATE-1', title: 'Late arrival', language: 'en', transcript: 'Qwertzuiop was held in Adra.' });
    const { search } = await openRecording();
    expect(search.openReport).toMatchObject({ source: 'snapshot', documents: 41, caughtUp: { documents: 1 } });
    expect(search.search({ query: 'qwertzuiop' }).hits.map((hit) => hit.id)).toEqual([testimonyId]);
    expect(fs.readdirSync(fixture.dir).filter((name) => name.startsWith('.index.snapshot.tmp-'))).toEqual([]);
    expect(await search.saveSnapshot()).toMatchObject({ written: true });
    search.close();
    const reopened = await VaultSearch.open(fixture.service.sessionForCore);
    expect(reopened.openReport).toMatchObject({ source: 'snapshot', caughtUp: { documents: 0 } });
    reopened.close();
  });
});

function flip(bytes: Buffer, offset: number): Buffer {
  const copy = Buffer.from(bytes);
  copy[offset] = (copy[offset] ?? 0) ^ 0x01;
  return copy;
}
