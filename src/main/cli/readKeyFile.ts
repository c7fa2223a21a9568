import fs from 'node:fs';
import { VaultError } from '../core/errors.js';

// Far more than an identity file with a few keys or a minisign .pub file ever holds.
const MAX_KEY_FILE_BYTES = 64 * 1024;

/** A small key file (`--identity`, `--signer`); core parses it and names what is wrong. Never echoed. */
export function readKeyFile(file: string, option: string): string {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(file);
  } catch {
    throw new VaultError('FILE_NOT_FOUND', `cannot read the ${option} file ${file}`);
  }
  if (!stat.isFile()) throw new VaultError('INVALID_INPUT', `the ${option} file ${file} is not a regular file`);
  if (stat.size > MAX_KEY_FILE_BYTES) throw new VaultError('INVALID_INPUT', `the ${option} file ${file} is too large to be a key file`);
  return fs.readFileSync(file, 'utf8').replace(/^\uFEFF/, '');
}
