import type { ExportReport } from './exportReport.js';

export type ExportErrorCode =
  | 'INVALID_OPTIONS'
  | 'OUT_DIR_NOT_EMPTY'
  | 'ITEMS_REFUSED'
  | 'NOTHING_TO_EXPORT'
  | 'LEAK_DETECTED'
  | 'MEDIA_INTEGRITY'
  | 'CONTROL_PREFIX_INVALID';

/**
 * An export that stopped. `report` says, item by item, what was refused or what leaked and where;
 * it names fields, files, categories and pseudonyms, never the text itself.
 */
export class ExportError extends Error {
  readonly code: ExportErrorCode;
  readonly report: ExportReport | null;
  constructor(code: ExportErrorCode, message: string, report: ExportReport | null = null) {
    super(message);
    this.name = 'ExportError';
    this.code = code;
    this.report = report;
  }
}

export function isExportError(error: unknown): error is ExportError {
  return error instanceof ExportError;
}
