import { useCallback, useEffect, useState } from 'react';
import type { AppSettings } from '../../shared/ipc/inputSchemas.js';
import type { VaultStatus } from '../../shared/ipc/outputSchemas.js';
import type { IpcFailure } from '../../shared/ipc/result.js';
import { callVault } from './api/client';
import { ErrorNotice } from './common/ErrorNotice';
import { TopBar } from './common/TopBar';
import { I18nProvider } from './i18n/I18nProvider';
import { useI18n } from './i18n/useI18n';
import { useIdleLock } from './shell/useIdleLock';
import { useQuickLock } from './shell/useQuickLock';
import { Workspace } from './shell/Workspace';
import { UnlockScreen } from './vault/UnlockScreen';

const FALLBACK_SETTINGS: AppSettings = { language: 'en', autoLockMinutes: 10, quickLockKey: 'ctrl+l' };

function Shell() {
  const { t, dir, language, setLanguage } = useI18n();
  const [status, setStatus] = useState<VaultStatus | null>(null);
  const [failure, setFailure] = useState<IpcFailure | null>(null);
  const [settings, setSettings] = useState<AppSettings>(FALLBACK_SETTINGS);
  // While locking, nothing decrypted is on screen: the workspace is gone before main confirms.
  const [locking, setLocking] = useState(false);

  useEffect(() => {
    void callVault('settings:get', undefined).then((result) => {
      if (!result.ok) return;
      setSettings(result.value);
      setLanguage(result.value.language);
    });
    void callVault('vault:status', undefined).then((result) => (result.ok ? setStatus(result.value) : setFailure(result)));
  }, [setLanguage]);

  const updateSettings = useCallback(async (patch: Partial<AppSettings>): Promise<IpcFailure | null> => {
    const result = await callVault('settings:set', patch);
    if (!result.ok) return result;
    setSettings(result.value);
    return null;
  }, []);

  // The top bar's switch and the settings screen both change the language; keep it for next time.
  useEffect(() => {
    if (language !== settings.language) void updateSettings({ language });
  }, [language, settings.language, updateSettings]);

  const markLocked = useCallback(() => setStatus({ state: 'locked' }), []);

  const lock = useCallback(async () => {
    setLocking(true);
    setStatus({ state: 'locked' });
    const result = await callVault('vault:lock', undefined);
    setStatus(result.ok ? result.value : { state: 'locked' });
    setLocking(false);
  }, []);

  const unlocked = status?.state === 'unlocked' && !locking;
  useIdleLock(unlocked ? settings.autoLockMinutes : 0, () => void lock());
  useQuickLock(settings.quickLockKey, unlocked, () => void lock());

  return (
    <div className="app" dir={dir} lang={language}>
      <TopBar onLock={unlocked ? () => void lock() : null} />
      <main className={unlocked ? 'content content-wide' : 'content'}>
        <ErrorNotice failure={failure} />
        {status === null && !failure ? <p className="muted">{t('app.loading')}</p> : null}
        {locking ? <p className="muted locking" role="status">{t('vault.locking')}</p> : null}
        {status?.state === 'absent' ? <UnlockScreen key="create" mode="create" onStatus={setStatus} /> : null}
        {status?.state === 'locked' && !locking ? <UnlockScreen key="unlock" mode="unlock" onStatus={setStatus} /> : null}
        {/* Unmounted on every lock, so no state of a session survives into the next one. */}
        {unlocked ? <Workspace onLocked={markLocked} settings={settings} onSettings={updateSettings} /> : null}
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
