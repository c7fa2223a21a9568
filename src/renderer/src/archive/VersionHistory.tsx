import { useEffect, useState } from 'react';
import type { IpcFailure } from '../../../shared/ipc/result.js';
import { callVault } from '../api/client';
import { useI18n } from '../i18n/useI18n';

type Props = {
  testimonyId: string;
  shownVersion: number;
  /** Changes when the testimony was edited, so the list is read again. */
  reloads: number;
  onShow: (version: number) => void;
  onFailure: (failure: IpcFailure) => void;
};

/** Every version is kept; version 1 is the original as first recorded and can always be shown. */
export function VersionHistory({ testimonyId, shownVersion, reloads, onShow, onFailure }: Props) {
  const { t, formatDateTime } = useI18n();
  const [versions, setVersions] = useState<{ version: number; updatedAt: string }[]>([]);

  useEffect(() => {
    let current = true;
    void callVault('testimony:history', { id: testimonyId }).then((result) => {
      if (!current) return;
      if (result.ok) setVersions([...result.value].sort((a, b) => b.version - a.version));
      else onFailure(result);
    });
    return () => {
      current = false;
    };
  }, [testimonyId, reloads, onFailure]);

  return (
    <section className="side-panel history" aria-labelledby="history-heading">
      <h3 id="history-heading">{t('history.heading')}</h3>
      <ol className="history-list">
        {versions.map((entry) => (
          <li key={entry.version} className={entry.version === shownVersion ? 'current' : undefined}>
            <button type="button" className="link" data-version={entry.version} aria-current={entry.version === shownVersion ? 'true' : undefined} onClick={() => onShow(entry.version)}>
              {entry.version === 1 ? t('history.original') : t('history.version', { version: entry.version })}
            </button>
            <span className="muted date">{formatDateTime(entry.updatedAt)}</span>
          </li>
        ))}
      </ol>
    </section>
  );
}
