import fs from 'node:fs';
import path from 'node:path';
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

const ALLOWED_LITERALS = new Set(['English', 'العربية', 'YYYY-MM-DD', 'YYYY-MM']);
const LETTERS = /[A-Za-z\u0600-\u06FF]{2,}/;

/**
 * Words written into a component instead of taken from the dictionaries: JSX text, and literal
 * placeholder / title / alt / aria-label attributes. Allowed: each language's own name, written in
 * that language, and date-format hints. (Not TypeScript: conditional expressions, or a generic
 * such as Promise<T>.)
 */
function untranslatedText(source: string): string[] {
  const found: string[] = [];
  for (const match of source.matchAll(/>([^<>{}]*)<(.)/g)) {
    const raw = match[1] ?? '';
    const text = raw.trim();
    const isGeneric = /[A-Za-z]$/.test(raw) && /[A-Z]/.test(match[2] ?? '');
    if (text && LETTERS.test(text) && !ALLOWED_LITERALS.has(text) && !isGeneric && !/[?=;(){}|&]|^:/.test(text)) found.push(text);
  }
  for (const match of source.matchAll(/\b(placeholder|title|alt|aria-label)="([^"]*)"/g)) {
    const text = match[2] ?? '';
    if (LETTERS.test(text) && !ALLOWED_LITERALS.has(text)) found.push(`${match[1]}="${text}"`);
  }
  return found;
}

/** Components must take their words from the dictionaries (research and export have their own suite). */
describe('components use the dictionaries, not raw strings', () => {
  const rendererDir = path.resolve(import.meta.dirname, '../../src/renderer/src');
  const files = fs.readdirSync(rendererDir, { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith('.tsx') && !/^(research|export)[\\/]/.test(file));

  it('catches raw words and ignores translated text and TypeScript', () => {
    expect(untranslatedText('<button type="button">Save</button>')).toEqual(['Save']);
    expect(untranslatedText('<p className="x">حفظ الشهادة</p>')).toEqual(['حفظ الشهادة']);
    expect(untranslatedText('<input placeholder="Search here" aria-label={t(\'x\')} />')).toEqual(['placeholder="Search here"']);
    expect(untranslatedText('<button>{t(\'add.submit\')}</button>')).toEqual([]);
    expect(untranslatedText('const x: Promise<IpcFailure | null> = y; <option lang="ar">العربية</option>')).toEqual([]);
    expect(untranslatedText('{count > 0 ? <b>{count}</b> : null}')).toEqual([]);
  });

  it('finds the component files', () => {
    expect(files.length).toBeGreaterThan(15);
  });

  it.each(files)('%s has no untranslated text', (file) => {
    expect(untranslatedText(fs.readFileSync(path.join(rendererDir, file), 'utf8'))).toEqual([]);
  });
});
