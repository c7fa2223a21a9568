import { useEffect, useState } from 'react';
import type { PersonView, TestimonyView } from '../../../shared/ipc/outputSchemas.js';
import type { IpcFailure } from '../../../shared/ipc/result.js';
import { PERSON_ROLES } from '../../../shared/ipc/vocabularies.js';
import { callVault } from '../api/client';
import { ErrorNotice } from '../common/ErrorNotice';
import { useI18n } from '../i18n/useI18n';
import { PersonPicker } from '../registry/PersonPicker';

type Role = (typeof PERSON_ROLES)[number];
type Link = { personId: string; role: Role };
type Props = { testimony: TestimonyView; editable: boolean; onChanged: () => void; onFailure: (failure: IpcFailure) => void };

/** The interviewee and the persons a testimony names, linked to the registry with the person picker. */
export function PersonLinks({ testimony, editable, onChanged, onFailure }: Props) {
  const { t } = useI18n();
  const [editing, setEditing] = useState(false);
  const [registry, setRegistry] = useState<PersonView[]>([]);
  const [intervieweeId, setIntervieweeId] = useState<string | null>(testimony.interviewee?.id ?? null);
  const [links, setLinks] = useState<Link[]>(testimony.persons.map((person) => ({ personId: person.id, role: person.role })));
  const [role, setRole] = useState<Role>('witness');
  const [failure, setFailure] = useState<IpcFailure | null>(null);

  useEffect(() => {
    if (!editing) return;
    void callVault('person:list', undefined).then((result) => (result.ok ? setRegistry(result.value) : onFailure(result)));
  }, [editing, onFailure]);

  const nameOf = (personId: string) => registry.find((person) => person.id === personId)?.name ?? testimony.persons.find((person) => person.id === personId)?.name ?? testimony.interviewee?.name ?? '?';

  async function save() {
    const result = await callVault('testimony:linkPersons', { id: testimony.id, intervieweeId, persons: links });
    if (result.ok) {
      setEditing(false);
      setFailure(null);
      onChanged();
    } else {
      setFailure(result);
      onFailure(result);
    }
  }

  if (!editing) {
    return (
      <section className="side-panel persons-panel" aria-labelledby="persons-heading">
        <h3 id="persons-heading">{t('persons.linked')}</h3>
        <dl className="person-links">
          <div>
            <dt>{t('persons.interviewee')}</dt>
            <dd>{testimony.interviewee ? <bdi dir="auto">{testimony.interviewee.name}</bdi> : <span className="muted">{t('detail.notRecorded')}</span>}</dd>
          </div>
          {testimony.persons.map((person) => (
            <div key={`${person.id}:${person.role}`}>
              <dt>{t(`role.${person.role}`)}</dt>
              <dd><bdi dir="auto">{person.name}</bdi></dd>
            </div>
          ))}
        </dl>
        {editable ? <button type="button" className="quiet link-persons" onClick={() => setEditing(true)}>{t('persons.change')}</button> : null}
      </section>
    );
  }

  return (
    <section className="side-panel persons-panel editing" aria-labelledby="persons-heading">
      <h3 id="persons-heading">{t('persons.linked')}</h3>
      <div className="field">
        <span>{t('persons.interviewee')}</span>
        {intervieweeId ? (
          <p className="chip"><bdi dir="auto">{nameOf(intervieweeId)}</bdi> <button type="button" className="chip-remove" aria-label={t('picker.remove', { value: nameOf(intervieweeId) })} onClick={() => setIntervieweeId(null)}>×</button></p>
        ) : (
          <PersonPicker name="interviewee" persons={registry} onPick={(person) => setIntervieweeId(person.id)} />
        )}
      </div>
      <ul className="person-link-list">
        {links.map((link) => (
          <li key={`${link.personId}:${link.role}`} className="chip">
            <span>{t(`role.${link.role}`)}:</span> <bdi dir="auto">{nameOf(link.personId)}</bdi>
            <button type="button" className="chip-remove" aria-label={t('picker.remove', { value: nameOf(link.personId) })} onClick={() => setLinks(links.filter((other) => other !== link))}>×</button>
          </li>
        ))}
      </ul>
      <div className="field">
        <span>{t('persons.addLink')}</span>
        <select name="linkRole" aria-label={t('persons.role')} value={role} onChange={(event) => setRole(event.target.value as Role)}>
          {PERSON_ROLES.map((choice) => <option key={choice} value={choice}>{t(`role.${choice}`)}</option>)}
        </select>
        <PersonPicker name="linkPerson" persons={registry} onPick={(person) => setLinks([...links, { personId: person.id, role }])} />
      </div>
      <ErrorNotice failure={failure} />
      <div className="actions">
        <button type="button" className="primary save-links" onClick={() => void save()}>{t('persons.saveLinks')}</button>
        <button type="button" className="quiet" onClick={() => setEditing(false)}>{t('add.cancel')}</button>
      </div>
    </section>
  );
}
