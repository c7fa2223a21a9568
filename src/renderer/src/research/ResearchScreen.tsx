import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { SearchIndexReportSchema, type SearchFiltersInput, type SearchRequestInput, type SearchResultView } from '../../../shared/ipc/researchSchemas.js';
import type { IpcFailure } from '../../../shared/ipc/result.js';
import { MAX_SEARCH_QUERY_CHARS } from '../../../shared/ipc/vocabularies.js';
import { callVault } from '../api/client';
import { TestimonyDetail } from '../archive/TestimonyDetail';
import { ErrorNotice } from '../common/ErrorNotice';
import { useI18n } from '../i18n/useI18n';
import { ProgressBar } from '../jobs/ProgressBar';
import { useJob } from '../jobs/useJob';
import { AnalyticsPanel } from './AnalyticsPanel';
import { FacetPanel } from './FacetPanel';
import type { MatchFocus } from './focusRanges';
import { activeFilterCount } from './searchFilters';
import { SnippetText } from './SnippetText';
import './research.css';

const PAGE = 20;

type Props = {
  onFailure: (failure: IpcFailure) => void;
  /** Hands every testimony the current search matches to the export wizard. */
  onExport: (testimonyIds: string[]) => void;
};

type Tab = 'results' | 'analytics';

/** Search with the full query language, facets, snippets, analytics; opening a hit jumps to the matched passage. */
export function ResearchScreen({ onFailure, onExport }: Props) {
  const { t, formatNumber } = useI18n();
  const [query, setQuery] = useState('');
  const [tolerant, setTolerant] = useState(false);
  const [filters, setFilters] = useState<SearchFiltersInput>({});
  const [request, setRequest] = useState<SearchRequestInput>({ query: '', filters: {} });
  const [result, setResult] = useState<SearchResultView | null>(null);
  const [failure, setFailure] = useState<IpcFailure | null>(null);
  const [busy, setBusy] = useState(false);
  const [tab, setTab] = useState<Tab>('results');
  const [opened, setOpened] = useState<{ id: string; focus: MatchFocus } | null>(null);
  // The index opens (or is rebuilt) as a job first, with progress; then the first search runs.
  const index = useJob(SearchIndexReportSchema);
  const startIndex = index.start;
  const indexReady = index.state === 'done';

  useEffect(() => {
    void startIndex(() => callVault('search:open', undefined));
  }, [startIndex]);

  const run = useCallback(async (next: SearchRequestInput, append: boolean) => {
    setBusy(true);
    const answer = await callVault('search:query', { ...next, limit: PAGE });
    setBusy(false);
    if (!answer.ok) {
      setFailure(answer);
      onFailure(answer);
      return;
    }
    setFailure(null);
    setResult((previous) => (append && previous ? { ...answer.value, hits: [...previous.hits, ...answer.value.hits] } : answer.value));
  }, [onFailure]);

  useEffect(() => {
    if (indexReady) void run(request, false);
  }, [request, run, indexReady]);

  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    setRequest({ query: query.trim(), tolerant, filters });
  };

  const changeFilters = (next: SearchFiltersInput) => {
    setFilters(next);
    setRequest({ ...request, filters: next, offset: 0 });
  };

  const exportAll = async () => {
    const ids = await callVault('search:ids', { query: request.query, ...(request.tolerant ? { tolerant: true } : {}), filters: request.filters ?? {} });
    if (ids.ok) onExport(ids.value);
    else setFailure(ids);
  };

  if (opened) {
    return <TestimonyDetail id={opened.id} focus={opened.focus} onBack={() => setOpened(null)} onFailure={onFailure} />;
  }

  const syntaxError = failure?.code === 'INVALID_INPUT' && failure.message.startsWith('query:');
  return (
    <section className="card research" aria-labelledby="research-heading">
      <div className="toolbar">
        <h2 id="research-heading">{t('research.heading')}</h2>
        <button type="button" className="quiet reindex" disabled={index.state === 'running'} onClick={() => void index.start(() => callVault('search:reindex', undefined))}>{t('research.reindex')}</button>
      </div>
      {index.state === 'running' ? <ProgressBar progress={index.progress} label={t('research.indexing')} /> : null}
      <ErrorNotice failure={index.failure} />
      {index.result?.rebuildReason === 'damaged' || index.result?.rebuildReason === 'other-vault' ? (
        <p className="notice notice-warn" role="status">{t(`research.rebuilt.${index.result.rebuildReason}`)}</p>
      ) : null}
      <form className="query-bar" role="search" onSubmit={submit}>
        <label className="visually-hidden" htmlFor="research-query">{t('research.queryLabel')}</label>
        <input
          id="research-query"
          name="research-query"
          type="search"
          dir="auto"
          maxLength={MAX_SEARCH_QUERY_CHARS}
          placeholder={t('research.queryPlaceholder')}
          value={query}
          aria-invalid={syntaxError}
          aria-describedby="query-help"
          onChange={(event) => setQuery(event.target.value)}
        />
        <label className="toggle">
          <input type="checkbox" name="tolerant" checked={tolerant} onChange={(event) => setTolerant(event.target.checked)} />
          <span>{t('research.tolerant')}</span>
        </label>
        <button type="submit" className="primary" disabled={busy || !indexReady}>{t('research.search')}</button>
      </form>
      <p id="query-help" className="query-help muted">{t('research.syntaxHelp')}</p>
      {syntaxError ? (
        <div className="notice notice-error query-error" role="alert" data-code={failure.code}>
          <p>{t('research.syntaxError')}</p>
          <p className="notice-detail" dir="ltr">{failure.message}</p>
        </div>
      ) : (
        <ErrorNotice failure={failure} />
      )}
      {result ? (
        <div className="research-body">
          <FacetPanel facets={result.facets} filters={filters} onChange={changeFilters} />
          <div className="research-main">
            <div className="result-bar">
              <p className="result-count" aria-live="polite">
                {t('research.total', { count: formatNumber(result.total) })}
                {activeFilterCount(filters) > 0 ? ` · ${t('research.filtersActive', { count: formatNumber(activeFilterCount(filters)) })}` : ''}
              </p>
              <div className="tabs" role="tablist">
                {(['results', 'analytics'] as const).map((name) => (
                  <button key={name} type="button" role="tab" aria-selected={tab === name} className={tab === name ? 'tab active' : 'tab'} onClick={() => setTab(name)}>
                    {t(`research.tab.${name}`)}
                  </button>
                ))}
              </div>
              <button type="button" className="export-results" disabled={result.total === 0} onClick={() => void exportAll()}>{t('research.exportResults')}</button>
            </div>
            {result.expansions.length > 0 ? (
              <p className="expansions">
                {t('research.alsoSearched')}{' '}
                {result.expansions.flatMap((expansion) => expansion.variants).slice(0, 12).map((variant, index) => (
                  <span key={variant}>{index > 0 ? `${t('research.listSeparator')} ` : null}<bdi>{variant}</bdi></span>
                ))}
              </p>
            ) : null}
            {tab === 'analytics' ? (
              <AnalyticsPanel request={request} onFailure={onFailure} />
            ) : result.hits.length === 0 ? (
              <p className="empty">{t('research.none')}</p>
            ) : (
              <ol className="hits">
                {result.hits.map((hit) => (
                  <li key={hit.id} className="hit">
                    <div className="hit-head">
                      <button type="button" className="link hit-title" dir="auto" onClick={() => setOpened({ id: hit.id, focus: { field: hit.snippet.field, passage: hit.snippet.text, highlights: hit.snippet.highlights } })}>
                        {hit.title}
                      </button>
                      <bdi className="hit-reference">{hit.reference}</bdi>
                    </div>
                    <SnippetText snippet={hit.snippet} />
                  </li>
                ))}
              </ol>
            )}
            {tab === 'results' && result.hits.length < result.total ? (
              <button type="button" className="more" disabled={busy} onClick={() => void run({ ...request, offset: result.hits.length }, true)}>
                {t('research.more')}
              </button>
            ) : null}
          </div>
        </div>
      ) : null}
    </section>
  );
}
