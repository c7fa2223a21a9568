import type { AnalyticsTerm, SearchAnalytics } from './searchAnalytics.js';

export type AnalyticsCsvOptions = {
  /** Which label to print for a term (the other is the fallback). Default `en`. */
  labels?: 'en' | 'ar';
  /** Leave out cells with fewer testimonies than this (small counts can single a witness out). Default 1 (keep all). */
  minimumCount?: number;
};

// A cell starting with = + - @ (or a tab or carriage return) is run as a formula by spreadsheets.
function csvCell(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/**
 * The researchers' counts as one CSV: a `table` column says which table a row belongs to
 * (`facility_violation_year` or `unit_year`). Only vocabulary labels, years and counts appear:
 * no names, references, ids or text of any testimony.
 */
export function analyticsCsv(analytics: SearchAnalytics, options: AnalyticsCsvOptions = {}): string {
  const minimum = options.minimumCount ?? 1;
  const label = (term: AnalyticsTerm | null): string => {
    if (term === null) return '(not recorded)';
    const preferred = options.labels === 'ar' ? (term.labelAr ?? term.labelEn) : (term.labelEn ?? term.labelAr);
    return preferred ?? '(unlabelled term)';
  };
  const year = (value: number | null) => (value === null ? 'unknown' : String(value));
  const lines = [['table', 'facility', 'violation', 'perpetrator_unit', 'year', 'testimonies'].join(',')];
  for (const cell of analytics.facilityViolationYear) {
    if (cell.count < minimum) continue;
    lines.push(['facility_violation_year', label(cell.facility), label(cell.violation), '', year(cell.year), String(cell.count)].map(csvCell).join(','));
  }
  for (const cell of analytics.unitYear) {
    if (cell.count < minimum) continue;
    lines.push(['unit_year', '', '', label(cell.perpetratorUnit), year(cell.year), String(cell.count)].map(csvCell).join(','));
  }
  return `${lines.join('\r\n')}\r\n`;
}
