import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { SeededRandom } from './seededRandom.js';

export type CrashFixture = { file: string; sha256: string; size: number };
const MANIFEST = 'manifest.json';

/** The largest file the crash loop attaches (the "media up to 50 MB"): long enough that kills land mid-stream. */
export const LARGEST_CRASH_FIXTURE_BYTES = 50 * 1024 * 1024;

/**
 * Writes the media files the crash loop attaches: random (not sensitive) bytes from 4 KiB to 4 MiB,
 * log-uniform, plus exact multiples of the 64 KiB blob chunk, whose stream ends in an empty final chunk,
 * plus one file of 50 MiB.
 */
export function writeCrashFixtures(dir: string, random: SeededRandom, count = 20): CrashFixture[] {
  const sizes = [65_536, 3 * 65_536, LARGEST_CRASH_FIXTURE_BYTES, ...Array.from({ length: Math.max(0, count - 3) }, () => Math.round(4096 * 2 ** (random.next() * 10)))];
  const fixtures = sizes.map((size, index) => {
    const bytes = randomBytes(size);
    const file = `fixture-${index}.bin`;
    fs.writeFileSync(path.join(dir, file), bytes);
    return { file, sha256: createHash('sha256').update(bytes).digest('hex'), size };
  });
  fs.writeFileSync(path.join(dir, MANIFEST), JSON.stringify(fixtures));
  return fixtures;
}

export function readCrashFixtures(dir: string): CrashFixture[] {
  return JSON.parse(fs.readFileSync(path.join(dir, MANIFEST), 'utf8')) as CrashFixture[];
}
