/**
 * Why a merge, or a change to the trusted-senders list, was refused. A damaged or tampered bundle
 * is a BundleError instead (the same codes as `tvault bundle verify`). Nothing was written either way.
 */
export type MergeErrorCode =
  | 'INVALID_OPTIONS'
  | 'SENDER_KEY_MALFORMED'
  | 'UNTRUSTED_SENDER'
  | 'RECORD_ID_CONFLICT'
  | 'VAULT_CHANGED';

export class MergeError extends Error {
  readonly code: MergeErrorCode;
  constructor(code: MergeErrorCode, message: string) {
    super(message);
    this.name = 'MergeError';
    this.code = code;
  }
}

export function isMergeError(error: unknown): error is MergeError {
  return error instanceof MergeError;
}
