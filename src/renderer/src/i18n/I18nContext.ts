import { createContext } from 'react';
import type { Language, MessageKey, MessageParams } from './messages';

export type I18n = {
  language: Language;
  dir: 'ltr' | 'rtl';
  t: (key: MessageKey, params?: MessageParams) => string;
  setLanguage: (language: Language) => void;
  formatDateTime: (iso: string) => string;
  /** Digits as the language writes them (Arabic-Indic in Arabic would confuse ids; we keep Latin digits). */
  formatNumber: (value: number) => string;
};

export const I18nContext = createContext<I18n | null>(null);
