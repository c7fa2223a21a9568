import type { SearchHit, TestimonySummary } from '../../../shared/ipc/outputSchemas.js';
import { useI18n } from '../i18n/useI18n';
import { useLanguageName } from './useLanguageName';

type Props = {
  items: TestimonySummary[];
  search: { query: string; hits: SearchHit[] } | null;
  onOpen: (id: string) => void;
};

/** The archive's table; with a search, only the matching testimonies, in match order. */
export function TestimonyList({ items, search, onOpen }: Props) {
  const { t, formatDateTime } = useI18n();
  const languageName = useLanguageName();
  const byId = new Map(items.map((item) => [item.id, item]));
  const rows = search ? search.hits.flatMap((hit) => byId.get(hit.id) ?? []) : items;

  return (
    <div className="list">
      <p className="muted" aria-live="polite">
        {search ? t('search.results', { query: search.query, count: rows.length }) : t('list.count', { count: items.length })}
      </p>
      {rows.length === 0 ? (
        <p className="empty">{search ? t('search.none') : t('list.empty')}</p>
      ) : (
        <table className="records">
          <thead>
            <tr>
              <th scope="col">{t('list.reference')}</th>
              <th scope="col">{t('list.title')}</th>
              <th scope="col">{t('list.language')}</th>
              <th scope="col">{t('list.status')}</th>
              <th scope="col">{t('list.updated')}</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((item) => (
              <tr key={item.id} data-testimony-id={item.id}>
                <td className="reference"><bdi>{item.reference}</bdi></td>
                <td className="title-cell">
                  <button type="button" className="link" dir="auto" onClick={() => onOpen(item.id)}>
                    {item.title}
                  </button>
                </td>
                <td>{languageName(item.language)}</td>
                <td><span className={`badge status-${item.status}`}>{t(`status.${item.status}`)}</span></td>
                <td className="date">{formatDateTime(item.updatedAt)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}
