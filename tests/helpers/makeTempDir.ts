import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export type TempDir = {
  /** Absolute path of a fresh, empty, private (0700) directory under os.tmpdir(). */
  path: string;
  /** Removes the directory and everything in it; safe to call twice. */
  remove(): void;
};

/** A real temp dir (no in-memory fs): tests exercise the same files, fsyncs and renames as users do. */
export function makeTempDir(prefix = 'tv-test-'): TempDir {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  return {
    path: dir,
    remove: () => fs.rmSync(dir, { recursive: true, force: true }),
  };
}
