import { useId, useState, type KeyboardEvent } from 'react';
import type { VocabularyTerm } from '../../../shared/ipc/outputSchemas.js';
import { useI18n } from '../i18n/useI18n';
import { foldForFilter } from './listFilter';

type Props = {
  name: string;
  label: string;
  /** The chosen terms, as labels (core resolves labels and aliases, in either language, to terms). */
  values: string[];
  terms: VocabularyTerm[];
  onChange: (values: string[]) => void;
};

/** The term a typed label or alias names, if any (harakat and case do not matter). */
export function findTerm(terms: readonly VocabularyTerm[], typed: string): VocabularyTerm | undefined {
  const wanted = foldForFilter(typed.trim());
  return terms.find((term) => [term.labelEn, term.labelAr, ...term.aliases].some((name) => name !== undefined && foldForFilter(name) === wanted));
}

export function termLabel(term: VocabularyTerm, language: 'en' | 'ar'): string {
  return (language === 'ar' ? (term.labelAr ?? term.labelEn) : (term.labelEn ?? term.labelAr)) ?? '';
}

/**
 * Picks vocabulary terms: suggestions list every label and alias, so typing "Saydnaya" offers
 * Sednaya Military Prison. A label no term knows is kept and becomes a new term when saved.
 */
export function VocabularyPicker({ name, label, values, terms, onChange }: Props) {
  const { t, language } = useI18n();
  const listId = useId();
  const [draft, setDraft] = useState('');

  function add(typed: string) {
    const text = typed.trim();
    if (!text) return;
    const term = findTerm(terms, text);
    const value = term ? termLabel(term, language) : text;
    const taken = values.some((existing) => {
      const existingTerm = findTerm(terms, existing);
      return existingTerm && term ? existingTerm.id === term.id : foldForFilter(existing) === foldForFilter(value);
    });
    if (!taken) onChange([...values, value]);
    setDraft('');
  }

  function onKeyDown(event: KeyboardEvent<HTMLInputElement>) {
    if (event.key === 'Enter') {
      event.preventDefault();
      add(draft);
    }
  }

  return (
    <div className="field picker" data-picker={name}>
      <label htmlFor={`${listId}-input`}><span>{label}</span></label>
      <ul className="chips" aria-label={label}>
        {values.map((value) => {
          const term = findTerm(terms, value);
          const other = term ? (language === 'ar' ? term.labelEn : term.labelAr) : undefined;
          return (
            <li key={value} className={term ? 'chip' : 'chip chip-new'}>
              <bdi dir="auto">{value}</bdi>
              {other ? <small className="muted"> · <bdi dir="auto">{other}</bdi></small> : null}
              {term ? null : <small className="chip-flag">{t('picker.new')}</small>}
              <button type="button" className="chip-remove" aria-label={t('picker.remove', { value })} onClick={() => onChange(values.filter((existing) => existing !== value))}>×</button>
            </li>
          );
        })}
      </ul>
      <div className="inline-form">
        <input
          id={`${listId}-input`}
          name={name}
          dir="auto"
          list={listId}
          value={draft}
          placeholder={t('picker.placeholder')}
          onChange={(event) => {
            const typed = event.target.value;
            // Choosing a suggestion fills the exact option value: take it at once.
            if (terms.some((term) => [term.labelEn, term.labelAr].includes(typed))) add(typed);
            else setDraft(typed);
          }}
          onKeyDown={onKeyDown}
        />
        <button type="button" onClick={() => add(draft)} disabled={draft.trim() === ''}>{t('picker.add')}</button>
      </div>
      <datalist id={listId}>
        {terms.map((term) => (
          <option key={term.id} value={termLabel(term, language)}>
            {[language === 'ar' ? term.labelEn : term.labelAr, ...term.aliases].filter(Boolean).join(' · ')}
          </option>
        ))}
      </datalist>
    </div>
  );
}
