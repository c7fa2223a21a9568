/**
 * Why an age file was refused. Each code names one kind of damage or attack, so a lawyer (and the
 * tamper tests) can tell a truncated download from a forged header.
 */
export type AgeErrorCode =
  | 'AGE_BAD_HEADER'
  | 'AGE_HEADER_TOO_LARGE'
  | 'AGE_BAD_STANZA'
  | 'AGE_BAD_SCRYPT'
  | 'AGE_LOW_ORDER_POINT'
  | 'AGE_NO_IDENTITY_MATCHED'
  | 'AGE_HEADER_MAC'
  | 'AGE_TRUNCATED'
  | 'AGE_TRAILING_DATA'
  | 'AGE_CHUNK_AUTH'
  | 'AGE_EMPTY_FINAL_CHUNK'
  | 'AGE_BAD_KEY';

export class AgeError extends Error {
  readonly code: AgeErrorCode;
  constructor(code: AgeErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'AgeError';
    this.code = code;
  }
}
