import { useVirtualizer } from '@tanstack/react-virtual';
import { useMemo, useRef } from 'react';
import type { TestimonySummary } from '../../../shared/ipc/outputSchemas.js';
import { SENSITIVITY_LEVELS, TESTIMONY_STATUSES } from '../../../shared/ipc/vocabularies.js';
import { useI18n } from '../i18n/useI18n';
import type { MessageKey } from '../i18n/messages';
import { filterAndSort, type ListFilter, type ListSort, type SortKey } from './listFilter';
import { TESTIMONY_LANGUAGES } from './languageLabel';
import { useLanguageName } from './useLanguageName';

const ROW_HEIGHT = 44;
const COLUMNS: { key: SortKey; label: MessageKey; className: string }[] = [
  { key: 'reference', label: 'list.reference', className: 'col-reference' },
  { key: 'title', label: 'list.title', className: 'col-title' },
  { key: 'language', label: 'list.language', className: 'col-language' },
  { key: 'status', label: 'list.status', className: 'col-status' },
  { key: 'interviewDate', label: 'list.interviewDate', className: 'col-date' },
  { key: 'updatedAt', label: 'list.updated', className: 'col-updated' },
];

type Props = {
  items: TestimonySummary[];
  filter: ListFilter;
  sort: ListSort;
  onFilter: (filter: ListFilter) => void;
  onSort: (sort: ListSort) => void;
  onOpen: (id: string) => void;
};

/**
 * The archive's table, virtualised: only the rows in view (plus a few) exist in the DOM, so 100k
 * testimonies scroll as smoothly as ten. Sorting and filtering run over the summaries in memory.
 */
export function TestimonyList({ items, filter, sort, onFilter, onSort, onOpen }: Props) {
  const { t, formatDateTime, formatNumber } = useI18n();
  const languageName = useLanguageName();
  const rows = useMemo(() => filterAndSort(items, filter, sort), [items, filter, sort]);
  const scroller = useRef<HTMLDivElement | null>(null);
  const virtualizer = useVirtualizer({ count: rows.length, getScrollElement: () => scroller.current, estimateSize: () => ROW_HEIGHT, overscan: 8 });
  const filtered = filter.text !== '' || filter.status !== '' || filter.sensitivity !== '' || filter.language !== '';

  function sortBy(key: SortKey) {
    onSort(sort.key === key ? { key, descending: !sort.descending } : { key, descending: key === 'updatedAt' });
  }

  return (
    <div className="list">
      <div className="filters" role="search" aria-label={t('list.filterLabel')}>
        <input name="filter" type="search" dir="auto" placeholder={t('list.filterPlaceholder')} aria-label={t('list.filterPlaceholder')} value={filter.text} onChange={(event) => onFilter({ ...filter, text: event.target.value })} />
        <select name="filterStatus" aria-label={t('list.status')} value={filter.status} onChange={(event) => onFilter({ ...filter, status: event.target.value as ListFilter['status'] })}>
          <option value="">{t('list.anyStatus')}</option>
          {TESTIMONY_STATUSES.map((status) => <option key={status} value={status}>{t(`status.${status}`)}</option>)}
        </select>
        <select name="filterSensitivity" aria-label={t('detail.sensitivity')} value={filter.sensitivity} onChange={(event) => onFilter({ ...filter, sensitivity: event.target.value as ListFilter['sensitivity'] })}>
          <option value="">{t('list.anySensitivity')}</option>
          {SENSITIVITY_LEVELS.map((level) => <option key={level} value={level}>{t(`sensitivity.${level}`)}</option>)}
        </select>
        <select name="filterLanguage" aria-label={t('list.language')} value={filter.language} onChange={(event) => onFilter({ ...filter, language: event.target.value })}>
          <option value="">{t('list.anyLanguage')}</option>
          {TESTIMONY_LANGUAGES.map((code) => <option key={code} value={code}>{languageName(code)}</option>)}
        </select>
      </div>
      <p className="muted list-count" aria-live="polite">
        {filtered ? t('list.filteredCount', { shown: formatNumber(rows.length), count: formatNumber(items.length) }) : t('list.count', { count: formatNumber(items.length) })}
      </p>
      {rows.length === 0 ? (
        <p className="empty">{filtered ? t('list.noMatch') : t('list.empty')}</p>
      ) : (
        <div className="records" role="table" aria-label={t('list.heading')} aria-rowcount={rows.length + 1}>
          <div className="records-head" role="rowgroup">
            <div className="records-row" role="row" aria-rowindex={1}>
              {COLUMNS.map((column) => (
                <div key={column.key} role="columnheader" className={column.className} aria-sort={sort.key === column.key ? (sort.descending ? 'descending' : 'ascending') : 'none'}>
                  <button type="button" className="sort" data-sort={column.key} onClick={() => sortBy(column.key)}>
                    {t(column.label)}
                    <span aria-hidden="true" className="sort-mark">{sort.key === column.key ? (sort.descending ? '▼' : '▲') : ''}</span>
                  </button>
                </div>
              ))}
            </div>
          </div>
          <div className="records-scroll" ref={scroller} role="rowgroup">
            <div className="records-canvas" style={{ blockSize: `${virtualizer.getTotalSize()}px` }}>
              {virtualizer.getVirtualItems().map((virtualRow) => {
                const item = rows[virtualRow.index];
                if (!item) return null;
                return (
                  <div
                    key={item.id}
                    className="records-row"
                    role="row"
                    aria-rowindex={virtualRow.index + 2}
                    data-testimony-id={item.id}
                    style={{ blockSize: `${ROW_HEIGHT}px`, transform: `translateY(${virtualRow.start}px)` }}
                  >
                    <div role="cell" className="col-reference reference"><bdi>{item.reference}</bdi></div>
                    <div role="cell" className="col-title">
                      <button type="button" className="link" dir="auto" title={item.title} onClick={() => onOpen(item.id)}>{item.title}</button>
                    </div>
                    <div role="cell" className="col-language">{languageName(item.language)}</div>
                    <div role="cell" className="col-status"><span className={`badge status-${item.status}`}>{t(`status.${item.status}`)}</span></div>
                    <div role="cell" className="col-date date"><bdi>{item.interviewDate ?? '—'}</bdi></div>
                    <div role="cell" className="col-updated date">{formatDateTime(item.updatedAt)}</div>
                  </div>
                );
              })}
            </div>
          </div>
        </div>
      )}
    </div>
  );
}
