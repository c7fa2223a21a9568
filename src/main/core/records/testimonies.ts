import type { ZodError } from 'zod';
import { randomId } from '../crypto/index.js';
import { appendAuditEntry } from '../audit/auditLog.js';
import { VaultError } from '../errors.js';
import type { VaultSession } from '../vault/VaultSession.js';
import { getPerson, insertPerson, type PersonView } from './persons.js';
import {
  createRecord, deleteRecord, listRecordIds, listVersionNumbers, readRecord, readSomeFields, recordExists, updateRecord,
} from './recordStore.js';
import type { PersonRole } from './personSchema.js';
import {
  describeValidationError, SENSITIVITY_LEVELS, TESTIMONY_STATUSES, TestimonyImportSchema, TestimonyPatchSchema, type TestimonyFields,
} from './testimonySchema.js';
import { listVocabulary, resolveTerms, type ResolvedTerms } from './vocabulary.js';
import type { VocabularyTerm } from './vocabularySchema.js';

export type AddTestimonyResult = {
  testimonyId: string;
  intervieweeId?: string;
  personIds: string[];
  addedTerms: ResolvedTerms['added'];
};

export type TestimonyView = Omit<TestimonyFields, 'facilityIds' | 'perpetratorUnitIds' | 'violationIds' | 'persons' | 'intervieweeId'> & {
  id: string;
  version: number;
  headVersion: number;
  interviewee?: PersonView;
  persons: (PersonView & { role: PersonRole })[];
  facilities: VocabularyTerm[];
  perpetratorUnits: VocabularyTerm[];
  violations: VocabularyTerm[];
};

export type TestimonySummary = Pick<TestimonyFields, 'reference' | 'title' | 'language' | 'status' | 'sensitivity' | 'updatedAt'> & {
  id: string;
  interviewDate?: string;
  version: number;
};

function parseOrThrow<T>(result: { success: true; data: T } | { success: false; error: ZodError }, what: string): T {
  if (!result.success) throw new VaultError('INVALID_INPUT', `invalid ${what}: ${describeValidationError(result.error)}`);
  return result.data;
}

/** Imports one testimony with its persons; vocabulary labels are matched or added. One transaction. */
export function addTestimony(session: VaultSession, input: unknown): AddTestimonyResult {
  const parsed = parseOrThrow(TestimonyImportSchema.safeParse(input), 'testimony');
  return session.db.transaction(() => {
    const known = listVocabulary(session);
    const facilities = resolveTerms(session, 'facility', parsed.facilities, known);
    const units = resolveTerms(session, 'perpetratorUnit', parsed.perpetratorUnits, known);
    const violations = resolveTerms(session, 'violation', parsed.violations, known);
    const intervieweeId = parsed.interviewee ? insertPerson(session, parsed.interviewee) : undefined;
    const persons = parsed.persons.map(({ role, ...person }) => ({ personId: insertPerson(session, person), role }));
    const now = session.platform.now().toISOString();
    const { interviewee: _interviewee, persons: _persons, facilities: _f, perpetratorUnits: _u, violations: _v, ...rest } = parsed;
    const fields: TestimonyFields = {
      ...rest,
      ...(intervieweeId ? { intervieweeId } : {}),
      persons,
      facilityIds: facilities.ids,
      perpetratorUnitIds: units.ids,
      violationIds: violations.ids,
      createdAt: now,
      updatedAt: now,
    };
    const testimonyId = randomId();
    createRecord(session, 'testimony', fields, testimonyId);
    appendAuditEntry(session, { action: 'testimony.create', recordId: testimonyId, version: 1 });
    return {
      testimonyId,
      ...(intervieweeId ? { intervieweeId } : {}),
      personIds: persons.map((p) => p.personId),
      addedTerms: [...facilities.added, ...units.added, ...violations.added],
    };
  })();
}

export function readTestimonyFields(session: VaultSession, testimonyId: string, version?: number): { fields: TestimonyFields; version: number; headVersion: number } {
  const record = readRecord(session, testimonyId, 'testimony', version);
  return { fields: record.fields as TestimonyFields, version: record.version, headVersion: record.headVersion };
}

export function getTestimony(session: VaultSession, testimonyId: string, version?: number): TestimonyView {
  return testimonyView(session, testimonyId, readTestimonyFields(session, testimonyId, version), vocabularyById(session));
}

/** The vocabulary by term id, for testimonyView. */
export function vocabularyById(session: VaultSession): ReadonlyMap<string, VocabularyTerm> {
  return new Map(listVocabulary(session).map((term) => [term.id, term]));
}

/**
 * A testimony's view from fields already read: its persons and terms resolved. An export reads each
 * record once and the vocabulary once, for all its items.
 */
export function testimonyView(
  session: VaultSession,
  testimonyId: string,
  stored: ReturnType<typeof readTestimonyFields>,
  vocabulary: ReadonlyMap<string, VocabularyTerm>,
): TestimonyView {
  const { fields, version: shown, headVersion } = stored;
  const terms = (ids: string[]) => ids.map((id) => vocabulary.get(id)).filter((term): term is VocabularyTerm => term !== undefined);
  const { facilityIds, perpetratorUnitIds, violationIds, persons, intervieweeId, ...rest } = fields;
  const livePerson = (id: string) => (recordExists(session, id, 'person') ? getPerson(session, id) : undefined);
  const interviewee = intervieweeId ? livePerson(intervieweeId) : undefined;
  return {
    ...rest,
    id: testimonyId,
    version: shown,
    headVersion,
    ...(interviewee ? { interviewee } : {}),
    persons: persons.flatMap(({ personId, role }) => {
      const person = livePerson(personId);
      return person ? [{ ...person, role }] : [];
    }),
    facilities: terms(facilityIds),
    perpetratorUnits: terms(perpetratorUnitIds),
    violations: terms(violationIds),
  };
}

function oneOf<T extends string>(allowed: readonly T[], value: string, testimonyId: string): T {
  const found = allowed.find((candidate) => candidate === value);
  if (found === undefined) throw new VaultError('VAULT_CORRUPT', `testimony ${testimonyId} has an unknown value ${JSON.stringify(value)}`);
  return found;
}

const SUMMARY_FIELDS = ['reference', 'title', 'language', 'status', 'sensitivity', 'updatedAt', 'interviewDate'] as const;

/**
 * The list view: only the summary fields of each head version are decrypted (not transcripts), so a
 * large vault lists in a fraction of the time. Each field is still authenticated to its record, field
 * and version; `verify` checks the full field manifests.
 */
export function listTestimonies(session: VaultSession, reusable: ReadonlyMap<string, TestimonySummary> = new Map()): TestimonySummary[] {
  const versions = new Map(session.db.prepare("SELECT record_id, head_version FROM records WHERE kind = 'testimony'").raw().all() as [string, number][]);
  return listRecordIds(session, 'testimony').map((id) => {
    // A summary read earlier in this session is reused while its record is still at that version.
    const earlier = reusable.get(id);
    if (earlier !== undefined && earlier.version === versions.get(id)) return earlier;
    const fields = readSomeFields(session, id, 'testimony', SUMMARY_FIELDS);
    const text = (name: (typeof SUMMARY_FIELDS)[number]): string => {
      const value = fields[name];
      if (typeof value !== 'string') throw new VaultError('VAULT_CORRUPT', `testimony ${id} has no readable ${name}`);
      return value;
    };
    const interviewDate = fields['interviewDate'];
    return {
      id,
      reference: text('reference'),
      title: text('title'),
      language: text('language'),
      status: oneOf(TESTIMONY_STATUSES, text('status'), id),
      sensitivity: oneOf(SENSITIVITY_LEVELS, text('sensitivity'), id),
      updatedAt: text('updatedAt'),
      ...(typeof interviewDate === 'string' ? { interviewDate } : {}),
      version: versions.get(id) ?? 0,
    };
  });
}

/** An edit writes a new version; the previous ones, the original included, stay readable. */
export function updateTestimony(session: VaultSession, testimonyId: string, patchInput: unknown): { version: number; addedTerms: ResolvedTerms['added'] } {
  const patch = parseOrThrow(TestimonyPatchSchema.safeParse(patchInput), 'testimony edit');
  return session.db.transaction(() => {
    const { fields: current } = readTestimonyFields(session, testimonyId);
    const known = listVocabulary(session);
    const added: ResolvedTerms['added'] = [];
    const resolve = (scheme: 'facility' | 'perpetratorUnit' | 'violation', labels: string[] | undefined, currentIds: string[]) => {
      if (labels === undefined) return currentIds;
      const resolved = resolveTerms(session, scheme, labels, known);
      added.push(...resolved.added);
      return resolved.ids;
    };
    const { facilities, perpetratorUnits, violations, ...scalarPatch } = patch;
    const definedPatch = Object.fromEntries(Object.entries(scalarPatch).filter(([, value]) => value !== undefined));
    const next: TestimonyFields = {
      ...current,
      ...definedPatch,
      facilityIds: resolve('facility', facilities, current.facilityIds),
      perpetratorUnitIds: resolve('perpetratorUnit', perpetratorUnits, current.perpetratorUnitIds),
      violationIds: resolve('violation', violations, current.violationIds),
      updatedAt: session.platform.now().toISOString(),
    };
    const record = updateRecord(session, testimonyId, 'testimony', next);
    appendAuditEntry(session, { action: 'testimony.edit', recordId: testimonyId, version: record.version });
    return { version: record.version, addedTerms: added };
  })();
}

export function testimonyHistory(session: VaultSession, testimonyId: string): { version: number; updatedAt: string }[] {
  readRecord(session, testimonyId, 'testimony');
  return listVersionNumbers(session, testimonyId).map((version) => ({
    version,
    updatedAt: readTestimonyFields(session, testimonyId, version).fields.updatedAt,
  }));
}

/** Persons linked from a testimony version, read without decrypting its transcript. */
export function personIdsOf(session: VaultSession, testimonyId: string, version?: number): string[] {
  const fields = readSomeFields(session, testimonyId, 'testimony', ['intervieweeId', 'persons'], version) as Partial<Pick<TestimonyFields, 'intervieweeId' | 'persons'>>;
  return [...(fields.intervieweeId ? [fields.intervieweeId] : []), ...(fields.persons ?? []).map((p) => p.personId)];
}

export function deleteTestimonyRecord(session: VaultSession, testimonyId: string): void {
  deleteRecord(session, testimonyId, 'testimony');
  appendAuditEntry(session, { action: 'testimony.delete', recordId: testimonyId });
}
