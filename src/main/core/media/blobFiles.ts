import fs from 'node:fs';
import path from 'node:path';

/** fsync a directory so a rename in it survives power loss. */
export function fsyncDirectory(dir: string): void {
  const fd = fs.openSync(dir, 'r');
  try {
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}

export function removeQuietly(filePath: string): void {
  fs.rmSync(filePath, { force: true });
}

export function isInside(dir: string, filePath: string): boolean {
  const relative = path.relative(dir, filePath);
  return relative !== '' && !relative.startsWith('..') && !path.isAbsolute(relative);
}
