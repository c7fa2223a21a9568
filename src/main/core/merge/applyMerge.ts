import { appendAuditEntry } from '../audit/auditLog.js';
import { keyedDigest, randomId, sha256Hex } from '../crypto/index.js';
import type { TransferRecordKind } from '../export/transferLayout.js';
import type { TransferMedia } from '../export/transferRecordSchema.js';
import type { WrittenBlob } from '../media/BlobWriter.js';
import { appendCustodyEvents, custodyLogOf, type CustodyEvent } from '../media/custodyLog.js';
import type { MediaFields } from '../media/mediaSchema.js';
import { getMedia } from '../media/readMedia.js';
import { addRecordBranch, listRecordBranches } from '../records/recordBranches.js';
import { createRecord, readAllVersions, recordExists, updateRecord, type FieldValues, type RecordKind } from '../records/recordStore.js';
import type { TestimonyFields } from '../records/testimonySchema.js';
import { listVocabulary, termLabels } from '../records/vocabulary.js';
import type { VocabularyTerm } from '../records/vocabularySchema.js';
import { matchKey } from '../search/normalizeText.js';
import type { VaultSession } from '../vault/VaultSession.js';
import { canonicalJson } from './canonicalJson.js';
import { decideRecordMerge } from './decideRecordMerge.js';
import type { TransferContent } from './inspectTransferPayload.js';
import { MergeError } from './MergeError.js';
import type { MergeReport, RecordCounts } from './mergeReport.js';

export type MergeContext = {
  sender: MergeReport['sender'];
  payloadSha256: string;
  /** This vault's signing key id: the vault named in the custody entries it adds. */
  localKeyId: string;
  /** Ids this vault deleted (crypto-shredded), from its signed audit log: a merge does not bring them back. */
  deletedHere: ReadonlySet<string>;
  /** Blobs written by the second pass, by the SHA-256 of their plaintext; not yet in the database. */
  blobs: ReadonlyMap<string, WrittenBlob>;
  now: string;
};

type TermFields = Omit<VocabularyTerm, 'id'>;
const MAX_ALIASES = 200;
const VOCABULARY_FIELDS = ['facilityIds', 'perpetratorUnitIds', 'violationIds'] as const;

function emptyCounts(): RecordCounts {
  return { added: 0, extended: 0, alreadyPresent: 0, conflictCopies: 0, skippedDeleted: 0 };
}

function kindOf(session: VaultSession, recordId: string): RecordKind | null {
  const row = session.db.prepare('SELECT kind FROM records WHERE record_id = ?').get(recordId) as { kind: RecordKind } | undefined;
  return row?.kind ?? null;
}

/** A term's identity across vaults: its scheme and its first label, normalised (seeded terms have random ids per vault). */
function termKey(term: TermFields): string {
  return `${term.scheme}\0${matchKey(term.labelEn ?? term.labelAr ?? '')}`;
}

/** Testimony fields with every vocabulary id replaced: by a key to compare two vaults' versions, or by a local id to store one. */
function withTerms(fields: FieldValues, replace: (termId: string) => string): FieldValues {
  const out: FieldValues = { ...fields };
  for (const name of VOCABULARY_FIELDS) out[name] = ((fields as Partial<TestimonyFields>)[name] ?? []).map(replace);
  return out;
}

/**
 * Writes a verified transfer into the vault; the caller runs it in one transaction, after the
 * second pass wrote the new blobs. Vocabulary terms are matched (by id, then by label within their
 * scheme) or added; every other record joins by its version history (decideRecordMerge): already
 * present, extended, added, or kept whole as a conflict copy beside the local record. Media are
 * matched by id; new ones get their blob (an existing one with the same SHA-256, or the one just
 * written) and their custody log, which gains this transfer. Every write is in the audit log.
 */
export function applyMerge(session: VaultSession, content: TransferContent, context: MergeContext): Omit<MergeReport, 'sender'> {
  const bundleId = content.bundleId;
  const report: Omit<MergeReport, 'sender'> = {
    bundleId, bundleCreatedAt: content.createdAt, mergedAt: context.now,
    testimonies: emptyCounts(), persons: emptyCounts(), vocabulary: { matched: 0, added: 0, labelsAdded: 0 },
    media: { added: 0, alreadyPresent: 0, custodyExtended: 0, bytesDeduplicated: 0, skippedDeleted: 0 },
    conflicts: [], skipped: [], nothingNew: false,
  };
  const audit = (recordId: string, version: number, details: Record<string, string | number>) =>
    appendAuditEntry(session, { action: 'merge', recordId, version, details: { bundleId, ...details } });
  const freeId = (id: string) => (kindOf(session, id) === null ? id : randomId());

  // 1. Vocabulary: the local term with the same id, else one with the same label in the scheme, else a new term.
  const localTerms = listVocabulary(session);
  const localById = new Map<string, TermFields>(localTerms.map(({ id, ...term }) => [id, term]));
  const termIdMap = new Map<string, string>();
  const incomingTerms = new Map<string, TermFields>();
  for (const record of content.records.filter((item) => item.kind === 'vocabularyTerm')) {
    const incoming = record.versions[0] as TermFields;
    incomingTerms.set(record.id, incoming);
    // Only terms that were here before the merge are matched by label, so two incoming terms never fold into one.
    const byLabel = () => {
      for (const key of termLabels(incoming).map(matchKey)) {
        const found = localTerms.find((term) => term.scheme === incoming.scheme && termLabels(term).some((label) => matchKey(label) === key));
        if (found) return found.id;
      }
      return undefined;
    };
    const targetId = localById.get(record.id)?.scheme === incoming.scheme ? record.id : byLabel();
    const target = targetId === undefined ? undefined : localById.get(targetId);
    if (targetId !== undefined && target) {
      termIdMap.set(record.id, targetId);
      report.vocabulary.matched += 1;
      // Labels the local term lacks become aliases, so no spelling the sender knew is lost.
      const known = new Set(termLabels(target).map(matchKey));
      const missing = termLabels(incoming).filter((label) => {
        const key = matchKey(label);
        if (known.has(key)) return false;
        known.add(key);
        return true;
      });
      const room = Math.max(0, MAX_ALIASES - target.aliases.length);
      if (missing.length > 0 && room > 0) {
        const next: TermFields = { ...target, aliases: [...target.aliases, ...missing.slice(0, room)] };
        audit(targetId, updateRecord(session, targetId, 'vocabularyTerm', next).version, { kind: 'vocabularyTerm', outcome: 'labels-added' });
        report.vocabulary.labelsAdded += Math.min(missing.length, room);
        localById.set(targetId, next);
      }
      continue;
    }
    const id = freeId(record.id);
    createRecord(session, 'vocabularyTerm', incoming, id);
    audit(id, 1, { kind: 'vocabularyTerm', outcome: 'added' });
    termIdMap.set(record.id, id);
    localById.set(id, incoming);
    report.vocabulary.added += 1;
  }
  const localTermKey = (termId: string) => {
    const term = localById.get(termId);
    return term ? termKey(term) : `id ${termId}`;
  };
  const incomingTermKey = (termId: string) => {
    const term = incomingTerms.get(termId);
    return term ? termKey(term) : localTermKey(termId);
  };

  // 2. Persons, then testimonies: each by its version history within its family.
  for (const record of content.records.filter((item) => item.kind !== 'vocabularyTerm')) {
    const kind = record.kind as Exclude<TransferRecordKind, 'vocabularyTerm'>;
    const counts = kind === 'testimony' ? report.testimonies : report.persons;
    const root = record.branchOf ?? record.id;
    if (context.deletedHere.has(record.id) || context.deletedHere.has(root)) {
      counts.skippedDeleted += 1;
      report.skipped.push({ kind, id: record.id, reason: 'deleted in this vault; a merge does not bring it back' });
      continue;
    }
    const existingKind = kindOf(session, record.id);
    if (existingKind !== null && existingKind !== kind) throw new MergeError('RECORD_ID_CONFLICT', `id ${record.id} is a ${kind} in the bundle but a ${existingKind} here`);
    const digest = kind === 'testimony'
      ? (fields: FieldValues, keyOf: (termId: string) => string) => sha256Hex(canonicalJson(withTerms(fields, keyOf)))
      : (fields: FieldValues) => sha256Hex(canonicalJson(fields));
    const familyIds = [...new Set([record.id, root, ...listRecordBranches(session, root).map((branch) => branch.recordId)])].filter((id) => recordExists(session, id, kind));
    const family = familyIds.map((id) => ({ id, digests: readAllVersions(session, id).map((version) => digest(version.fields, localTermKey)) }));
    const decision = decideRecordMerge(record.versions.map((fields) => digest(fields, incomingTermKey)), family, record.id);
    const toStore = kind === 'testimony' ? record.versions.map((fields) => withTerms(fields, (termId) => termIdMap.get(termId) ?? termId)) : record.versions;

    if (decision.action === 'present') {
      counts.alreadyPresent += 1;
      continue;
    }
    if (decision.action === 'extend') {
      let version = 0;
      for (const fields of toStore.slice(decision.from)) version = updateRecord(session, decision.localId, kind, fields).version;
      audit(decision.localId, version, { kind, outcome: 'extended', incomingId: record.id });
      counts.extended += 1;
      continue;
    }
    const id = freeId(record.id);
    const isConflict = family.length > 0;
    const branchOf = isConflict ? root : record.branchOf;
    writeNewRecord(session, kind, id, toStore);
    if (branchOf) addRecordBranch(session, { recordId: id, branchOf, bundleId, senderKeyId: context.sender.keyId, receivedAt: context.now });
    audit(id, toStore.length, { kind, outcome: isConflict ? 'conflict-copy' : 'added', incomingId: record.id, ...(branchOf ? { branchOf } : {}) });
    if (isConflict) {
      counts.conflictCopies += 1;
      report.conflicts.push({ kind, recordId: family.find((member) => member.id === root)?.id ?? family[0]?.id ?? root, conflictCopyId: id, incomingId: record.id });
    } else {
      counts.added += 1;
    }
  }

  // 3. Media, with their custody logs.
  for (const media of content.media) mergeMedia(session, bundleId, media, context, report, audit);

  report.nothingNew = [report.testimonies, report.persons].every((counts) => counts.added + counts.extended + counts.conflictCopies === 0)
    && report.vocabulary.added + report.vocabulary.labelsAdded + report.media.added + report.media.custodyExtended === 0;
  return report;
}

function writeNewRecord(session: VaultSession, kind: RecordKind, id: string, versions: readonly FieldValues[]): void {
  const [first, ...later] = versions;
  createRecord(session, kind, first ?? {}, id);
  for (const fields of later) updateRecord(session, id, kind, fields);
}

function mergeMedia(
  session: VaultSession,
  bundleId: string,
  media: TransferMedia,
  context: MergeContext,
  report: Omit<MergeReport, 'sender'>,
  audit: (recordId: string, version: number, details: Record<string, string | number>) => void,
): void {
  if (context.deletedHere.has(media.id) || !recordExists(session, media.testimonyId, 'testimony')) {
    report.media.skippedDeleted += 1;
    report.skipped.push({ kind: 'media', id: media.id, reason: context.deletedHere.has(media.id) ? 'deleted in this vault' : 'its testimony was deleted in this vault' });
    return;
  }
  const received: CustodyEvent = {
    event: 'transfer.received', at: context.now, vaultKeyId: context.localKeyId, bundleId, fromKeyId: context.sender.keyId, payloadSha256: context.payloadSha256,
  };
  const existingKind = kindOf(session, media.id);
  if (existingKind !== null && existingKind !== 'media') throw new MergeError('RECORD_ID_CONFLICT', `id ${media.id} is a media item in the bundle but a ${existingKind} here`);
  if (existingKind === 'media') {
    const { id: _id, ...local } = getMedia(session, media.id);
    if (local.sha256 !== media.sha256) throw new MergeError('RECORD_ID_CONFLICT', `media ${media.id} holds other bytes here than in the bundle`);
    report.media.alreadyPresent += 1;
    // The intake facts stay as they are; the log only gains the links it lacks, this transfer last.
    const { log, added } = appendCustodyEvents(custodyLogOf(local, context.localKeyId), [...media.custodyLog, received]);
    if (added === 0) return;
    const updated = updateRecord(session, media.id, 'media', { ...local, custodyLog: log } satisfies MediaFields);
    audit(media.id, updated.version, { kind: 'media', outcome: 'custody-extended', custodyEventsAdded: added });
    report.media.custodyExtended += 1;
    return;
  }
  const dedupTag = keyedDigest(session.key('dedupKey'), media.sha256);
  const existing = session.db.prepare('SELECT blob_id FROM blobs WHERE dedup_tag = ?').get(dedupTag) as { blob_id: string } | undefined;
  let blobId: string;
  if (existing) {
    blobId = existing.blob_id;
    report.media.bytesDeduplicated += 1;
  } else {
    const written = context.blobs.get(media.sha256);
    if (!written) throw new MergeError('VAULT_CHANGED', 'the vault changed while the bundle was being read (a media file it held is gone); merge again');
    session.db.prepare('INSERT INTO blobs (blob_id, dedup_tag, wrapped_key, sealed_size) VALUES (?, ?, ?, ?)').run(written.blobId, dedupTag, written.wrappedKey, written.sealedSize);
    blobId = written.blobId;
  }
  const fields: MediaFields = {
    testimonyId: media.testimonyId, blobId, originalName: media.originalName, mimeType: media.mimeType, sizeBytes: media.sizeBytes, sha256: media.sha256,
    intakeAt: media.intakeAt, custodian: media.custodian, custodyLog: appendCustodyEvents(media.custodyLog, [received]).log,
  };
  createRecord(session, 'media', fields, media.id);
  session.db.prepare('INSERT INTO record_blobs (record_id, blob_id) VALUES (?, ?)').run(media.id, blobId);
  audit(media.id, 1, { kind: 'media', outcome: 'added', testimonyId: media.testimonyId, deduplicated: existing ? 1 : 0 });
  report.media.added += 1;
}
