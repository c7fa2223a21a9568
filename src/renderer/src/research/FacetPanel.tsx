import { useState } from 'react';
import type { FacetBucketView, FacetDimension, SearchFiltersInput, SearchResultView } from '../../../shared/ipc/researchSchemas.js';
import { useLanguageName } from '../archive/useLanguageName';
import { isMessageKey } from '../i18n/messages';
import { useI18n } from '../i18n/useI18n';
import { isSelected, toggleFacet } from './searchFilters';

const DIMENSIONS: readonly FacetDimension[] = ['facility', 'perpetratorUnit', 'violation', 'year', 'interviewYear', 'language', 'consentScope', 'hasMedia', 'status'];
const PARTIAL_DATE = '^\\d{4}(-\\d{2}(-\\d{2})?)?$';

type Props = { facets: SearchResultView['facets']; filters: SearchFiltersInput; onChange: (filters: SearchFiltersInput) => void };

/** Facet counts for every filter dimension; ticking a value narrows the search. */
export function FacetPanel({ facets, filters, onChange }: Props) {
  const { t, language, formatNumber } = useI18n();
  const languageName = useLanguageName();

  const label = (dimension: FacetDimension, bucket: FacetBucketView): string => {
    if (bucket.value === 'unknown') return t('research.facet.unknown');
    switch (dimension) {
      case 'facility':
      case 'perpetratorUnit':
      case 'violation':
        return (language === 'ar' ? (bucket.labelAr ?? bucket.labelEn) : (bucket.labelEn ?? bucket.labelAr)) ?? bucket.value;
      case 'language':
        return languageName(bucket.value);
      case 'hasMedia':
        return t(bucket.value === 'true' ? 'research.facet.withMedia' : 'research.facet.withoutMedia');
      default: {
        const key = dimension === 'status' ? `status.${bucket.value}` : `research.scope.${bucket.value}`;
        return dimension === 'year' || dimension === 'interviewYear' || !isMessageKey(key) ? bucket.value : t(key);
      }
    }
  };

  return (
    <aside className="facets" aria-label={t('research.facets')}>
      <DateRange legend={t('research.period')} range={filters.period} onChange={(period) => onChange(withRange(filters, 'period', period))} />
      <DateRange legend={t('research.interviewDate')} range={filters.interviewDate} onChange={(range) => onChange(withRange(filters, 'interviewDate', range))} />
      {DIMENSIONS.map((dimension) => {
        const buckets = facets[dimension];
        if (buckets.length === 0) return null;
        return (
          <fieldset key={dimension} className="facet" data-dimension={dimension}>
            <legend>{t(`research.facet.${dimension}`)}</legend>
            {buckets.map((bucket) => (
              <label key={bucket.value} className="facet-value">
                <input
                  type="checkbox"
                  checked={isSelected(filters, dimension, bucket.value)}
                  disabled={bucket.value === 'unknown' && (dimension === 'year' || dimension === 'interviewYear')}
                  onChange={() => onChange(toggleFacet(filters, dimension, bucket.value))}
                />
                <bdi className="facet-label">{label(dimension, bucket)}</bdi>
                <span className="facet-count">{formatNumber(bucket.count)}</span>
              </label>
            ))}
          </fieldset>
        );
      })}
    </aside>
  );
}

type Range = { from?: string | undefined; to?: string | undefined } | undefined;

function withRange(filters: SearchFiltersInput, key: 'period' | 'interviewDate', range: Range): SearchFiltersInput {
  const next = { ...filters };
  if (range && (range.from !== undefined || range.to !== undefined)) next[key] = range;
  else delete next[key];
  return next;
}

/** From/to as partial dates (2014, 2014-03, 2014-03-09); applied on Enter or when the field loses focus. */
function DateRange({ legend, range, onChange }: { legend: string; range: Range; onChange: (range: Range) => void }) {
  const { t } = useI18n();
  const [draft, setDraft] = useState({ from: range?.from ?? '', to: range?.to ?? '' });
  const [shown, setShown] = useState(range);
  if (shown !== range) {
    // A facet click changed the range: show it.
    setShown(range);
    setDraft({ from: range?.from ?? '', to: range?.to ?? '' });
  }
  const valid = (value: string) => value === '' || new RegExp(PARTIAL_DATE).test(value);
  const apply = () => {
    if (!valid(draft.from) || !valid(draft.to)) return;
    const next = { ...(draft.from ? { from: draft.from } : {}), ...(draft.to ? { to: draft.to } : {}) };
    if ((next.from ?? '') === (range?.from ?? '') && (next.to ?? '') === (range?.to ?? '')) return;
    onChange(next);
  };
  return (
    <fieldset className="facet date-range">
      <legend>{legend}</legend>
      {(['from', 'to'] as const).map((end) => (
        <label key={end} className="date-field">
          <span>{t(end === 'from' ? 'research.from' : 'research.to')}</span>
          <input
            type="text"
            inputMode="numeric"
            dir="ltr"
            placeholder={t('research.datePlaceholder')}
            pattern={PARTIAL_DATE}
            aria-invalid={!valid(draft[end])}
            value={draft[end]}
            onChange={(event) => setDraft({ ...draft, [end]: event.target.value.trim() })}
            onBlur={apply}
            onKeyDown={(event) => {
              if (event.key === 'Enter') apply();
            }}
          />
        </label>
      ))}
    </fieldset>
  );
}
