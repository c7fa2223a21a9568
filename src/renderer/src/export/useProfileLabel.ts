import { isMessageKey } from '../i18n/messages';
import { useI18n } from '../i18n/useI18n';

/** An export profile (a consent scope) in the reader's language; an unknown one (from a received bundle) as it is. */
export function useProfileLabel(): (profile: string) => string {
  const { t } = useI18n();
  return (profile) => {
    const key = `research.scope.${profile}`;
    return isMessageKey(key) ? t(key) : profile;
  };
}
