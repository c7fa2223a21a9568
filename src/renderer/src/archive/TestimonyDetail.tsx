import { useCallback, useEffect, useState } from 'react';
import type { TestimonyView, VocabularyTerm } from '../../../shared/ipc/outputSchemas.js';
import type { IpcFailure } from '../../../shared/ipc/result.js';
import { callVault } from '../api/client';
import { ErrorNotice } from '../common/ErrorNotice';
import { useI18n } from '../i18n/useI18n';
import { MediaPanel } from '../media/MediaPanel';
import { HighlightedText, type MatchFocus } from '../research/HighlightedText';
import { ConsentPanel } from './ConsentPanel';
import { DeleteTestimony } from './DeleteTestimony';
import { PersonLinks } from './PersonLinks';
import { useLanguageName } from './useLanguageName';
import { VersionHistory } from './VersionHistory';
import { termLabel } from './VocabularyPicker';

type Props = {
  id: string;
  onBack: () => void;
  onFailure: (failure: IpcFailure) => void;
  /** From a search hit: the matched passage is marked and scrolled into view. */
  focus?: MatchFocus | null;
  /** Offers "Edit" when given (the archive does; the research screen's read-only view does not). */
  onEdit?: () => void;
};

/** One testimony, every field. Record text is rendered as text (React escapes it); never as HTML. */
export function TestimonyDetail({ id, onBack, onFailure, focus, onEdit }: Props) {
  const { t, language, formatDateTime } = useI18n();
  const languageName = useLanguageName();
  const [testimony, setTestimony] = useState<TestimonyView | null>(null);
  const [version, setVersion] = useState<number | null>(null);
  const [failure, setFailure] = useState<IpcFailure | null>(null);
  const [reloads, setReloads] = useState(0);

  useEffect(() => {
    let current = true;
    void callVault('testimony:get', version === null ? { id } : { id, version }).then((result) => {
      if (!current) return;
      if (result.ok) setTestimony(result.value);
      else {
        setFailure(result);
        onFailure(result);
      }
    });
    return () => {
      current = false;
    };
  }, [id, version, reloads, onFailure]);

  const reload = useCallback(() => {
    setVersion(null);
    setReloads((count) => count + 1);
  }, []);

  const terms = (list: VocabularyTerm[]) =>
    list.length === 0 ? <span className="muted">{t('detail.none')}</span> : (
      <ul className="chips">
        {list.map((term) => (
          <li key={term.id} className="chip" title={term.aliases.join(' · ')}>
            <bdi dir="auto">{termLabel(term, language)}</bdi>
          </li>
        ))}
      </ul>
    );
  const text = (value: string | undefined) => (value ? <bdi dir="auto">{value}</bdi> : <span className="muted">{t('detail.notRecorded')}</span>);
  const isHead = testimony !== null && testimony.version === testimony.headVersion;

  return (
    <article className="card detail" aria-labelledby="detail-title">
      <div className="detail-actions">
        <button type="button" className="quiet back" onClick={onBack}>
          <span aria-hidden="true" className="back-arrow">←</span> {t('detail.back')}
        </button>
        {onEdit && isHead ? <button type="button" className="primary edit" onClick={onEdit}>{t('detail.edit')}</button> : null}
      </div>
      <ErrorNotice failure={failure} />
      {testimony ? (
        <>
          {!isHead ? (
            <p className="notice notice-warn old-version" role="status">
              {testimony.version === 1 ? t('history.viewingOriginal') : t('history.viewingOld', { version: testimony.version })}{' '}
              <button type="button" className="link" onClick={() => setVersion(null)}>{t('history.backToCurrent')}</button>
            </p>
          ) : null}
          <header className="detail-header">
            <p className="reference"><bdi>{testimony.reference}</bdi></p>
            <h2 id="detail-title" dir="auto">{testimony.title}</h2>
          </header>
          <dl className="facts">
            <div><dt>{t('detail.language')}</dt><dd>{languageName(testimony.language)}</dd></div>
            <div><dt>{t('detail.status')}</dt><dd>{t(`status.${testimony.status}`)}</dd></div>
            <div><dt>{t('detail.sensitivity')}</dt><dd className={`sensitivity-${testimony.sensitivity}`}>{t(`sensitivity.${testimony.sensitivity}`)}</dd></div>
            <div><dt>{t('detail.interviewDate')}</dt><dd>{text(testimony.interviewDate)}</dd></div>
            <div><dt>{t('detail.interviewPlace')}</dt><dd>{text(testimony.interviewPlace)}</dd></div>
            <div><dt>{t('detail.interviewer')}</dt><dd>{text(testimony.interviewer)}</dd></div>
            <div><dt>{t('detail.period')}</dt><dd>{testimony.period?.from || testimony.period?.to ? <bdi dir="ltr">{testimony.period.from ?? '…'} – {testimony.period.to ?? '…'}</bdi> : text(undefined)}</dd></div>
            <div><dt>{t('detail.created')}</dt><dd>{formatDateTime(testimony.createdAt)}</dd></div>
            <div><dt>{t('detail.updated')}</dt><dd>{formatDateTime(testimony.updatedAt)}</dd></div>
            <div><dt>{t('detail.versionLabel')}</dt><dd>{t('detail.version', { version: testimony.version, head: testimony.headVersion })}</dd></div>
          </dl>
          <div className="detail-columns">
            <div className="detail-main">
              <section aria-labelledby="summary-heading">
                <h3 id="summary-heading">{t('detail.summary')}</h3>
                {testimony.summary ? <HighlightedText className="summary" text={testimony.summary} focus={focus?.field === 'summary' ? focus : null} lang={testimony.language} /> : <p className="muted">{t('detail.noSummary')}</p>}
              </section>
              <section aria-labelledby="transcript-heading">
                <h3 id="transcript-heading">{t('detail.transcript')}</h3>
                {testimony.transcript.length > 0 ? (
                  <HighlightedText className="transcript" text={testimony.transcript} focus={focus?.field === 'transcript' ? focus : null} lang={testimony.language} />
                ) : (
                  <p className="empty">{t('detail.noTranscript')}</p>
                )}
              </section>
              <section aria-labelledby="terms-heading" className="terms">
                <h3 id="terms-heading">{t('detail.classification')}</h3>
                <dl className="term-list">
                  <div><dt>{t('detail.facilities')}</dt><dd>{terms(testimony.facilities)}</dd></div>
                  <div><dt>{t('detail.perpetratorUnits')}</dt><dd>{terms(testimony.perpetratorUnits)}</dd></div>
                  <div><dt>{t('detail.violations')}</dt><dd>{terms(testimony.violations)}</dd></div>
                  <div>
                    <dt>{t('detail.tags')}</dt>
                    <dd>{testimony.tags.length === 0 ? <span className="muted">{t('detail.none')}</span> : <ul className="chips">{testimony.tags.map((tag) => <li key={tag} className="chip"><bdi dir="auto">{tag}</bdi></li>)}</ul>}</dd>
                  </div>
                </dl>
              </section>
              <MediaPanel testimonyId={testimony.id} editable={isHead} onFailure={onFailure} />
            </div>
            <aside className="detail-side">
              <ConsentPanel consent={testimony.consent} />
              <PersonLinks testimony={testimony} editable={isHead && onEdit !== undefined} onChanged={reload} onFailure={onFailure} />
              <VersionHistory testimonyId={testimony.id} shownVersion={testimony.version} reloads={reloads} onShow={(shown) => setVersion(shown)} onFailure={onFailure} />
              {onEdit && isHead ? <DeleteTestimony id={testimony.id} reference={testimony.reference} onDeleted={onBack} onFailure={onFailure} /> : null}
            </aside>
          </div>
        </>
      ) : null}
    </article>
  );
}
