/** Failures the CLI itself detects, as opposed to VaultError codes raised by core. */
export type CliErrorCode =
  | 'USAGE'
  | 'VERIFY_FAILED'
  | 'AUDIT_CHAIN_BROKEN'
  | 'NO_PASSPHRASE'
  | 'PASSPHRASE_MISMATCH'
  | 'BAD_JSON'
  | 'OUTPUT_EXISTS';

export class CliError extends Error {
  readonly code: CliErrorCode;
  /** Extra fields for the `--json` error document (e.g. verify's problem list). Never secrets. */
  readonly details: Record<string, unknown>;

  constructor(code: CliErrorCode, message: string, details: Record<string, unknown> = {}) {
    super(message);
    this.name = 'CliError';
    this.code = code;
    this.details = details;
  }
}
