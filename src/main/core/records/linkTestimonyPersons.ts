import { appendAuditEntry } from '../audit/auditLog.js';
import { VaultError } from '../errors.js';
import type { VaultSession } from '../vault/VaultSession.js';
import type { PersonRole } from './personSchema.js';
import { requireRecord, updateRecord } from './recordStore.js';
import { readTestimonyFields } from './testimonies.js';
import type { TestimonyFields } from './testimonySchema.js';

export type TestimonyPersonLinks = {
  intervieweeId: string | null;
  persons: { personId: string; role: PersonRole }[];
};

/**
 * The person picker: points a testimony at persons already in the registry (a new version; the
 * earlier ones keep their links). Every id must be a live person record.
 */
export function linkTestimonyPersons(session: VaultSession, testimonyId: string, links: TestimonyPersonLinks): { version: number } {
  return session.db.transaction(() => {
    const { fields: current } = readTestimonyFields(session, testimonyId);
    const ids = [...(links.intervieweeId ? [links.intervieweeId] : []), ...links.persons.map((link) => link.personId)];
    for (const id of ids) requireRecord(session, id, 'person');
    const seen = new Set<string>();
    const persons = links.persons.filter((link) => {
      const key = `${link.personId}:${link.role}`;
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    });
    const { intervieweeId: _previous, ...rest } = current;
    const next: TestimonyFields = {
      ...rest,
      ...(links.intervieweeId ? { intervieweeId: links.intervieweeId } : {}),
      persons,
      updatedAt: session.platform.now().toISOString(),
    };
    if (persons.length > 1000) throw new VaultError('INVALID_INPUT', 'a testimony names at most 1000 persons');
    const record = updateRecord(session, testimonyId, 'testimony', next);
    appendAuditEntry(session, { action: 'testimony.edit', recordId: testimonyId, version: record.version });
    return { version: record.version };
  })();
}
