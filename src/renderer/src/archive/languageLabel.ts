import type { MessageKey } from '../i18n/messages';

/** Languages the add form offers; a stored code outside this list is shown as the code itself. */
export const TESTIMONY_LANGUAGES = ['ar', 'en', 'ku', 'fr'] as const;
export type TestimonyLanguage = (typeof TESTIMONY_LANGUAGES)[number];

export function languageNameKey(code: string): MessageKey | null {
  return (TESTIMONY_LANGUAGES as readonly string[]).includes(code) ? (`languageName.${code as TestimonyLanguage}` as const) : null;
}
