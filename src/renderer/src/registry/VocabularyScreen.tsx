import { useMemo, useState, type FormEvent } from 'react';
import type { IpcFailure } from '../../../shared/ipc/result.js';
import { VOCABULARY_SCHEMES } from '../../../shared/ipc/vocabularies.js';
import { callVault } from '../api/client';
import { useVaultAnswer } from '../api/useVaultAnswer';
import { ErrorNotice } from '../common/ErrorNotice';
import { useI18n } from '../i18n/useI18n';
import { foldForFilter } from '../archive/listFilter';

type Scheme = (typeof VOCABULARY_SCHEMES)[number];

/** The controlled vocabularies (facilities, perpetrator units, violations) with their aliases. */
export function VocabularyScreen({ onFailure }: { onFailure: (failure: IpcFailure) => void }) {
  const { t, formatNumber } = useI18n();
  const [scheme, setScheme] = useState<Scheme>('facility');
  const [query, setQuery] = useState('');
  const [labelEn, setLabelEn] = useState('');
  const [labelAr, setLabelAr] = useState('');
  const [aliases, setAliases] = useState('');
  const [failure, setFailure] = useState<IpcFailure | null>(null);

  const { value: terms, reload } = useVaultAnswer('vocabulary:list', {}, onFailure);

  const shown = useMemo(() => {
    const needle = foldForFilter(query.trim());
    return (terms ?? []).filter((term) => term.scheme === scheme && (needle === '' || [term.labelEn, term.labelAr, ...term.aliases].some((name) => name !== undefined && foldForFilter(name).includes(needle))));
  }, [terms, scheme, query]);

  async function add(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const result = await callVault('vocabulary:add', {
      scheme,
      ...(labelEn.trim() ? { labelEn: labelEn.trim() } : {}),
      ...(labelAr.trim() ? { labelAr: labelAr.trim() } : {}),
      aliases: aliases.split(/[,،]/).map((alias) => alias.trim()).filter((alias) => alias !== ''),
    });
    if (!result.ok) {
      setFailure(result);
      onFailure(result);
      return;
    }
    setFailure(null);
    setLabelEn('');
    setLabelAr('');
    setAliases('');
    reload();
  }

  const count = (candidate: Scheme) => (terms ?? []).filter((term) => term.scheme === candidate).length;

  return (
    <section className="card registry" aria-labelledby="vocabulary-heading">
      <div className="toolbar">
        <h2 id="vocabulary-heading">{t('vocabulary.heading')}</h2>
        <input name="termFilter" type="search" dir="auto" className="toolbar-filter" placeholder={t('vocabulary.filter')} aria-label={t('vocabulary.filter')} value={query} onChange={(event) => setQuery(event.target.value)} />
      </div>
      <p className="muted">{t('vocabulary.intro')}</p>
      <div className="tabs" role="tablist" aria-label={t('vocabulary.heading')}>
        {VOCABULARY_SCHEMES.map((candidate) => (
          <button key={candidate} type="button" role="tab" data-scheme={candidate} aria-selected={scheme === candidate} className={scheme === candidate ? 'tab active' : 'tab'} onClick={() => setScheme(candidate)}>
            {t(`scheme.${candidate}`)} <span className="count">{formatNumber(count(candidate))}</span>
          </button>
        ))}
      </div>
      <form className="inline-form term-form" onSubmit={add} aria-label={t('vocabulary.add')}>
        <input name="labelEn" dir="ltr" lang="en" placeholder={t('vocabulary.labelEn')} aria-label={t('vocabulary.labelEn')} maxLength={500} value={labelEn} onChange={(event) => setLabelEn(event.target.value)} />
        <input name="labelAr" dir="rtl" lang="ar" placeholder={t('vocabulary.labelAr')} aria-label={t('vocabulary.labelAr')} maxLength={500} value={labelAr} onChange={(event) => setLabelAr(event.target.value)} />
        <input name="aliases" dir="auto" placeholder={t('vocabulary.aliases')} aria-label={t('vocabulary.aliases')} value={aliases} onChange={(event) => setAliases(event.target.value)} />
        <button type="submit" className="primary add-term" disabled={labelEn.trim() === '' && labelAr.trim() === ''}>{t('vocabulary.add')}</button>
      </form>
      <ErrorNotice failure={failure} />
      {terms === null ? <p className="muted">{t('app.loading')}</p> : shown.length === 0 ? <p className="empty">{t('vocabulary.empty')}</p> : (
        <table className="plain-table terms-table">
          <thead><tr><th scope="col">{t('vocabulary.labelEn')}</th><th scope="col">{t('vocabulary.labelAr')}</th><th scope="col">{t('vocabulary.aliases')}</th></tr></thead>
          <tbody>
            {shown.map((term) => (
              <tr key={term.id} data-term-id={term.id}>
                <td lang="en" dir="ltr">{term.labelEn ?? '—'}</td>
                <td lang="ar" dir="rtl">{term.labelAr ?? '—'}</td>
                <td>{term.aliases.length > 0 ? <ul className="chips">{term.aliases.map((alias) => <li key={alias} className="chip"><bdi dir="auto">{alias}</bdi></li>)}</ul> : <span className="muted">—</span>}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
