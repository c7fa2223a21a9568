import { getMedia } from '../media/readMedia.js';
import { getPerson } from '../records/persons.js';
import { readRecord, withFieldReader, type RecordKind } from '../records/recordStore.js';
import { readTestimonyFields } from '../records/testimonies.js';
import type { TestimonyFields } from '../records/testimonySchema.js';
import type { VocabularyTerm } from '../records/vocabularySchema.js';
import { readVerifiedHeader } from '../vault/header.js';
import type { VaultSession } from '../vault/VaultSession.js';
import type { SnippetFields } from './buildSnippet.js';
import type { IndexDocument, IndexEntity } from './indexDocument.js';

/** The searchable part of a testimony's decrypted head version (held in memory only). */
export function indexDocumentFromFields(id: string, version: number, fields: TestimonyFields): IndexDocument {
  return {
    id,
    version,
    reference: fields.reference,
    title: fields.title,
    summary: fields.summary,
    transcript: fields.transcript,
    tags: fields.tags,
    facilityIds: fields.facilityIds,
    perpetratorUnitIds: fields.perpetratorUnitIds,
    violationIds: fields.violationIds,
    personIds: [...(fields.intervieweeId ? [fields.intervieweeId] : []), ...fields.persons.map((person) => person.personId)],
    language: fields.language,
    status: fields.status,
    consentScopes: fields.consent.scopes,
    consentWithdrawn: fields.consent.withdrawn,
    ...(fields.period ? { period: { ...(fields.period.from ? { from: fields.period.from } : {}), ...(fields.period.to ? { to: fields.period.to } : {}) } } : {}),
    ...(fields.interviewDate ? { interviewDate: fields.interviewDate } : {}),
  };
}

export function readIndexDocument(session: VaultSession, testimonyId: string): IndexDocument {
  const { fields, version } = readTestimonyFields(session, testimonyId);
  return indexDocumentFromFields(testimonyId, version, fields);
}

const textOf = (value: unknown): string => (typeof value === 'string' ? value : '');

/**
 * A testimony's snippet fields, each decrypted when first read. A class, not an object literal
 * with getters: each such literal got a hidden class of its own, which kept its text reachable
 * until the next full collection (measured: 2-4 MB promoted per minor collection during searches).
 */
class LazySnippetFields implements SnippetFields {
  private titleText: string | undefined;
  private summaryText: string | undefined;
  private transcriptText: string | undefined;

  constructor(private readonly read: (name: string) => unknown) {}

  get title(): string {
    return (this.titleText ??= textOf(this.read('title')));
  }

  get summary(): string {
    return (this.summaryText ??= textOf(this.read('summary')));
  }

  get transcript(): string {
    return (this.transcriptText ??= textOf(this.read('transcript')));
  }
}

/**
 * Lets `use` read the text a snippet is cut from: title, summary and transcript only (not the whole
 * record with its persons' ids, consent and so on), each decrypted when first read
 * (`withFieldReader`), which is what keeps a page of hits cheap.
 */
export function withSnippetFields<T>(session: VaultSession, testimonyId: string, use: (fields: SnippetFields) => T): T {
  return withFieldReader(session, testimonyId, 'testimony', (read) => use(new LazySnippetFields(read)));
}

export function readPersonEntity(session: VaultSession, personId: string): IndexEntity {
  const person = getPerson(session, personId);
  return { id: personId, kind: 'person', version: person.version, names: [person.name, ...person.aliases] };
}

export function readVocabularyEntity(session: VaultSession, termId: string): IndexEntity {
  const record = readRecord(session, termId, 'vocabularyTerm');
  const term = record.fields as Omit<VocabularyTerm, 'id'>;
  return {
    id: termId,
    kind: term.scheme,
    version: record.version,
    names: [term.labelEn, term.labelAr, ...term.aliases].filter((name): name is string => name !== undefined),
    ...(term.labelEn ? { labelEn: term.labelEn } : {}),
    ...(term.labelAr ? { labelAr: term.labelAr } : {}),
  };
}

export function readMediaTestimonyId(session: VaultSession, mediaId: string): string {
  return getMedia(session, mediaId).testimonyId;
}

export type RecordHead = { kind: RecordKind; version: number };

/**
 * Every record's kind and head version, from the clear structure columns of `records` (no
 * decryption): how the index tells which records changed since its snapshot. One query, so a
 * catch-up over 400k records costs a fraction of a second.
 */
export function listRecordHeads(session: VaultSession): Map<string, RecordHead> {
  const rows = session.db.prepare('SELECT record_id, kind, head_version FROM records').raw().all() as [string, RecordKind, number][];
  return new Map(rows.map(([id, kind, version]) => [id, { kind, version }]));
}

export function recordHead(session: VaultSession, recordId: string): RecordHead | undefined {
  const row = session.db.prepare('SELECT kind, head_version FROM records WHERE record_id = ?').raw().get(recordId) as [RecordKind, number] | undefined;
  return row ? { kind: row[0], version: row[1] } : undefined;
}

/** The authenticated audit head: every change to the vault moves it, so it names a vault state. */
export function vaultStateMarker(session: VaultSession): string {
  const header = readVerifiedHeader(session.db, session.key('headerMacKey'));
  return `${header.auditHeadSeq}:${Buffer.from(header.auditHeadHash).toString('hex')}`;
}
