import { useCallback, useState } from 'react';
import type { AppSettings } from '../../../shared/ipc/inputSchemas.js';
import type { IpcFailure } from '../../../shared/ipc/result.js';
import { Archive } from '../archive/Archive';
import { AuditScreen } from '../audit/AuditScreen';
import { ExportWizard } from '../export/ExportWizard';
import { OpenBundleScreen } from '../export/OpenBundleScreen';
import { useI18n } from '../i18n/useI18n';
import type { MessageKey } from '../i18n/messages';
import { KeysScreen } from '../keys/KeysScreen';
import { PersonsScreen } from '../registry/PersonsScreen';
import { VocabularyScreen } from '../registry/VocabularyScreen';
import { ResearchScreen } from '../research/ResearchScreen';
import { SettingsScreen } from '../settings/SettingsScreen';

export const SCREENS = ['testimonies', 'research', 'export', 'openBundle', 'persons', 'vocabulary', 'audit', 'keys', 'settings'] as const;
export type Screen = (typeof SCREENS)[number];

const LABELS: Record<Screen, MessageKey> = {
  testimonies: 'nav.testimonies',
  research: 'research.nav.search',
  export: 'research.nav.export',
  openBundle: 'research.nav.bundle',
  persons: 'nav.persons',
  vocabulary: 'nav.vocabulary',
  audit: 'nav.audit',
  keys: 'nav.keys',
  settings: 'nav.settings',
};
/** Where the sidebar draws a separator: records | research and export | administration. */
const GROUP_STARTS: ReadonlySet<Screen> = new Set(['research', 'persons', 'audit']);

type Props = {
  onLocked: () => void;
  settings: AppSettings;
  onSettings: (patch: Partial<AppSettings>) => Promise<IpcFailure | null>;
};

/** The unlocked vault: a sidebar and one screen. Unmounting it (on lock) drops every decrypted value. */
export function Workspace({ onLocked, settings, onSettings }: Props) {
  const { t } = useI18n();
  const [screen, setScreen] = useState<Screen>('testimonies');
  const [exportIds, setExportIds] = useState<string[]>([]);
  const onFailure = useCallback((failure: IpcFailure) => {
    if (failure.code === 'VAULT_LOCKED') onLocked();
  }, [onLocked]);

  return (
    <div className="workspace">
      <nav className="sidebar" aria-label={t('nav.label')}>
        <ul>
          {SCREENS.map((entry) => (
            <li key={entry} className={GROUP_STARTS.has(entry) ? 'group-start' : undefined}>
              <button type="button" data-screen={entry} className={screen === entry ? 'nav-item active' : 'nav-item'} aria-current={screen === entry ? 'page' : undefined} onClick={() => setScreen(entry)}>
                {t(LABELS[entry])}
              </button>
            </li>
          ))}
        </ul>
      </nav>
      <div className="screen">
        {screen === 'testimonies' ? <Archive onLocked={onLocked} /> : null}
        {screen === 'research' ? <ResearchScreen onFailure={onFailure} onExport={(ids) => { setExportIds(ids); setScreen('export'); }} /> : null}
        {screen === 'export' ? <ExportWizard key={exportIds.join()} initialIds={exportIds} onFailure={onFailure} /> : null}
        {screen === 'openBundle' ? <OpenBundleScreen onFailure={onFailure} /> : null}
        {screen === 'persons' ? <PersonsScreen onFailure={onFailure} /> : null}
        {screen === 'vocabulary' ? <VocabularyScreen onFailure={onFailure} /> : null}
        {screen === 'audit' ? <AuditScreen onFailure={onFailure} /> : null}
        {screen === 'keys' ? <KeysScreen onFailure={onFailure} /> : null}
        {screen === 'settings' ? <SettingsScreen settings={settings} onSettings={onSettings} onFailure={onFailure} /> : null}
      </div>
    </div>
  );
}
