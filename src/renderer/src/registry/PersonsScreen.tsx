import { useMemo, useState, type FormEvent } from 'react';
import type { PersonView } from '../../../shared/ipc/outputSchemas.js';
import type { IpcFailure } from '../../../shared/ipc/result.js';
import { GENDERS } from '../../../shared/ipc/vocabularies.js';
import { callVault } from '../api/client';
import { useVaultAnswer } from '../api/useVaultAnswer';
import { ErrorNotice } from '../common/ErrorNotice';
import { useI18n } from '../i18n/useI18n';
import { foldForFilter } from '../archive/listFilter';

type Gender = (typeof GENDERS)[number];
type Draft = { name: string; aliases: string; phone: string; nationalId: string; email: string; birthDate: string; gender: Gender | '' };
const EMPTY: Draft = { name: '', aliases: '', phone: '', nationalId: '', email: '', birthDate: '', gender: '' };

function draftOf(person: PersonView): Draft {
  return { name: person.name, aliases: person.aliases.join(', '), phone: person.phone ?? '', nationalId: person.nationalId ?? '', email: person.email ?? '', birthDate: person.birthDate ?? '', gender: person.gender ?? '' };
}

function inputOf(draft: Draft) {
  const optional = { phone: draft.phone.trim(), nationalId: draft.nationalId.trim(), email: draft.email.trim(), birthDate: draft.birthDate.trim() };
  return {
    name: draft.name.trim(),
    aliases: draft.aliases.split(/[,،]/).map((alias) => alias.trim()).filter((alias) => alias !== ''),
    ...Object.fromEntries(Object.entries(optional).filter(([, value]) => value !== '')),
    ...(draft.gender ? { gender: draft.gender } : {}),
  };
}

/** The persons registry: every name, alias and identifier is encrypted; edits add versions. */
export function PersonsScreen({ onFailure }: { onFailure: (failure: IpcFailure) => void }) {
  const { t } = useI18n();
  const [query, setQuery] = useState('');
  const [editing, setEditing] = useState<{ id: string | null; draft: Draft } | null>(null);
  const [failure, setFailure] = useState<IpcFailure | null>(null);

  const { value: persons, reload } = useVaultAnswer('person:list', undefined, onFailure);

  const shown = useMemo(() => {
    const needle = foldForFilter(query.trim());
    const list = persons ?? [];
    return needle === '' ? list : list.filter((person) => [person.name, ...person.aliases].some((name) => foldForFilter(name).includes(needle)));
  }, [persons, query]);

  async function save(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (!editing) return;
    const person = inputOf(editing.draft);
    const result = editing.id === null ? await callVault('person:create', person) : await callVault('person:update', { id: editing.id, person });
    if (!result.ok) {
      setFailure(result);
      onFailure(result);
      return;
    }
    setFailure(null);
    setEditing(null);
    reload();
  }

  const set = (key: keyof Draft, value: string) => setEditing((previous) => (previous ? { ...previous, draft: { ...previous.draft, [key]: value } } : previous));

  return (
    <section className="card registry" aria-labelledby="persons-screen-heading">
      <div className="toolbar">
        <h2 id="persons-screen-heading">{t('persons.heading')}</h2>
        <input name="personFilter" type="search" dir="auto" className="toolbar-filter" placeholder={t('persons.filter')} aria-label={t('persons.filter')} value={query} onChange={(event) => setQuery(event.target.value)} />
        <button type="button" className="primary add-person" onClick={() => setEditing({ id: null, draft: EMPTY })}>{t('persons.add')}</button>
      </div>
      <p className="muted">{t('persons.intro')}</p>
      {editing ? (
        <form className="form person-form" onSubmit={save} aria-label={editing.id === null ? t('persons.add') : t('persons.edit')}>
          <div className="row-2">
            <label className="field"><span>{t('persons.name')}</span><input name="personName" dir="auto" required maxLength={500} value={editing.draft.name} onChange={(event) => set('name', event.target.value)} /></label>
            <label className="field"><span>{t('persons.aliases')}</span><input name="personAliases" dir="auto" value={editing.draft.aliases} onChange={(event) => set('aliases', event.target.value)} /><small className="muted">{t('edit.tagsHint')}</small></label>
          </div>
          <div className="row-3">
            <label className="field"><span>{t('persons.phone')}</span><input name="personPhone" dir="ltr" maxLength={100} value={editing.draft.phone} onChange={(event) => set('phone', event.target.value)} /></label>
            <label className="field"><span>{t('persons.nationalId')}</span><input name="personNationalId" dir="ltr" maxLength={100} value={editing.draft.nationalId} onChange={(event) => set('nationalId', event.target.value)} /></label>
            <label className="field"><span>{t('persons.email')}</span><input name="personEmail" type="email" dir="ltr" maxLength={320} value={editing.draft.email} onChange={(event) => set('email', event.target.value)} /></label>
          </div>
          <div className="row-3">
            <label className="field"><span>{t('persons.birthDate')}</span><input name="personBirthDate" dir="ltr" placeholder="YYYY-MM-DD" value={editing.draft.birthDate} onChange={(event) => set('birthDate', event.target.value)} /></label>
            <label className="field">
              <span>{t('persons.gender')}</span>
              <select name="personGender" value={editing.draft.gender} onChange={(event) => set('gender', event.target.value)}>
                <option value="">{t('detail.notRecorded')}</option>
                {GENDERS.map((gender) => <option key={gender} value={gender}>{t(`gender.${gender}`)}</option>)}
              </select>
            </label>
          </div>
          <ErrorNotice failure={failure} />
          <div className="actions">
            <button type="submit" className="primary save-person">{t('persons.save')}</button>
            <button type="button" className="quiet" onClick={() => setEditing(null)}>{t('add.cancel')}</button>
          </div>
        </form>
      ) : null}
      {persons === null ? <p className="muted">{t('app.loading')}</p> : shown.length === 0 ? <p className="empty">{t('persons.empty')}</p> : (
        <table className="plain-table persons-table">
          <thead>
            <tr><th scope="col">{t('persons.name')}</th><th scope="col">{t('persons.aliases')}</th><th scope="col">{t('persons.birthDate')}</th><th scope="col">{t('persons.gender')}</th><th scope="col">{t('detail.versionLabel')}</th><th scope="col"><span className="visually-hidden">{t('persons.edit')}</span></th></tr>
          </thead>
          <tbody>
            {shown.map((person) => (
              <tr key={person.id} data-person-id={person.id}>
                <td><bdi dir="auto">{person.name}</bdi></td>
                <td>{person.aliases.length > 0 ? <ul className="chips">{person.aliases.map((alias) => <li key={alias} className="chip"><bdi dir="auto">{alias}</bdi></li>)}</ul> : <span className="muted">—</span>}</td>
                <td><bdi>{person.birthDate ?? '—'}</bdi></td>
                <td>{person.gender ? t(`gender.${person.gender}`) : '—'}</td>
                <td>{person.version}</td>
                <td><button type="button" className="quiet edit-person" onClick={() => setEditing({ id: person.id, draft: draftOf(person) })}>{t('persons.edit')}</button></td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
