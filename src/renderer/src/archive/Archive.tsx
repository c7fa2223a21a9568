import { useCallback, useEffect, useState } from 'react';
import type { SearchHit, TestimonySummary } from '../../../shared/ipc/outputSchemas.js';
import type { IpcFailure } from '../../../shared/ipc/result.js';
import { callVault } from '../api/client';
import { ErrorNotice } from '../common/ErrorNotice';
import { useI18n } from '../i18n/useI18n';
import { AddTestimonyForm } from './AddTestimonyForm';
import { SearchBox } from './SearchBox';
import { TestimonyDetail } from './TestimonyDetail';
import { TestimonyList } from './TestimonyList';

type Screen = { kind: 'list' } | { kind: 'detail'; id: string } | { kind: 'add' };
type Props = { onLocked: () => void };

/** The unlocked vault. Unmounting it (on lock) drops every decrypted value it held. */
export function Archive({ onLocked }: Props) {
  const { t } = useI18n();
  const [screen, setScreen] = useState<Screen>({ kind: 'list' });
  const [items, setItems] = useState<TestimonySummary[] | null>(null);
  const [search, setSearch] = useState<{ query: string; hits: SearchHit[] } | null>(null);
  const [failure, setFailure] = useState<IpcFailure | null>(null);

  const handleFailure = useCallback(
    (result: IpcFailure) => {
      if (result.code === 'VAULT_LOCKED') onLocked();
    },
    [onLocked],
  );

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

  async function runSearch(query: string) {
    const result = await callVault('search:query', { query });
    if (result.ok) {
      setSearch({ query, hits: result.value });
      setFailure(null);
    } else {
      setFailure(result);
      handleFailure(result);
    }
  }

  if (screen.kind === 'detail') {
    return <TestimonyDetail id={screen.id} onBack={() => setScreen({ kind: 'list' })} onFailure={handleFailure} />;
  }
  if (screen.kind === 'add') {
    return (
      <AddTestimonyForm
        onSaved={() => {
          setSearch(null);
          setScreen({ kind: 'list' });
          void refresh();
        }}
        onCancel={() => setScreen({ kind: 'list' })}
        onFailure={handleFailure}
      />
    );
  }
  return (
    <section className="card" aria-labelledby="list-heading">
      <div className="toolbar">
        <h2 id="list-heading">{t('list.heading')}</h2>
        <SearchBox onSearch={(query) => void runSearch(query)} onClear={() => setSearch(null)} active={search !== null} />
        <button type="button" className="primary" onClick={() => setScreen({ kind: 'add' })}>{t('list.add')}</button>
      </div>
      <ErrorNotice failure={failure} />
      {items ? <TestimonyList items={items} search={search} onOpen={(id) => setScreen({ kind: 'detail', id })} /> : null}
    </section>
  );
}
