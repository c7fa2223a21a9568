import fs from 'node:fs';
import path from 'node:path';
import { CliError } from './CliError.js';

function exists(file: string): boolean {
  try {
    // lstat: a dangling symlink counts as "exists" too; it must never be followed and written through.
    fs.lstatSync(file);
    return true;
  } catch {
    return false;
  }
}

/** The absolute path of an output file that must not exist yet (checked before any passphrase is asked). */
export function assertNewFile(file: string): string {
  const resolved = path.resolve(file);
  if (exists(resolved)) throw new CliError('OUTPUT_EXISTS', `${resolved} already exists; choose a new file name`);
  return resolved;
}

/** Writes a new file, never over an existing one or through a link (O_EXCL), synced before it returns. */
export function writeNewFile(file: string, text: string, mode: number): void {
  let fd: number;
  try {
    fd = fs.openSync(file, fs.constants.O_WRONLY | fs.constants.O_CREAT | fs.constants.O_EXCL | fs.constants.O_NOFOLLOW, mode);
  } catch (error) {
    if ((error as { code?: unknown }).code === 'EEXIST') throw new CliError('OUTPUT_EXISTS', `${file} already exists; choose a new file name`);
    throw error;
  }
  try {
    fs.writeFileSync(fd, text);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}

/** True when `dir` is missing or an empty folder: where an export or `bundle open` may write. */
export function isNewOrEmptyFolder(dir: string): boolean {
  let stat: fs.Stats;
  try {
    stat = fs.lstatSync(dir);
  } catch {
    return true;
  }
  return stat.isDirectory() && fs.readdirSync(dir).length === 0;
}
