import { useEffect, useState } from 'react';
import type { TestimonyView } from '../../../shared/ipc/outputSchemas.js';
import type { IpcFailure } from '../../../shared/ipc/result.js';
import { callVault } from '../api/client';
import { ErrorNotice } from '../common/ErrorNotice';
import { useI18n } from '../i18n/useI18n';
import { useLanguageName } from './useLanguageName';

type Props = { id: string; onBack: () => void; onFailure: (failure: IpcFailure) => void };

/** One testimony. Every record field is rendered as text (React escapes it); never as HTML. */
export function TestimonyDetail({ id, onBack, onFailure }: Props) {
  const { t, formatDateTime } = useI18n();
  const languageName = useLanguageName();
  const [testimony, setTestimony] = useState<TestimonyView | null>(null);
  const [failure, setFailure] = useState<IpcFailure | null>(null);

  useEffect(() => {
    let current = true;
    void callVault('testimony:get', { id }).then((result) => {
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
  }, [id, onFailure]);

  return (
    <article className="card detail" aria-labelledby="detail-title">
      <button type="button" className="quiet back" onClick={onBack}>
        <span aria-hidden="true" className="back-arrow">←</span> {t('detail.back')}
      </button>
      <ErrorNotice failure={failure} />
      {testimony ? (
        <>
          <header className="detail-header">
            <p className="reference"><bdi>{testimony.reference}</bdi></p>
            <h2 id="detail-title" dir="auto">{testimony.title}</h2>
          </header>
          <dl className="facts">
            <div>
              <dt>{t('detail.language')}</dt>
              <dd>{languageName(testimony.language)}</dd>
            </div>
            <div>
              <dt>{t('detail.status')}</dt>
              <dd>{t(`status.${testimony.status}`)}</dd>
            </div>
            <div>
              <dt>{t('detail.sensitivity')}</dt>
              <dd>{t(`sensitivity.${testimony.sensitivity}`)}</dd>
            </div>
            <div>
              <dt>{t('detail.interviewDate')}</dt>
              <dd>{testimony.interviewDate ?? t('detail.notRecorded')}</dd>
            </div>
            <div>
              <dt>{t('detail.updated')}</dt>
              <dd>{formatDateTime(testimony.updatedAt)}</dd>
            </div>
            <div>
              <dt>{t('detail.versionLabel')}</dt>
              <dd>{t('detail.version', { version: testimony.version, head: testimony.headVersion })}</dd>
            </div>
          </dl>
          <section aria-labelledby="transcript-heading">
            <h3 id="transcript-heading">{t('detail.transcript')}</h3>
            {testimony.transcript.length > 0 ? (
              <div className="transcript" dir="auto" lang={testimony.language}>{testimony.transcript}</div>
            ) : (
              <p className="empty">{t('detail.noTranscript')}</p>
            )}
          </section>
        </>
      ) : null}
    </article>
  );
}
