import { useCallback, useEffect, useState } from 'react';
import type { AuditReport } from '../../../shared/ipc/outputSchemas.js';
import type { IpcFailure } from '../../../shared/ipc/result.js';
import { callVault } from '../api/client';
import { ErrorNotice } from '../common/ErrorNotice';
import { useI18n } from '../i18n/useI18n';
import { isMessageKey } from '../i18n/messages';

const SHOWN = 1000;

/** The signed, hash-chained audit log, newest first, with the result of verifying the whole chain. */
export function AuditScreen({ onFailure }: { onFailure: (failure: IpcFailure) => void }) {
  const { t, formatDateTime, formatNumber } = useI18n();
  const [report, setReport] = useState<AuditReport | null>(null);
  const [failure, setFailure] = useState<IpcFailure | null>(null);
  const [checking, setChecking] = useState(false);

  const verify = useCallback(async () => {
    setChecking(true);
    const result = await callVault('audit:list', undefined);
    setChecking(false);
    if (result.ok) {
      setReport(result.value);
      setFailure(null);
    } else {
      setFailure(result);
      onFailure(result);
    }
  }, [onFailure]);

  useEffect(() => {
    void verify();
  }, [verify]);

  const entries = report ? [...report.entries].sort((a, b) => b.seq - a.seq).slice(0, SHOWN) : [];
  const ok = report !== null && report.problems.length === 0;

  return (
    <section className="card audit" aria-labelledby="audit-heading">
      <div className="toolbar">
        <h2 id="audit-heading">{t('audit.heading')}</h2>
        <button type="button" className="verify-chain" disabled={checking} onClick={() => void verify()}>{checking ? t('audit.checking') : t('audit.verify')}</button>
      </div>
      <p className="muted">{t('audit.intro')}</p>
      <ErrorNotice failure={failure} />
      {report ? (
        <div className={ok ? 'chain-status chain-ok' : 'chain-status chain-broken'} role="status" data-chain={ok ? 'ok' : 'broken'}>
          <strong>{ok ? t('audit.ok') : t('audit.broken', { count: formatNumber(report.problems.length) })}</strong>
          <span>{t('audit.entries', { count: formatNumber(report.entries.length) })}</span>
        </div>
      ) : null}
      {report && report.problems.length > 0 ? (
        <ul className="chain-problems">
          {report.problems.map((problem) => <li key={`${problem.seq}:${problem.problem}`} dir="ltr"><code>#{problem.seq}</code> {problem.problem}</li>)}
        </ul>
      ) : null}
      {report && report.entries.length > SHOWN ? <p className="muted">{t('audit.latest', { shown: formatNumber(SHOWN), count: formatNumber(report.entries.length) })}</p> : null}
      {entries.length > 0 ? (
        <table className="plain-table audit-table">
          <thead><tr><th scope="col">#</th><th scope="col">{t('audit.when')}</th><th scope="col">{t('audit.action')}</th><th scope="col">{t('audit.record')}</th><th scope="col">{t('audit.details')}</th></tr></thead>
          <tbody>
            {entries.map((entry) => {
              const actionKey = `audit.action.${entry.action}`;
              return (
                <tr key={entry.seq} data-seq={entry.seq}>
                  <td className="num">{entry.seq}</td>
                  <td className="date">{formatDateTime(entry.at)}</td>
                  <td>{isMessageKey(actionKey) ? t(actionKey) : entry.action}</td>
                  <td className="hash" dir="ltr">{entry.recordId ? `${entry.recordId.slice(0, 12)}…${entry.version !== undefined ? ` v${entry.version}` : ''}` : '—'}</td>
                  <td className="details" dir="ltr">{entry.details ? Object.entries(entry.details).map(([key, value]) => `${key}=${String(value)}`).join(' ') : ''}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      ) : null}
    </section>
  );
}
