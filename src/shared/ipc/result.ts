import { z } from 'zod';

/**
 * Codes a result may carry across IPC: core's VaultErrorCode (main checks at compile time that
 * each of them is here) plus the ones only the IPC layer produces.
 */
export const IPC_ERROR_CODES = [
  'WRONG_PASSPHRASE',
  'UNLOCK_DELAYED',
  'VAULT_WIPED',
  'WEAK_PASSPHRASE',
  'VAULT_NOT_FOUND',
  'VAULT_EXISTS',
  'VAULT_IN_USE',
  'VAULT_TOO_NEW',
  'VAULT_CORRUPT',
  'VAULT_LOCKED',
  'KDF_PARAMS_REJECTED',
  'KDF_OUTPUT_REJECTED',
  'AUTH_FAILED',
  'STREAM_TRUNCATED',
  'STREAM_TRAILING_DATA',
  'INVALID_INPUT',
  'NOT_FOUND',
  'FILE_NOT_FOUND',
  'IO_ERROR',
  'CANCELLED',
  // IPC only: the sender is not our app's own page.
  'FORBIDDEN',
  // IPC only: anything that is not a VaultError; the details stay in main.
  'INTERNAL',
] as const;
export const IpcErrorCodeSchema = z.enum(IPC_ERROR_CODES);
export type IpcErrorCode = z.infer<typeof IpcErrorCodeSchema>;

export type IpcFailure = { ok: false; code: IpcErrorCode; message: string };
export type IpcSuccess<T> = { ok: true; value: T };
/** What every channel answers: a value, or a code and one human sentence. Never a stack. */
export type IpcResult<T> = IpcSuccess<T> | IpcFailure;

export const IpcFailureSchema = z.strictObject({ ok: z.literal(false), code: IpcErrorCodeSchema, message: z.string().max(2000) });
