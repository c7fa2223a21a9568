import { useCallback, useEffect, useState } from 'react';
import type { TestimonySummary } from '../../../shared/ipc/outputSchemas.js';
import type { IpcFailure } from '../../../shared/ipc/result.js';
import { callVault } from '../api/client';
import { ErrorNotice } from '../common/ErrorNotice';
import { useI18n } from '../i18n/useI18n';
import { EMPTY_FILTER, type ListFilter, type ListSort } from './listFilter';
import { TestimonyDetail } from './TestimonyDetail';
import { TestimonyEditor } from './TestimonyEditor';
import { TestimonyList } from './TestimonyList';

type View = { kind: 'list' } | { kind: 'detail'; id: string } | { kind: 'add' } | { kind: 'edit'; id: string };
type Props = { onLocked: () => void };

/** The testimonies: list, detail, add and edit. The list keeps its filter and sort while a record is open. */
export function Archive({ onLocked }: Props) {
  const { t } = useI18n();
  const [view, setView] = useState<View>({ kind: 'list' });
  const [items, setItems] = useState<TestimonySummary[] | null>(null);
  const [filter, setFilter] = useState<ListFilter>(EMPTY_FILTER);
  const [sort, setSort] = useState<ListSort>({ key: 'updatedAt', descending: true });
  const [failure, setFailure] = useState<IpcFailure | null>(null);

  const handleFailure = useCallback((result: IpcFailure) => {
    if (result.code === 'VAULT_LOCKED') onLocked();
  }, [onLocked]);

  const refresh = useCallback(async () => {
    const result = await callVault('testimony:list', undefined);
    if (result.ok) {
      setItems(result.value);
      setFailure(null);
    } else {
      setFailure(result);
      handleFailure(result);
    }
  }, [handleFailure]);

  useEffect(() => {
    void refresh();
  }, [refresh]);

  const backToList = useCallback(() => {
    setView({ kind: 'list' });
    void refresh();
  }, [refresh]);

  if (view.kind === 'detail') {
    return <TestimonyDetail id={view.id} onBack={backToList} onFailure={handleFailure} onEdit={() => setView({ kind: 'edit', id: view.id })} />;
  }
  if (view.kind === 'add' || view.kind === 'edit') {
    return (
      <TestimonyEditor
        testimonyId={view.kind === 'edit' ? view.id : null}
        onSaved={(id) => {
          setView({ kind: 'detail', id });
          void refresh();
        }}
        onCancel={() => setView(view.kind === 'edit' ? { kind: 'detail', id: view.id } : { kind: 'list' })}
        onFailure={handleFailure}
      />
    );
  }
  return (
    <section className="card list-card" aria-labelledby="list-heading">
      <div className="toolbar">
        <h2 id="list-heading">{t('list.heading')}</h2>
        <button type="button" className="primary add-testimony" onClick={() => setView({ kind: 'add' })}>{t('list.add')}</button>
      </div>
      <ErrorNotice failure={failure} />
      {items ? <TestimonyList items={items} filter={filter} sort={sort} onFilter={setFilter} onSort={setSort} onOpen={(id) => setView({ kind: 'detail', id })} /> : <p className="muted">{t('app.loading')}</p>}
    </section>
  );
}
