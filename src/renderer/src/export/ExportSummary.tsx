import type { ExportOutcome } from '../../../shared/ipc/researchSchemas.js';
import { useI18n } from '../i18n/useI18n';
import { useProfileLabel } from './useProfileLabel';

/** The sealed bundle (control numbers, hash, signer) or why sealing stopped (leaks, refusals); ids and codes only. */
export function ExportSummary({ outcome }: { outcome: ExportOutcome }) {
  const { t, formatNumber, formatDateTime } = useI18n();
  const report = outcome.report;
  const profileLabel = useProfileLabel();
  return (
    <div className={outcome.status === 'sealed' ? 'export-summary sealed' : 'export-summary stopped'} role="status">
      {outcome.status === 'sealed' ? (
        <p className="notice notice-ok">{t('export.summary.sealed', { folder: report?.folderName ?? '' })}</p>
      ) : (
        <div className="notice notice-error" data-code={outcome.code}>
          <p>{t(`export.stop.${outcome.code}`)}</p>
          <p className="notice-detail" dir="ltr">{outcome.message}</p>
        </div>
      )}
      {report ? (
        <>
          <dl className="facts">
            <div><dt>{t('export.summary.created')}</dt><dd>{formatDateTime(report.createdAt)}</dd></div>
            <div><dt>{t('export.summary.profile')}</dt><dd>{profileLabel(report.profile)}</dd></div>
            {report.payload ? <div><dt>{t('export.summary.size')}</dt><dd>{t('export.summary.bytes', { count: formatNumber(report.payload.size) })}</dd></div> : null}
          </dl>
          <p className="hash"><span className="muted">{t('export.summary.bundle')}</span> <code dir="ltr">{report.bundleId}</code></p>
          {report.payload ? <p className="hash"><span className="muted">{t('export.summary.sha256')}</span> <code dir="ltr">{report.payload.sha256}</code></p> : null}
          {report.signer ? <p className="hash"><span className="muted">{t('export.summary.signer')}</span> <code dir="ltr" className="signer-key">{report.signer.publicKey}</code></p> : null}
          {report.items.length > 0 ? (
            <table className="summary-table control-numbers">
              <thead>
                <tr>
                  <th>{t('export.summary.controlNumber')}</th>
                  <th>{t('export.summary.redactions')}</th>
                  <th>{t('export.summary.media')}</th>
                </tr>
              </thead>
              <tbody>
                {report.items.map((item) => (
                  <tr key={item.controlNumber}>
                    <td className="reference"><bdi>{item.controlNumber}</bdi></td>
                    <td>{formatNumber(item.redactions)}{item.anonymised ? ` · ${t('export.summary.anonymised')}` : ''}</td>
                    <td>{t('export.summary.mediaCounts', { included: formatNumber(item.media.filter((media) => media.status === 'included').length), excluded: formatNumber(item.media.filter((media) => media.status === 'excluded').length) })}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          ) : null}
          {report.refused.length > 0 ? <p className="muted">{t('export.summary.refused', { count: formatNumber(report.refused.length) })}</p> : null}
          {report.leaks.length > 0 ? (
            <ul className="leaks">
              {report.leaks.map((leak, index) => <li key={index} dir="ltr"><code>{leak.file}</code> {leak.category} {leak.pseudonym} ({leak.variant})</li>)}
            </ul>
          ) : null}
        </>
      ) : null}
    </div>
  );
}
