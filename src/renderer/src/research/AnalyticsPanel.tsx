import { useMemo, useState } from 'react';
import { Bar, BarChart, CartesianGrid, LabelList, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { AnalyticsTermView, SearchAnalyticsView, SearchRequestInput } from '../../../shared/ipc/researchSchemas.js';
import type { IpcFailure } from '../../../shared/ipc/result.js';
import { callVault } from '../api/client';
import { useVaultAnswer } from '../api/useVaultAnswer';
import { ErrorNotice } from '../common/ErrorNotice';
import { useI18n } from '../i18n/useI18n';

// Distinguishable for the common colour-vision deficiencies (Okabe–Ito), then greys.
const PALETTE = ['#0072B2', '#E69F00', '#009E73', '#CC79A7', '#56B4E9', '#D55E00', '#F0E442', '#000000', '#7f7f7f', '#b0b0b0'];
const NONE = '-';

type Series = { key: string; name: string };
type Chart = { rows: Record<string, string | number>[]; series: Series[] };

/** Rows by year (ascending, unknown last), one series per term, counts as values. */
function pivot<C extends { year: number | null; count: number }>(cells: readonly C[], termOf: (cell: C) => AnalyticsTermView, label: (term: AnalyticsTermView) => string, unknownYear: string): Chart {
  const series = new Map<string, Series>();
  const byYear = new Map<string, Record<string, string | number>>();
  const years = [...new Set(cells.map((cell) => cell.year))].sort((a, b) => (a ?? Infinity) - (b ?? Infinity));
  for (const year of years) byYear.set(String(year), { year: year === null ? unknownYear : String(year) });
  for (const cell of cells) {
    const term = termOf(cell);
    const key = term?.id ?? NONE;
    if (!series.has(key)) series.set(key, { key, name: label(term) });
    const row = byYear.get(String(cell.year));
    if (row) row[key] = ((row[key] as number | undefined) ?? 0) + cell.count;
  }
  return { rows: [...byYear.values()], series: [...series.values()] };
}

type Props = { request: SearchRequestInput; onFailure: (failure: IpcFailure) => void };

/** PII-free counts over the current search, charted; the same counts can be saved as CSV. */
export function AnalyticsPanel({ request, onFailure }: Props) {
  const { t, language, dir, formatNumber } = useI18n();
  const answer = useVaultAnswer('search:analytics', request, onFailure);
  const analytics: SearchAnalyticsView | null = answer.value;
  const [saveFailure, setFailure] = useState<IpcFailure | null>(null);
  const failure = saveFailure ?? answer.failure;
  const [chosenViolation, setViolation] = useState<string | null>(null);
  const [minimumCount, setMinimumCount] = useState(1);
  const [saved, setSaved] = useState<string | null>(null);

  const label = (term: AnalyticsTermView) => (term === null ? t('research.analytics.notRecorded') : ((language === 'ar' ? (term.labelAr ?? term.labelEn) : (term.labelEn ?? term.labelAr)) ?? term.id));
  // Violations by how many cells name them, most first: the chart starts on the commonest.
  const violations = useMemo(() => {
    const seen = new Map<string, { term: AnalyticsTermView; count: number }>();
    for (const cell of analytics?.facilityViolationYear ?? []) {
      const key = cell.violation?.id ?? NONE;
      seen.set(key, { term: cell.violation, count: (seen.get(key)?.count ?? 0) + cell.count });
    }
    return [...seen.entries()].sort(([, a], [, b]) => b.count - a.count);
  }, [analytics]);

  if (!analytics) return <ErrorNotice failure={failure} />;

  // One violation at a time: summed over violations, a testimony recording two would count twice.
  const violation = chosenViolation !== null && violations.some(([key]) => key === chosenViolation) ? chosenViolation : (violations[0]?.[0] ?? NONE);
  const facilityCells = analytics.facilityViolationYear.filter((cell) => (cell.violation?.id ?? NONE) === violation);
  const facilityChart = pivot(facilityCells, (cell) => cell.facility, label, t('research.facet.unknown'));
  const unitChart = pivot(analytics.unitYear, (cell) => cell.perpetratorUnit, label, t('research.facet.unknown'));

  const saveCsv = async () => {
    const answer = await callVault('analytics:save', { request, labels: language, minimumCount });
    if (!answer.ok) {
      setFailure(answer);
      onFailure(answer);
    } else if (answer.value.saved) {
      setFailure(null);
      setSaved(t('research.analytics.saved', { file: answer.value.fileName ?? '', rows: formatNumber(answer.value.rows) }));
    }
  };

  return (
    <div className="analytics">
      <ErrorNotice failure={failure} />
      <section className="chart-block" aria-labelledby="chart-facility">
        <div className="chart-head">
          <h3 id="chart-facility">{t('research.analytics.facilityTitle')}</h3>
          <label className="inline-field">
            <span>{t('research.analytics.violation')}</span>
            <select name="chart-violation" value={violation} onChange={(event) => setViolation(event.target.value)}>
              {violations.map(([key, { term }]) => <option key={key} value={key}>{label(term)}</option>)}
            </select>
          </label>
        </div>
        <TermChart chart={facilityChart} rtl={dir === 'rtl'} countLabel={t('research.analytics.testimonies')} />
      </section>
      <section className="chart-block" aria-labelledby="chart-unit">
        <div className="chart-head">
          <h3 id="chart-unit">{t('research.analytics.unitTitle')}</h3>
        </div>
        <TermChart chart={unitChart} rtl={dir === 'rtl'} countLabel={t('research.analytics.testimonies')} />
      </section>
      <div className="csv-bar">
        <label className="inline-field">
          <span>{t('research.analytics.minimum')}</span>
          <select name="minimum-count" value={minimumCount} onChange={(event) => setMinimumCount(Number(event.target.value))}>
            {[1, 3, 5, 10].map((value) => <option key={value} value={value}>{formatNumber(value)}</option>)}
          </select>
        </label>
        <button type="button" className="save-csv" onClick={() => void saveCsv()}>{t('research.analytics.saveCsv')}</button>
        <p className="muted csv-note">{t('research.analytics.csvNote')}</p>
      </div>
      {saved ? <p className="notice notice-ok" role="status">{saved}</p> : null}
    </div>
  );
}

function TermChart({ chart, rtl, countLabel }: { chart: Chart; rtl: boolean; countLabel: string }) {
  const { t } = useI18n();
  if (chart.rows.length === 0) return <p className="empty">{t('research.analytics.empty')}</p>;
  return (
    <div className="chart" role="img" aria-label={countLabel}>
      <ResponsiveContainer width="100%" height={260}>
        <BarChart data={chart.rows} margin={{ top: 8, right: 16, bottom: 8, left: 16 }}>
          <CartesianGrid strokeDasharray="3 3" vertical={false} />
          <XAxis dataKey="year" reversed={rtl} />
          <YAxis allowDecimals={false} orientation={rtl ? 'right' : 'left'} width={40} />
          <Tooltip trigger="click" />
          <Legend />
          {chart.series.map((series, index) => (
            // Side by side, not stacked: a testimony naming two facilities counts in both, so a stack would add it twice.
            <Bar key={series.key} dataKey={series.key} name={series.name} fill={PALETTE[index % PALETTE.length] ?? '#7f7f7f'} isAnimationActive={false} maxBarSize={48}>
              <LabelList dataKey={series.key} position="top" className="bar-count" />
            </Bar>
          ))}
        </BarChart>
      </ResponsiveContainer>
    </div>
  );
}
