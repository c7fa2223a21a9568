/**
 * Errors a user can act on. `code` crosses process boundaries (CLI exit messages, IPC results);
 * `message` is one human sentence and never holds record plaintext.
 */
export type VaultErrorCode =
  | 'WRONG_PASSPHRASE'
  | 'UNLOCK_DELAYED'
  | 'VAULT_WIPED'
  | 'WEAK_PASSPHRASE'
  | 'VAULT_NOT_FOUND'
  | 'VAULT_EXISTS'
  | 'VAULT_IN_USE'
  | 'VAULT_TOO_NEW'
  | 'VAULT_CORRUPT'
  | 'VAULT_LOCKED'
  | 'KDF_PARAMS_REJECTED'
  | 'KDF_OUTPUT_REJECTED'
  | 'AUTH_FAILED'
  | 'STREAM_TRUNCATED'
  | 'STREAM_TRAILING_DATA'
  | 'INVALID_INPUT'
  | 'NOT_FOUND'
  | 'FILE_NOT_FOUND'
  | 'IO_ERROR'
  | 'CANCELLED';

export class VaultError extends Error {
  readonly code: VaultErrorCode;
  constructor(code: VaultErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'VaultError';
    this.code = code;
  }
}

export function isVaultError(error: unknown): error is VaultError {
  return error instanceof VaultError;
}
