import { useI18n } from '../i18n/useI18n';
import { languageNameKey } from './languageLabel';

export function useLanguageName(): (code: string) => string {
  const { t } = useI18n();
  return (code) => {
    const key = languageNameKey(code);
    return key ? t(key) : code;
  };
}
