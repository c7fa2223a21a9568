import { randomId } from '../crypto/index.js';
import { appendAuditEntry } from '../audit/auditLog.js';
import { VaultError } from '../errors.js';
import type { VaultSession } from '../vault/VaultSession.js';
import { createRecord, deleteRecord, listRecordIds, readRecord, updateRecord } from './recordStore.js';
import { PersonInputSchema, type Person, type PersonInput } from './personSchema.js';
import { describeValidationError } from './testimonySchema.js';

export type PersonView = Person & { id: string; version: number };

export function parsePersonInput(input: unknown): Person {
  const parsed = PersonInputSchema.safeParse(input);
  if (!parsed.success) throw new VaultError('INVALID_INPUT', `invalid person: ${describeValidationError(parsed.error)}`);
  return parsed.data;
}

/** Creates a person record; runs inside the caller's transaction when there is one. */
export function insertPerson(session: VaultSession, person: Person): string {
  const personId = randomId();
  createRecord(session, 'person', person, personId);
  appendAuditEntry(session, { action: 'person.create', recordId: personId, version: 1 });
  return personId;
}

export function addPerson(session: VaultSession, input: PersonInput | unknown): string {
  const person = parsePersonInput(input);
  return session.db.transaction(() => insertPerson(session, person))();
}

export function getPerson(session: VaultSession, personId: string, version?: number): PersonView {
  const record = readRecord(session, personId, 'person', version);
  return { ...(record.fields as Person), id: personId, version: record.version };
}

export function listPersons(session: VaultSession): PersonView[] {
  return listRecordIds(session, 'person').map((id) => getPerson(session, id));
}

export function updatePerson(session: VaultSession, personId: string, input: unknown): number {
  const person = parsePersonInput(input);
  return session.db.transaction(() => {
    const record = updateRecord(session, personId, 'person', person);
    appendAuditEntry(session, { action: 'person.edit', recordId: personId, version: record.version });
    return record.version;
  })();
}

export function deletePerson(session: VaultSession, personId: string): void {
  session.db.transaction(() => {
    deleteRecord(session, personId, 'person');
    appendAuditEntry(session, { action: 'person.delete', recordId: personId });
  })();
}
