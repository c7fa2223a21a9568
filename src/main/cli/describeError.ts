import { isVaultError } from '../core/errors.js';
import { asBundleError } from '../core/export/BundleError.js';
import { isExportError, type ExportError } from '../core/export/ExportError.js';
import { isMergeError } from '../core/merge/MergeError.js';
import { RedactionPlanError } from '../core/redaction/RedactionPlanError.js';
import { CliError } from './CliError.js';
import { exitCodeFor, type ErrorCode } from './exitCodes.js';
import { ReportedError } from './ReportedError.js';
import { oneLine } from './terminalText.js';

export type ErrorReport = {
  code: ErrorCode;
  message: string;
  exitCode: number;
  details: Record<string, unknown>;
  /** Findings printed on stdout before the error line in human mode (ids, codes, files; never record text). */
  lines?: string[];
  /** Only for INTERNAL errors; printed when TVAULT_DEBUG=1. */
  stack?: string;
};

const SQLITE_CODES: Record<string, ErrorCode> = {
  SQLITE_FULL: 'IO_ERROR',
  SQLITE_READONLY: 'IO_ERROR',
  SQLITE_PERM: 'IO_ERROR',
  SQLITE_CANTOPEN: 'IO_ERROR',
  SQLITE_BUSY: 'VAULT_IN_USE',
  SQLITE_LOCKED: 'VAULT_IN_USE',
  SQLITE_CORRUPT: 'VAULT_CORRUPT',
  SQLITE_NOTADB: 'VAULT_CORRUPT',
};

/** Node system errors (ENOENT, EACCES, ENOSPC, ...) and SQLite I/O errors are the user's to fix, not bugs. */
function environmentCode(error: Error): ErrorCode | undefined {
  const { code, syscall } = error as Error & { code?: unknown; syscall?: unknown };
  if (typeof code !== 'string') return undefined;
  if (typeof syscall === 'string') {
    if (code === 'ENOENT') return 'FILE_NOT_FOUND';
    if (code === 'EEXIST') return 'OUTPUT_EXISTS';
    return 'IO_ERROR';
  }
  if (code.startsWith('SQLITE_IOERR')) return 'IO_ERROR';
  return SQLITE_CODES[code];
}

/**
 * An export's report, item by item: refused testimonies with the reason, leak findings with
 * category, pseudonym and file, file problems. Core keeps record text out of all of them.
 */
function exportFindings(error: ExportError): Pick<ErrorReport, 'details' | 'lines'> {
  const report = error.report;
  if (!report) return { details: {} };
  const { refused, leaks, fileProblems } = report;
  return {
    details: { refused, leaks, fileProblems },
    lines: [
      ...refused.map((item) => `refused: ${item.testimonyId} ${item.code}: ${item.reason}`),
      ...leaks.map((leak) => `leak: ${leak.category} ${leak.pseudonym} in ${leak.file} (${leak.variant}, ${leak.needleId})`),
      ...fileProblems.map((problem) => `problem: ${problem.file}: ${problem.problem}`),
    ].map(oneLine),
  };
}

/** Classifies any thrown value into the one-line report the CLI prints; never includes a stack otherwise. */
export function describeError(error: unknown): ErrorReport {
  if (error instanceof CliError) {
    return { code: error.code, message: oneLine(error.message), exitCode: exitCodeFor(error.code), details: error.details };
  }
  if (error instanceof ReportedError) {
    const inner = describeError(error.error);
    return { ...inner, details: { ...inner.details, ...error.details } };
  }
  if (isVaultError(error) || error instanceof RedactionPlanError) {
    return { code: error.code, message: oneLine(error.message), exitCode: exitCodeFor(error.code), details: {} };
  }
  if (isExportError(error)) {
    return { code: error.code, message: oneLine(error.message), exitCode: exitCodeFor(error.code), ...exportFindings(error) };
  }
  if (isMergeError(error)) {
    return { code: error.code, message: oneLine(error.message), exitCode: exitCodeFor(error.code), details: {} };
  }
  // BundleError, and an AgeError or MinisignError that reached us unwrapped, keep their own code.
  const bundleError = asBundleError(error);
  if (bundleError) {
    return { code: bundleError.code, message: oneLine(bundleError.message), exitCode: exitCodeFor(bundleError.code), details: {} };
  }
  if (error instanceof Error) {
    const code = environmentCode(error);
    if (code) return { code, message: oneLine(error.message), exitCode: exitCodeFor(code), details: {} };
    return { code: 'INTERNAL', message: oneLine(error.message || error.name), exitCode: exitCodeFor('INTERNAL'), details: {}, ...(error.stack ? { stack: error.stack } : {}) };
  }
  return { code: 'INTERNAL', message: oneLine(String(error)), exitCode: exitCodeFor('INTERNAL'), details: {} };
}
