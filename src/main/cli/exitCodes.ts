import type { VaultErrorCode } from '../core/errors.js';
import type { CliErrorCode } from './CliError.js';

export type ErrorCode = VaultErrorCode | CliErrorCode | 'INTERNAL';

/**
 * One exit code per error code, so scripts can branch without parsing text. Typed as a total
 * record: when core adds a VaultError code, this table (and docs/CLI.md) must grow with it.
 */
export const EXIT_CODES: Record<ErrorCode, { exit: number; meaning: string }> = {
  USAGE: { exit: 2, meaning: 'bad command line: unknown command or option, missing or extra argument' },
  VERIFY_FAILED: { exit: 3, meaning: 'verify (or the check after backup or restore) found at least one problem (each is printed)' },
  AUDIT_CHAIN_BROKEN: { exit: 4, meaning: 'the audit chain has at least one problem (each is printed)' },
  WRONG_PASSPHRASE: { exit: 10, meaning: 'wrong passphrase (or a recovery key that does not open this vault)' },
  UNLOCK_DELAYED: { exit: 14, meaning: 'too many failed attempts in a row: wait the time it names, then try again' },
  VAULT_WIPED: { exit: 15, meaning: 'the wipe-after-N setting destroyed every key slot after N failed attempts' },
  NO_PASSPHRASE: { exit: 11, meaning: 'no passphrase (or recovery key) source: no file, no variable, no terminal; or an empty one' },
  PASSPHRASE_MISMATCH: { exit: 12, meaning: 'the two passphrase entries differ' },
  WEAK_PASSPHRASE: { exit: 13, meaning: 'the new passphrase is too short or too long' },
  VAULT_NOT_FOUND: { exit: 20, meaning: 'no vault in that folder' },
  VAULT_EXISTS: { exit: 21, meaning: 'init: the folder is not empty' },
  VAULT_IN_USE: { exit: 22, meaning: 'the vault is open in another process or window' },
  VAULT_TOO_NEW: { exit: 23, meaning: 'the vault was written by a newer version' },
  VAULT_LOCKED: { exit: 24, meaning: 'the vault was locked while in use' },
  VAULT_CORRUPT: { exit: 25, meaning: 'the vault database or a blob file is damaged or missing' },
  KDF_PARAMS_REJECTED: { exit: 26, meaning: 'the stored key-derivation parameters are out of bounds (forged or damaged header)' },
  KDF_OUTPUT_REJECTED: { exit: 27, meaning: 'key derivation produced an unusable key' },
  AUTH_FAILED: { exit: 30, meaning: 'data failed authentication (tampered or damaged)' },
  STREAM_TRUNCATED: { exit: 31, meaning: 'a blob is shorter than written (truncated)' },
  STREAM_TRAILING_DATA: { exit: 32, meaning: 'a blob has bytes after its final chunk' },
  INVALID_INPUT: { exit: 40, meaning: 'a field is invalid (the message names it)' },
  BAD_JSON: { exit: 41, meaning: 'an input file is not valid JSON' },
  NOT_FOUND: { exit: 42, meaning: 'no record with that id (or no such version)' },
  FILE_NOT_FOUND: { exit: 43, meaning: 'an input file (or the passphrase file) does not exist or cannot be read' },
  OUTPUT_EXISTS: { exit: 44, meaning: 'the output file already exists (never overwritten)' },
  IO_ERROR: { exit: 45, meaning: 'a read or write failed (disk full, permissions, ...)' },
  INTERNAL: { exit: 70, meaning: 'internal error (a bug); set TVAULT_DEBUG=1 for the stack' },
  CANCELLED: { exit: 130, meaning: 'cancelled (Ctrl-C); nothing was left behind' },
};

export function exitCodeFor(code: ErrorCode): number {
  return EXIT_CODES[code].exit;
}
