import type { VerifyReport } from '../core/verifyVault.js';
import { CliError } from './CliError.js';
import type { Output } from './Output.js';

/**
 * verify's human report (each problem, then the counts) and, when anything is wrong, the
 * VERIFY_FAILED error carrying the findings. Shared by verify, backup and restore.
 */
export function printVerifyReport(out: Output, report: VerifyReport, options: { lead: string; failure: string; details?: Record<string, unknown> }): void {
  const { counts, problems } = report;
  const summary = `${counts.records} records (${counts.versions} versions), ${counts.blobs} blobs (${counts.blobBytes} bytes), ${counts.auditEntries} audit entries`;
  if (!out.json) {
    for (const problem of problems) out.line(`problem: ${problem.where}: ${problem.problem}`);
    out.line(`${options.lead} ${summary}: ${problems.length === 0 ? 'no problems' : `${problems.length} problem(s)`}`);
  }
  if (!report.ok) throw new CliError('VERIFY_FAILED', `${options.failure} ${problems.length} problem(s)`, { ...options.details, problems, counts });
}
