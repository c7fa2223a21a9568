import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { systemPlatform } from '../../../src/main/core/platform.js';
import { VaultService } from '../../../src/main/core/VaultService.js';
import { makeTempDir, type TempDir } from '../../helpers/makeTempDir.js';

describe('concurrent intake of identical content', () => {
  const dirs: TempDir[] = [];
  afterEach(() => {
    for (const dir of dirs.splice(0)) dir.remove();
  });

  /** Six overlapping intakes of one file into a fresh vault; returns the outcomes and what is on disk after. */
  async function overlappingIntakes() {
    const work = makeTempDir('tv-concurrent-');
    dirs.push(work);
    const source = path.join(work.path, 'same.bin');
    fs.writeFileSync(source, randomBytes(3 * 1024 * 1024));
    const service = await VaultService.create(path.join(work.path, 'vault'), 'concurrent intake: several words', systemPlatform());
    try {
      const testimonyId = service.addTestimony({ reference: 'CI-1', title: 'Same file twice', language: 'en' }).testimonyId;
      const outcomes = await Promise.allSettled(Array.from({ length: 6 }, (_, i) => service.addMedia(testimonyId, source, { custodian: `drop ${i}` })));
      return {
        failures: outcomes.flatMap((outcome) => (outcome.status === 'rejected' ? [String((outcome.reason as Error).message)] : [])),
        succeeded: outcomes.filter((outcome) => outcome.status === 'fulfilled').length,
        media: service.listMedia(testimonyId).length,
        problems: (await service.verify()).problems,
        blobFiles: fs.readdirSync(path.join(work.path, 'vault', 'blobs')),
      };
    } finally {
      service.lock();
    }
  }

  it('never corrupts the vault: one blob, every success recorded, verify() clean', async () => {
    const result = await overlappingIntakes();
    expect(result.problems).toEqual([]);
    expect(result.blobFiles).toHaveLength(1);
    expect(result.media).toBe(result.succeeded);
  });

  // Intakes of the same bytes that overlap (one drop of "IMG_1.jpg" and "IMG_1 (1).jpg") once all
  // missed the dedup lookup and the later commits failed on the UNIQUE dedup tag. The lookup now
  // happens inside the commit transaction, so every one of them is accepted and shares one blob.
  it('refuses none of them', async () => {
    const result = await overlappingIntakes();
    expect(result.failures).toEqual([]);
    expect(result.media).toBe(6);
  });
});
