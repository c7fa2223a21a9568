import { useState } from 'react';
import { BundleViewSchema } from '../../../shared/ipc/researchSchemas.js';
import type { IpcFailure } from '../../../shared/ipc/result.js';
import { callVault } from '../api/client';
import { ErrorNotice } from '../common/ErrorNotice';
import { isMessageKey } from '../i18n/messages';
import { useI18n } from '../i18n/useI18n';
import { ProgressBar } from '../jobs/ProgressBar';
import { useJob } from '../jobs/useJob';
import { useProfileLabel } from './useProfileLabel';
import './export.css';

/**
 * A received bundle, read-only: its signature and hash checks, then (with the lawyer's age
 * identity, picked in a main-process dialog) its redacted testimonies, decrypted in memory only.
 */
export function OpenBundleScreen({ onFailure }: { onFailure: (failure: IpcFailure) => void }) {
  const { t, formatNumber, formatDateTime } = useI18n();
  const [signer, setSigner] = useState('');
  const [failure, setFailure] = useState<IpcFailure | null>(null);
  const job = useJob(BundleViewSchema);
  const view = job.result;
  const busy = job.state === 'running';
  const profileLabel = useProfileLabel();
  // Core names its checks in English; known ones are shown in the reader's language.
  const checkLabel = (name: string) => {
    const key = `bundle.check.${name}`;
    return isMessageKey(key) ? t(key) : name;
  };

  const open = async () => {
    const answer = await callVault('bundle:open', signer.trim() === '' ? {} : { expectedSigner: signer.trim() });
    if (!answer.ok) {
      setFailure(answer);
      onFailure(answer);
      return;
    }
    setFailure(null);
    if ('cancelled' in answer.value) return;
    const { jobId } = answer.value;
    await job.start(() => Promise.resolve({ ok: true, value: { jobId } }));
  };

  const verdict = view?.status === 'opened' ? 'ok' : view?.status === 'refused' ? 'refused' : 'partial';
  return (
    <section className="card open-bundle" aria-labelledby="bundle-heading">
      <div className="toolbar">
        <h2 id="bundle-heading">{t('bundle.heading')}</h2>
      </div>
      <p className="muted">{t('bundle.intro')}</p>
      <div className="form">
        <label className="field">
          <span>{t('bundle.signer')}</span>
          <input name="expected-signer" dir="ltr" spellCheck={false} value={signer} placeholder="RW…" onChange={(event) => setSigner(event.target.value)} />
          <small className="muted">{t('bundle.signerHint')}</small>
        </label>
        <div className="actions">
          <button type="button" className="primary choose-bundle" disabled={busy} onClick={() => void open()}>{busy ? t('bundle.opening') : t('bundle.choose')}</button>
        </div>
      </div>
      <ErrorNotice failure={failure ?? job.failure} />
      {busy ? <ProgressBar progress={job.progress} label={t('bundle.opening')} /> : null}
      {view ? (
        <div className={`bundle-view verdict-${verdict}`} data-status={view.status}>
          <p className={verdict === 'ok' ? 'notice notice-ok bundle-verdict' : verdict === 'refused' ? 'notice notice-error bundle-verdict' : 'notice notice-warn bundle-verdict'} role="status">
            {verdict === 'ok' ? t(view.signerExpected ? 'bundle.verdict.okExpected' : 'bundle.verdict.okUnchecked') : verdict === 'refused' ? t('bundle.verdict.refused', { code: view.refusal?.code ?? '' }) : t('bundle.verdict.notDecrypted')}
          </p>
          {view.refusal ? <p className="notice-detail" dir="ltr">{view.refusal.message}</p> : null}
          <dl className="facts">
            <div><dt>{t('bundle.folder')}</dt><dd><bdi>{view.folderName ?? ''}</bdi></dd></div>
            {view.createdAt ? <div><dt>{t('export.summary.created')}</dt><dd>{formatDateTime(view.createdAt)}</dd></div> : null}
            {view.profile ? <div><dt>{t('export.summary.profile')}</dt><dd>{profileLabel(view.profile)}</dd></div> : null}
            <div><dt>{t('bundle.decryption')}</dt><dd>{view.decrypted ? t('bundle.decrypted') : t('bundle.notDecrypted')}</dd></div>
          </dl>
          {view.signer ? <p className="hash"><span className="muted">{t('export.summary.signer')}</span> <code dir="ltr">{view.signer.keyId} · {view.signer.publicKey}</code></p> : null}
          {view.payload ? <p className="hash"><span className="muted">{t('export.summary.sha256')}</span> <code dir="ltr">{view.payload.sha256}</code></p> : null}
          <h3>{t('bundle.checks')}</h3>
          <ul className="checks">
            {view.checks.map((check, index) => (
              <li key={`${check.name}-${index}`} className={check.ok ? 'check ok' : 'check failed'}>
                <span aria-hidden="true" className="check-mark">{check.ok ? '✓' : '✗'}</span>
                <span className="visually-hidden">{check.ok ? t('bundle.checkOk') : t('bundle.checkFailed')}</span>
                <span>{checkLabel(check.name)}</span>
              </li>
            ))}
          </ul>
          {view.testimonies.length > 0 ? (
            <>
              <h3>{t('bundle.items', { count: formatNumber(view.testimonies.length) })}</h3>
              {view.testimonies.map((testimony) => (
                <article key={testimony.controlNumber} className="opened-testimony" aria-label={testimony.controlNumber}>
                  <header>
                    <bdi className="reference">{testimony.controlNumber}</bdi>
                    <h4 dir="auto">{testimony.title}</h4>
                  </header>
                  <p className="muted">{t('bundle.itemFacts', { media: formatNumber(testimony.media.length), excluded: formatNumber(testimony.excludedMedia.length) })}{testimony.anonymised ? ` · ${t('export.summary.anonymised')}` : ''}</p>
                  <div className="transcript" dir="auto" lang={testimony.language}>{testimony.transcript}</div>
                </article>
              ))}
            </>
          ) : null}
        </div>
      ) : null}
    </section>
  );
}
