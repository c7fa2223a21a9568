import { useState, type FormEvent } from 'react';
import { MAX_SEARCH_QUERY_CHARS } from '../../../shared/ipc/vocabularies.js';
import { useI18n } from '../i18n/useI18n';

type Props = { onSearch: (query: string) => void; onClear: () => void; active: boolean };

export function SearchBox({ onSearch, onClear, active }: Props) {
  const { t } = useI18n();
  const [query, setQuery] = useState('');

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (query.trim() === '') onClear();
    else onSearch(query.trim());
  }

  return (
    <form className="search" role="search" onSubmit={submit}>
      <label className="visually-hidden" htmlFor="search-query">{t('search.label')}</label>
      <input
        id="search-query"
        name="query"
        type="search"
        dir="auto"
        maxLength={MAX_SEARCH_QUERY_CHARS}
        placeholder={t('search.placeholder')}
        value={query}
        onChange={(event) => setQuery(event.target.value)}
      />
      <button type="submit">{t('search.submit')}</button>
      {active ? (
        <button
          type="button"
          className="quiet"
          onClick={() => {
            setQuery('');
            onClear();
          }}
        >
          {t('search.clear')}
        </button>
      ) : null}
    </form>
  );
}
