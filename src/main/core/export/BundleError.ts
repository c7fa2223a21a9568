import type { AgeErrorCode } from '../crypto/AgeError.js';
import type { MinisignErrorCode } from '../crypto/MinisignError.js';

/**
 * Why a bundle was refused on the lawyer's side. One code per kind of damage or attack; the
 * message says where, never what the payload holds. Pure (shared with the viewer).
 */
export type BundleErrorCode =
  | AgeErrorCode
  | MinisignErrorCode
  | 'BUNDLE_NOT_FOUND'
  | 'BUNDLE_FILE_MISSING'
  | 'BUNDLE_FILE_NOT_REGULAR'
  | 'BUNDLE_FILE_TOO_LARGE'
  | 'BUNDLE_TOO_LARGE'
  | 'MANIFEST_MALFORMED'
  | 'UNKNOWN_SIGNER'
  | 'TRUSTED_COMMENT_MISMATCH'
  | 'CHECKSUMS_MALFORMED'
  | 'CHECKSUMS_MISMATCH'
  | 'COMPANION_MODIFIED'
  | 'PAYLOAD_TRUNCATED'
  | 'PAYLOAD_TOO_LONG'
  | 'PAYLOAD_HASH_MISMATCH'
  | 'PAYLOAD_HEADER_CHANGED'
  | 'RECIPIENTS_CHANGED'
  | 'PAYLOAD_CHANGED_DURING_OPEN'
  | 'IDENTITY_MALFORMED'
  | 'TAR_BAD_HEADER'
  | 'TAR_BAD_CHECKSUM'
  | 'TAR_BAD_NAME'
  | 'TAR_ABSOLUTE_PATH'
  | 'TAR_PATH_TRAVERSAL'
  | 'TAR_LINK'
  | 'TAR_SPECIAL_FILE'
  | 'TAR_EXTENDED_HEADER'
  | 'TAR_SIZE_ABSURD'
  | 'TAR_TRUNCATED'
  | 'TAR_TRAILING_DATA'
  | 'TAR_DUPLICATE_ENTRY'
  | 'TAR_UNEXPECTED_ENTRY'
  | 'TAR_TOO_MANY_ENTRIES'
  | 'INNER_MANIFEST_MISSING'
  | 'INNER_MANIFEST_MISMATCH'
  | 'INNER_SIGNATURE_INVALID'
  | 'INNER_CHECKSUMS_MISMATCH'
  | 'ENTRY_HASH_MISMATCH'
  | 'ENTRY_MISSING'
  | 'ENTRY_NOT_IN_MANIFEST'
  | 'TESTIMONY_MALFORMED'
  | 'IMAGE_METADATA_PRESENT'
  | 'IMAGE_ABSURD_DIMENSIONS'
  | 'MEDIA_MALFORMED'
  | 'WRONG_PROFILE'
  | 'TRANSFER_MALFORMED'
  | 'OUT_DIR_NOT_EMPTY'
  | 'INSUFFICIENT_SPACE';

export class BundleError extends Error {
  readonly code: BundleErrorCode;
  constructor(code: BundleErrorCode, message: string) {
    super(message);
    this.name = 'BundleError';
    this.code = code;
  }
}

export function isBundleError(error: unknown): error is BundleError {
  return error instanceof BundleError;
}

/** Carries an age or minisign refusal over with its own code. */
export function asBundleError(error: unknown): BundleError | null {
  if (error instanceof BundleError) return error;
  if (error instanceof Error && (error.name === 'AgeError' || error.name === 'MinisignError')) {
    return new BundleError((error as Error & { code: BundleErrorCode }).code, error.message);
  }
  return null;
}
