import { useCallback, useEffect, useState } from 'react';
import type { VaultStatus } from '../../shared/ipc/outputSchemas.js';
import type { IpcFailure } from '../../shared/ipc/result.js';
import { Archive } from './archive/Archive';
import { callVault } from './api/client';
import { ErrorNotice } from './common/ErrorNotice';
import { TopBar } from './common/TopBar';
import { I18nProvider } from './i18n/I18nProvider';
import { useI18n } from './i18n/useI18n';
import { UnlockScreen } from './vault/UnlockScreen';

function Shell() {
  const { t, dir, language } = useI18n();
  const [status, setStatus] = useState<VaultStatus | null>(null);
  const [failure, setFailure] = useState<IpcFailure | null>(null);

  useEffect(() => {
    void callVault('vault:status', undefined).then((result) => (result.ok ? setStatus(result.value) : setFailure(result)));
  }, []);

  const markLocked = useCallback(() => setStatus({ state: 'locked' }), []);

  const lock = useCallback(async () => {
    const result = await callVault('vault:lock', undefined);
    setStatus(result.ok ? result.value : { state: 'locked' });
  }, []);

  return (
    <div className="app" dir={dir} lang={language}>
      <TopBar onLock={status?.state === 'unlocked' ? () => void lock() : null} />
      <main className="content">
        <ErrorNotice failure={failure} />
        {status === null && !failure ? <p className="muted">{t('app.loading')}</p> : null}
        {status?.state === 'absent' ? <UnlockScreen key="create" mode="create" onStatus={setStatus} /> : null}
        {status?.state === 'locked' ? <UnlockScreen key="unlock" mode="unlock" onStatus={setStatus} /> : null}
        {status?.state === 'unlocked' ? <Archive onLocked={markLocked} /> : null}
      </main>
    </div>
  );
}

export function App() {
  return (
    <I18nProvider>
      <Shell />
    </I18nProvider>
  );
}
