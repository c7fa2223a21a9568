import { describe, expect, it } from 'vitest';
import { DICTIONARIES, directionOf, errorKey, LANGUAGES, translate, type Language } from '../../src/renderer/src/i18n/messages.js';
import { IPC_ERROR_CODES } from '../../src/shared/ipc/result.js';

const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((match) => match[1]).sort();

describe('i18n dictionaries', () => {
  const [reference, ...others] = LANGUAGES;

  it('has English and Arabic', () => {
    expect([...LANGUAGES].sort()).toEqual(['ar', 'en']);
  });

  it.each(others)('%s has exactly the keys of English (none missing, none extra)', (language: Language) => {
    const expected = Object.keys(DICTIONARIES[reference ?? 'en']).sort();
    const actual = Object.keys(DICTIONARIES[language]).sort();
    expect(expected.filter((key) => !actual.includes(key)), 'missing').toEqual([]);
    expect(actual.filter((key) => !expected.includes(key)), 'extra').toEqual([]);
  });

  it.each(LANGUAGES)('%s has no empty or untrimmed message', (language: Language) => {
    for (const [key, text] of Object.entries(DICTIONARIES[language])) {
      expect(text.trim(), `${language}:${key}`).not.toBe('');
      expect(text, `${language}:${key}`).toBe(text.trim());
    }
  });

  it('uses the same placeholders in every language', () => {
    for (const [key, text] of Object.entries(DICTIONARIES.en)) {
      for (const language of LANGUAGES) {
        expect(placeholders(DICTIONARIES[language][key as keyof typeof DICTIONARIES.en]), `${language}:${key}`).toEqual(placeholders(text));
      }
    }
  });

  it('has a sentence for every IPC result code in every language', () => {
    for (const code of IPC_ERROR_CODES) {
      for (const language of LANGUAGES) expect(DICTIONARIES[language][errorKey(code)], `${language}:${code}`).toBeTruthy();
    }
  });

  it('writes Arabic in Arabic script', () => {
    const arabic = /[\u0600-\u06FF]/;
    const untranslated = Object.entries(DICTIONARIES.ar).filter(([key, text]) => key !== 'language.other' && !arabic.test(text));
    expect(untranslated).toEqual([]);
  });

  it('fills placeholders as plain text and lays Arabic out right to left', () => {
    expect(translate('en', 'search.results', { query: '<b>x</b>', count: 2 })).toBe('Matches for “<b>x</b>”: 2');
    expect(translate('ar', 'list.count', { count: 3 })).toBe('عدد الشهادات في الخزنة: 3');
    expect(directionOf('ar')).toBe('rtl');
    expect(directionOf('en')).toBe('ltr');
  });
});
