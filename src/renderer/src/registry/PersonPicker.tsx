import { useState } from 'react';
import type { PersonView } from '../../../shared/ipc/outputSchemas.js';
import { useI18n } from '../i18n/useI18n';
import { foldForFilter } from '../archive/listFilter';

type Props = { name: string; persons: PersonView[]; onPick: (person: PersonView) => void };

const MAX_SUGGESTIONS = 8;

/** Finds a registry person by name or alias (either script, harakat ignored) and picks one. */
export function PersonPicker({ name, persons, onPick }: Props) {
  const { t } = useI18n();
  const [query, setQuery] = useState('');
  const needle = foldForFilter(query.trim());
  const matches = needle === '' ? [] : persons.filter((person) => [person.name, ...person.aliases].some((candidate) => foldForFilter(candidate).includes(needle))).slice(0, MAX_SUGGESTIONS);

  return (
    <div className="person-picker">
      <input name={name} type="search" dir="auto" placeholder={t('persons.pickPlaceholder')} aria-label={t('persons.pickPlaceholder')} value={query} onChange={(event) => setQuery(event.target.value)} />
      {needle !== '' ? (
        <ul className="suggestions" role="listbox" aria-label={t('persons.pickPlaceholder')}>
          {matches.length === 0 ? <li className="muted">{t('persons.noMatch')}</li> : null}
          {matches.map((person) => (
            <li key={person.id} role="option" aria-selected="false">
              <button type="button" className="suggestion" onClick={() => { onPick(person); setQuery(''); }}>
                <bdi dir="auto">{person.name}</bdi>
                {person.aliases.length > 0 ? <small className="muted"> · <bdi dir="auto">{person.aliases.join(' · ')}</bdi></small> : null}
              </button>
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}
