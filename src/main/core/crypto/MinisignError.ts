/** Why a minisign public key or signature was refused. */
export type MinisignErrorCode = 'SIGNATURE_MALFORMED' | 'SIGNATURE_INVALID' | 'SIGNER_KEY_MALFORMED' | 'SIGNER_KEY_MISMATCH';

export class MinisignError extends Error {
  readonly code: MinisignErrorCode;
  constructor(code: MinisignErrorCode, message: string) {
    super(message);
    this.name = 'MinisignError';
    this.code = code;
  }
}
