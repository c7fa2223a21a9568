import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { VaultService } from '../../../src/main/core/VaultService.js';
import { createTestVault, errorCodeOf, reopen, sampleTestimony, tempFolder, type VaultFixture } from '../coreFixtures.js';

describe('backup and restore', () => {
  let fixture: VaultFixture;
  let work: ReturnType<typeof tempFolder>;
  let testimonyId: string;

  beforeAll(async () => {
    fixture = await createTestVault();
    work = tempFolder('tv-backup-');
    testimonyId = fixture.service.addTestimony(sampleTestimony()).testimonyId;
    for (let i = 0; i < 3; i += 1) await fixture.service.addMedia(testimonyId, source(`m${i}.bin`, 300_000 + i), { custodian: 'A' });
  });
  afterAll(() => {
    fixture.cleanup();
    work.cleanup();
  });

  function source(name: string, size: number): string {
    const file = path.join(work.dir, name);
    fs.writeFileSync(file, randomBytes(size));
    return file;
  }
  const backupDir = () => path.join(work.dir, 'backup');

  async function contentsOf(service: VaultService): Promise<string> {
    const testimonies = service.listTestimonies().map((t) => service.getTestimony(t.id));
    const media = await Promise.all(service.listMedia().map(async (m) => ({ ...m, bytes: Buffer.from((await service.readMediaBytes(m.id, 1e7)).bytes).toString('base64') })));
    return JSON.stringify({ testimonies, media: media.sort((a, b) => a.id.localeCompare(b.id)) });
  }

  it('writes a verified, still-encrypted copy that opens with the same passphrase', async () => {
    const report = await fixture.service.backup(backupDir());
    expect(report).toMatchObject({ blobsCopied: 3, blobsAlreadyThere: 0, blobsRemoved: 0 });
    expect(report.verify.problems).toEqual([]);
    expect(fs.readdirSync(backupDir()).sort()).toEqual(['blobs', 'vault.db']);
    expect(fs.readFileSync(path.join(backupDir(), 'vault.db')).subarray(18, 20)).toEqual(Buffer.from([1, 1])); // rollback journal, not WAL
    const expected = await contentsOf(fixture.service);
    fixture.service.lock();
    const copy = await reopen(backupDir());
    expect(await contentsOf(copy)).toBe(expected);
    expect((await copy.verify()).ok).toBe(true);
    copy.lock();
    fixture.service = await reopen(fixture.dir);
  });

  it('is incremental: copies only new blobs and drops deleted ones', async () => {
    const added = await fixture.service.addMedia(testimonyId, source('new.bin', 5000), { custodian: 'A' });
    const removed = fixture.service.listMedia().find((m) => m.id !== added.id);
    fixture.service.deleteMedia(removed?.id ?? '');
    const report = await fixture.service.backup(backupDir());
    expect(report).toMatchObject({ blobsCopied: 1, blobsAlreadyThere: 2, blobsRemoved: 1 });
    expect(report.verify.ok).toBe(true);
    expect(fs.readdirSync(path.join(backupDir(), 'blobs')).length).toBe(3);
  });

  it('takes a consistent snapshot while the vault is being written to', async () => {
    const writes = (async () => {
      for (let i = 0; i < 10; i += 1) {
        const { testimonyId: id } = fixture.service.addTestimony({ ...sampleTestimony(), reference: `CONCURRENT-${i}` });
        await fixture.service.addMedia(id, source(`c${i}.bin`, 100_000 + i), { custodian: 'B' });
        fixture.service.updateTestimony(id, { status: 'in-review' });
      }
    })();
    const backup = fixture.service.backup(path.join(work.dir, 'concurrent-backup'));
    const [report] = await Promise.all([backup, writes]);
    expect(report.verify.problems).toEqual([]);
    const restored = path.join(work.dir, 'restored-concurrent');
    await VaultService.restore(path.join(work.dir, 'concurrent-backup'), restored);
    const service = await reopen(restored);
    expect((await service.verify()).problems).toEqual([]);
    // Consistent: every testimony it holds is whole, with its media and final status or none of it.
    for (const summary of service.listTestimonies().filter((t) => t.reference.startsWith('CONCURRENT-'))) {
      const media = service.listMedia(summary.id);
      expect(media.length).toBeLessThanOrEqual(1);
    }
    service.lock();
  });

  it('restores into a new folder; verify passes and the contents are identical', async () => {
    await fixture.service.backup(backupDir());
    const expected = await contentsOf(fixture.service);
    const target = path.join(work.dir, 'restored');
    const progress: number[] = [];
    const report = await VaultService.restore(backupDir(), target, { onProgress: ({ done }) => progress.push(done) });
    expect(report.blobs).toBe(fixture.service.listMedia().length);
    expect(progress.at(-1)).toBe(report.bytes);
    const restored = await reopen(target);
    expect((await restored.verify()).problems).toEqual([]);
    expect(await contentsOf(restored)).toBe(expected);
    restored.lock();
    expect(await errorCodeOf(() => VaultService.restore(backupDir(), target))).toBe('VAULT_EXISTS');
    expect(await errorCodeOf(() => VaultService.restore(path.join(work.dir, 'nothing'), path.join(work.dir, 'x')))).toBe('VAULT_NOT_FOUND');
    const cancelled = path.join(work.dir, 'cancelled-restore');
    const controller = new AbortController();
    controller.abort();
    expect(await errorCodeOf(() => VaultService.restore(backupDir(), cancelled, { signal: controller.signal }))).toBe('CANCELLED');
    expect(fs.existsSync(cancelled)).toBe(false);
  });

  it('leaves the previous backup usable when a backup is interrupted', async () => {
    await fixture.service.backup(backupDir());
    const before = await contentsOf(fixture.service);
    for (let i = 0; i < 3; i += 1) await fixture.service.addMedia(testimonyId, source(`late${i}.bin`, 200_000 + i), { custodian: 'A' });
    const controller = new AbortController();
    const outcome = await errorCodeOf(() =>
      fixture.service.backup(backupDir(), { signal: controller.signal, onProgress: ({ phase, done }) => phase === 'copying blobs' && done > 0 && controller.abort() }),
    );
    expect(outcome).toBe('CANCELLED');
    fixture.service.lock();
    const previous = await reopen(backupDir());
    expect((await previous.verify()).problems).toEqual([]);
    expect(await contentsOf(previous)).toBe(before);
    previous.lock();
    fixture.service = await reopen(fixture.dir);
  });

  it('refuses a destination that is not empty or holds another vault, and the vault itself', async () => {
    const cluttered = path.join(work.dir, 'cluttered');
    fs.mkdirSync(cluttered);
    fs.writeFileSync(path.join(cluttered, 'notes.txt'), 'x');
    expect(await errorCodeOf(() => fixture.service.backup(cluttered))).toBe('VAULT_EXISTS');
    expect(fs.readdirSync(cluttered)).toEqual(['notes.txt']);
    expect(await errorCodeOf(() => fixture.service.backup(fixture.dir))).toBe('INVALID_INPUT');
    const other = await createTestVault();
    const otherBackup = path.join(work.dir, 'other-backup');
    await other.service.backup(otherBackup);
    other.cleanup();
    expect(await errorCodeOf(() => fixture.service.backup(otherBackup))).toBe('VAULT_EXISTS');
  });
});
