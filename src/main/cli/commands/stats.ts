import { analyticsCsv } from '../../core/search/analyticsCsv.js';
import { defineCommand } from '../CommandSpec.js';
import { CliError } from '../CliError.js';
import { parseCommandArgs, parsePositiveInteger, VAULT_HELP, VAULT_OPTIONS } from '../parseCommandArgs.js';
import { SEARCH_FILTER_HELP, SEARCH_FILTER_OPTIONS, searchRequestFromFlags } from '../searchRequestFromFlags.js';
import { withVault } from '../withVault.js';

export const statsCommand = defineCommand({
  words: ['stats'],
  summary: 'testimony counts by facility × violation × year and unit × year (no personal data)',
  usage: 'stats <dir> [--query "<query>"] [filters] [--csv] [--labels en|ar] [--min-count N]',
  help: [
    'Counts testimonies over a search result (every testimony without --query). A testimony counts',
    'once in every cell it belongs to: each (facility, violation, year) it records, for every year its',
    'period touches. Only vocabulary labels, years and counts are printed: no names, references or text.',
    '--query "<query>"        restrict to the testimonies this search finds',
    ...SEARCH_FILTER_HELP,
    '--csv                    write CSV (one table column: facility_violation_year or unit_year)',
    '--labels en|ar           which label to print for a term (default en)',
    '--min-count N            leave out cells with fewer testimonies (small counts can single a witness out)',
    ...VAULT_HELP,
  ],
  cancellable: false,
  async run(args, context) {
    const { values, positionals } = parseCommandArgs(
      context.spec,
      args,
      { ...VAULT_OPTIONS, ...SEARCH_FILTER_OPTIONS, query: { type: 'string' }, csv: { type: 'boolean' }, labels: { type: 'string' }, 'min-count': { type: 'string' } },
      { min: 1, max: 1 },
    );
    const [dir = ''] = positionals;
    if (values.csv && values.json) throw new CliError('USAGE', 'give either --csv or --json, not both');
    if (values.labels !== undefined && values.labels !== 'en' && values.labels !== 'ar') throw new CliError('USAGE', '--labels must be en or ar');
    const labels = values.labels === 'ar' ? 'ar' : 'en';
    const minimumCount = values['min-count'] === undefined ? 1 : parsePositiveInteger(context.spec, 'min-count', values['min-count']);
    const request = searchRequestFromFlags(context.spec, values.query ?? '', values);
    const analytics = await withVault(context, dir, values['passphrase-file'], (vault) => vault.searchAnalytics(request));
    const { out, io } = context;
    if (values.csv) {
      io.stdout.write(analyticsCsv(analytics, { labels, minimumCount }));
      return;
    }
    const keep = <T extends { count: number }>(cells: T[]) => cells.filter((cell) => cell.count >= minimumCount);
    out.result({ total: analytics.total, facilityViolationYear: keep(analytics.facilityViolationYear), unitYear: keep(analytics.unitYear) }, () => {
      const label = (term: { labelEn?: string; labelAr?: string } | null) => (term === null ? '(not recorded)' : ((labels === 'ar' ? (term.labelAr ?? term.labelEn) : (term.labelEn ?? term.labelAr)) ?? '(unlabelled)'));
      const year = (value: number | null) => (value === null ? 'unknown' : String(value));
      out.line(`${analytics.total} testimon${analytics.total === 1 ? 'y' : 'ies'}`);
      out.line();
      out.table([['FACILITY', 'VIOLATION', 'YEAR', 'COUNT'], ...keep(analytics.facilityViolationYear).map((cell) => [label(cell.facility), label(cell.violation), year(cell.year), String(cell.count)])]);
      out.line();
      out.table([['PERPETRATOR UNIT', 'YEAR', 'COUNT'], ...keep(analytics.unitYear).map((cell) => [label(cell.perpetratorUnit), year(cell.year), String(cell.count)])]);
    });
  },
});
