import { useI18n } from '../i18n/useI18n';

type Props = { onLock: (() => void) | null };

export function TopBar({ onLock }: Props) {
  const { t, language, setLanguage } = useI18n();
  return (
    <header className="topbar">
      <div className="brand">
        <h1>{t('app.title')}</h1>
        <p>{t('app.tagline')}</p>
      </div>
      <div className="topbar-actions">
        <button
          type="button"
          className="quiet language-switch"
          lang={language === 'en' ? 'ar' : 'en'}
          title={t('language.switch')}
          aria-label={t('language.switch')}
          onClick={() => setLanguage(language === 'en' ? 'ar' : 'en')}
        >
          {t('language.other')}
        </button>
        {onLock ? (
          <button type="button" className="lock" title={t('vault.lockHint')} onClick={onLock}>
            {t('vault.lock')}
          </button>
        ) : null}
      </div>
    </header>
  );
}
