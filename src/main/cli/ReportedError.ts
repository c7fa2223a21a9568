/**
 * A failure plus what the command found on the way (bundle verify's passed checks), for the
 * `--json` error document. The code, message and exit code are those of `error`.
 */
export class ReportedError extends Error {
  constructor(
    readonly error: Error,
    readonly details: Record<string, unknown>,
  ) {
    super(error.message);
    this.name = 'ReportedError';
  }
}
