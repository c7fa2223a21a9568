import { useEffect, useMemo, useState, type ReactNode } from 'react';
import { I18nContext, type I18n } from './I18nContext';
import { directionOf, translate, type Language } from './messages';

/** Holds the interface language and mirrors it onto <html lang dir>, so Arabic lays out right to left. */
export function I18nProvider({ children, initialLanguage = 'en' }: { children: ReactNode; initialLanguage?: Language }) {
  const [language, setLanguage] = useState<Language>(initialLanguage);
  const dir = directionOf(language);

  useEffect(() => {
    document.documentElement.lang = language;
    document.documentElement.dir = dir;
  }, [language, dir]);

  const value = useMemo<I18n>(() => {
    const dateFormat = new Intl.DateTimeFormat(language, { dateStyle: 'medium', timeStyle: 'short' });
    const numberFormat = new Intl.NumberFormat(language === 'ar' ? 'ar-u-nu-latn' : language);
    return {
      language,
      dir,
      t: (key, params) => translate(language, key, params),
      setLanguage,
      formatDateTime: (iso) => {
        const date = new Date(iso);
        return Number.isNaN(date.getTime()) ? iso : dateFormat.format(date);
      },
      formatNumber: (value) => numberFormat.format(value),
    };
  }, [language, dir]);

  return <I18nContext.Provider value={value}>{children}</I18nContext.Provider>;
}
