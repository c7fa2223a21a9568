import path from 'node:path';
import { z } from 'zod';
import { appendAuditEntry } from '../audit/auditLog.js';
import { AgeError, ageRecipientFingerprint, parseAgeRecipient, randomId, type AgeRecipient } from '../crypto/index.js';
import { custodyLogOf, type CustodyEvent } from '../media/custodyLog.js';
import type { MediaView } from '../media/mediaSchema.js';
import { listMedia, openBlobChunks } from '../media/readMedia.js';
import type { ProgressListener } from '../platform.js';
import { listRecordBranches } from '../records/recordBranches.js';
import { listRecordIds, readAllVersions, readRecord, recordExists, type FieldValues } from '../records/recordStore.js';
import type { TestimonyFields } from '../records/testimonySchema.js';
import type { VaultSession } from '../vault/VaultSession.js';
import { addPayloadManifest } from './addPayloadManifest.js';
import { MAX_TAR_ENTRIES, PAYLOAD_FILES } from './bundleLayout.js';
import { BundleFolder } from './BundleFolder.js';
import { PAYLOAD_MANIFEST_FORMAT, type PayloadManifest } from './bundleManifestSchema.js';
import { TRANSFER_PROFILE } from './bundleVocabulary.js';
import { csvLine } from './csvLine.js';
import { unredactedTransferBytes, type ExportBytes } from './ExportBytes.js';
import { ExportError } from './ExportError.js';
import { exporterPublicKey } from './exporterPublicKey.js';
import { PayloadWriter } from './PayloadWriter.js';
import { custodyEntryName, originalEntryName, recordEntryName, type TransferRecordKind } from './transferLayout.js';
import { transferReadmeText } from './transferReadmeText.js';
import { TRANSFER_MEDIA_FORMAT, TRANSFER_RECORD_FORMAT, type TransferMedia, type TransferRecord } from './transferRecordSchema.js';

export const TransferExportOptionsSchema = z
  .object({
    /** The central archive's `age1…` key(s). A transfer is never sealed to a passphrase: it is unredacted. */
    recipients: z.array(z.string()).min(1).max(64),
    outDir: z.string().min(1),
    /** Without it, every testimony in the vault (and every person, even one no testimony names). */
    testimonyIds: z.array(z.string().regex(/^[0-9a-f]{32}$/, 'must be a testimony id')).min(1).max(100_000).optional(),
    appVersion: z.string().regex(/^[0-9A-Za-z.+-]{1,64}$/),
  })
  .strict();
export type TransferExportOptions = z.input<typeof TransferExportOptionsSchema> & { onProgress?: ProgressListener };

export type TransferExportReport = {
  bundleId: string;
  outDir: string;
  profile: typeof TRANSFER_PROFILE;
  createdAt: string;
  signer: { keyId: string; publicKey: string };
  counts: { testimonies: number; persons: number; vocabularyTerms: number; recordVersions: number; conflictCopies: number; media: number; mediaBytes: number };
  /** Consent is not checked for a transfer (same organisation); these travel with their consent as recorded, withdrawn. */
  withdrawnConsent: number;
  payload: { sha256: string; size: number; recipients: number };
};

type OutgoingRecord = { kind: TransferRecordKind; id: string; branchOf: string | undefined; versions: FieldValues[] };

const encoder = new TextEncoder();

function jsonBytes(value: unknown): ExportBytes {
  return unredactedTransferBytes(encoder.encode(`${JSON.stringify(value, null, 1)}\n`));
}

async function* asTransferBytes(chunks: AsyncIterable<Uint8Array>): AsyncGenerator<ExportBytes> {
  for await (const chunk of chunks) yield unredactedTransferBytes(chunk);
}

function referencedIds(versions: readonly FieldValues[], pick: (fields: TestimonyFields) => readonly string[]): string[] {
  return versions.flatMap((fields) => pick(fields as TestimonyFields));
}

/**
 * Chooses what travels: the testimonies (every one, or those named) with their conflict copies;
 * every person any version of them names (or every person, for a whole-vault transfer) with theirs;
 * every vocabulary term any version uses; every media item of the testimonies.
 */
function collectRecords(session: VaultSession, testimonyIds: readonly string[] | undefined): { records: OutgoingRecord[]; media: MediaView[]; withdrawn: number } {
  const branches = listRecordBranches(session);
  const branchOf = new Map(branches.map((branch) => [branch.recordId, branch.branchOf]));
  const withCopies = (ids: Iterable<string>, kind: 'testimony' | 'person') => {
    const set = new Set(ids);
    for (const branch of branches) if (set.has(branch.branchOf) && recordExists(session, branch.recordId, kind)) set.add(branch.recordId);
    return [...set];
  };
  if (testimonyIds) {
    for (const id of testimonyIds) if (!recordExists(session, id, 'testimony')) throw new ExportError('INVALID_OPTIONS', `no testimony with id ${id}`);
  }
  const testimonies = withCopies(testimonyIds ?? listRecordIds(session, 'testimony'), 'testimony').map((id): OutgoingRecord => ({
    kind: 'testimony', id, branchOf: branchOf.get(id), versions: readAllVersions(session, id).map((version) => version.fields),
  }));
  const allVersions = testimonies.flatMap((record) => record.versions);
  const named = referencedIds(allVersions, (fields) => [...(fields.intervieweeId ? [fields.intervieweeId] : []), ...fields.persons.map((person) => person.personId)]);
  const personIds = withCopies(testimonyIds ? named : [...listRecordIds(session, 'person'), ...named], 'person').filter((id) => recordExists(session, id, 'person'));
  const persons = personIds.map((id): OutgoingRecord => ({ kind: 'person', id, branchOf: branchOf.get(id), versions: readAllVersions(session, id).map((version) => version.fields) }));
  const termIds = [...new Set(referencedIds(allVersions, (fields) => [...fields.facilityIds, ...fields.perpetratorUnitIds, ...fields.violationIds]))];
  // Terms travel as their current labels: the receiving vault matches them by label (docs/MERGE.md).
  const terms = termIds.filter((id) => recordExists(session, id, 'vocabularyTerm')).map((id): OutgoingRecord => ({
    kind: 'vocabularyTerm', id, branchOf: undefined, versions: [readRecord(session, id, 'vocabularyTerm').fields],
  }));
  const selected = new Set(testimonies.map((record) => record.id));
  const media = listMedia(session).filter((item) => selected.has(item.testimonyId));
  const withdrawn = testimonies.filter((record) => (record.versions.at(-1) as TestimonyFields | undefined)?.consent.withdrawn === true).length;
  return { records: [...terms, ...persons, ...testimonies], media, withdrawn };
}

/**
 * Exports a full, unredacted transfer bundle for the organisation's central archive (docs/MERGE.md):
 * the same bundle format as an export (age v1 tar, minisign-signed manifests, SHA256SUMS), profile
 * `transfer`, sealed only to age recipients. It carries every version of every record with its
 * id, the vocabulary terms they use, the media originals byte for byte, and a custody log per
 * media item that ends with this transfer. Consent scopes are not checked (a transfer does not
 * leave the organisation); the audit log says so. Plaintext never touches the disk.
 */
export async function exportTransferBundle(session: VaultSession, options: TransferExportOptions): Promise<TransferExportReport> {
  const { onProgress, ...rest } = options;
  const parsed = TransferExportOptionsSchema.safeParse(rest);
  if (!parsed.success) throw new ExportError('INVALID_OPTIONS', `invalid transfer options: ${parsed.error.issues.map((issue) => `${issue.path.join('.') || '(options)'}: ${issue.message}`).join('; ')}`);
  const opts = parsed.data;
  let recipients: AgeRecipient[];
  try {
    recipients = opts.recipients.map(parseAgeRecipient);
  } catch (error) {
    if (error instanceof AgeError) throw new ExportError('INVALID_OPTIONS', error.message);
    throw error;
  }
  const fingerprints = recipients.map((recipient) => ageRecipientFingerprint(recipient.text));
  const createdAt = session.platform.now();
  const createdAtText = createdAt.toISOString();
  const bundleId = randomId();
  const signer = exporterPublicKey(session);
  const { records, media, withdrawn } = collectRecords(session, opts.testimonyIds);
  const total = records.length + media.length;
  // One tar entry per record version and two per media item, plus the logs and manifests.
  const entries = records.reduce((sum, record) => sum + record.versions.length, 0) + 2 * media.length + 4;
  if (entries > MAX_TAR_ENTRIES) {
    throw new ExportError('INVALID_OPTIONS', `this transfer would hold ${entries} files, more than a bundle may (${MAX_TAR_ENTRIES}); transfer fewer testimonies at a time`);
  }

  const folder = await BundleFolder.prepare(path.resolve(opts.outDir));
  let writer: PayloadWriter | null = null;
  try {
    writer = await PayloadWriter.createUnredacted(folder.payloadPath, { kind: 'recipients', recipients }, Math.floor(createdAt.getTime() / 1000));
    const numbers: Record<TransferRecordKind, number> = { vocabularyTerm: 0, person: 0, testimony: 0 };
    for (const [index, record] of records.entries()) {
      onProgress?.({ done: index, total, phase: 'records' });
      const number = (numbers[record.kind] += 1);
      for (const [versionIndex, fields] of record.versions.entries()) {
        const document: TransferRecord = {
          format: TRANSFER_RECORD_FORMAT, kind: record.kind, id: record.id, version: versionIndex + 1, versions: record.versions.length,
          ...(record.branchOf ? { branchOf: record.branchOf } : {}), fields,
        };
        await writer.addTextFile(recordEntryName(record.kind, number, versionIndex + 1), jsonBytes(document));
      }
    }

    const custodyRows = [csvLine([
      'testimony_id', 'file', 'original_sha256', 'intake_at', 'custodian', 'derivative_sha256', 'transformations', 'exported_at', 'media_id', 'original_name', 'size_bytes', 'custody_log',
    ])];
    let mediaBytes = 0;
    for (const [index, item] of media.entries()) {
      onProgress?.({ done: records.length + index, total, phase: 'media' });
      const file = originalEntryName(index + 1);
      const sent: CustodyEvent = { event: 'transfer.sent', at: createdAtText, vaultKeyId: signer.keyId, bundleId, recipients: fingerprints };
      const document: TransferMedia = {
        format: TRANSFER_MEDIA_FORMAT, id: item.id, testimonyId: item.testimonyId, file, originalName: item.originalName, mimeType: item.mimeType,
        sizeBytes: item.sizeBytes, sha256: item.sha256, intakeAt: item.intakeAt, custodian: item.custodian, custodyLog: [...custodyLogOf(item, signer.keyId), sent],
      };
      await writer.addTextFile(custodyEntryName(index + 1), jsonBytes(document));
      // The original, byte for byte, hashed as it streams past: it must still be what was taken in.
      const written = await writer.addStreamedFile(file, item.sizeBytes, asTransferBytes(openBlobChunks(session, item.blobId)));
      if (written.sha256 !== item.sha256) throw new ExportError('MEDIA_INTEGRITY', `media ${item.id} does not match its SHA-256 at intake; run tvault verify`);
      mediaBytes += item.sizeBytes;
      custodyRows.push(csvLine([
        item.testimonyId, file, item.sha256, item.intakeAt, item.custodian, written.sha256, 'none (original bytes)', createdAtText, item.id, item.originalName, item.sizeBytes, custodyEntryName(index + 1),
      ]));
    }
    await writer.addTextFile(PAYLOAD_FILES.custodyLog, unredactedTransferBytes(encoder.encode(custodyRows.join(''))));
    const payloadManifest: PayloadManifest = {
      format: PAYLOAD_MANIFEST_FORMAT, bundleId, createdAt: createdAtText, appVersion: opts.appVersion, profile: TRANSFER_PROFILE,
      // Items are the control-numbered testimonies of a redacted export; a transfer has none.
      exporter: { keyId: signer.keyId, publicKey: signer.publicKey }, items: [], files: [...writer.files],
    };
    await addPayloadManifest(writer, session, payloadManifest);
    const sealed = await writer.seal();
    onProgress?.({ done: total, total, phase: 'signing' });
    await folder.writeSignedOuterFiles(session, payloadManifest, sealed, fingerprints.map((fingerprint) => ({ type: 'X25519' as const, fingerprint })), transferReadmeText);

    const count = (kind: TransferRecordKind) => records.filter((record) => record.kind === kind).length;
    const report: TransferExportReport = {
      bundleId, outDir: folder.outDir, profile: TRANSFER_PROFILE, createdAt: createdAtText, signer: { keyId: signer.keyId, publicKey: signer.publicKey },
      counts: {
        testimonies: count('testimony'), persons: count('person'), vocabularyTerms: count('vocabularyTerm'),
        recordVersions: records.reduce((sum, record) => sum + record.versions.length, 0),
        conflictCopies: records.filter((record) => record.branchOf !== undefined).length, media: media.length, mediaBytes,
      },
      withdrawnConsent: withdrawn,
      payload: { sha256: sealed.sha256, size: sealed.size, recipients: recipients.length },
    };
    // Ids and counts only. Consent is not checked for a transfer; the log says so, and how many were withdrawn.
    appendAuditEntry(session, {
      action: 'export',
      recordId: bundleId,
      details: {
        profile: TRANSFER_PROFILE,
        consentChecks: 'not applied: unredacted transfer between vaults of the same organisation',
        withdrawnConsent: withdrawn,
        testimonies: report.counts.testimonies,
        persons: report.counts.persons,
        vocabularyTerms: report.counts.vocabularyTerms,
        recordVersions: report.counts.recordVersions,
        media: media.length,
        testimonyIds: records.filter((record) => record.kind === 'testimony').map((record) => record.id).join(';'),
        payloadSha256: sealed.sha256,
        recipients: fingerprints.join(';'),
        signerKeyId: signer.keyId,
      },
    });
    session.platform.logger.info('transfer.export.done', { records: records.length, media: media.length });
    return report;
  } catch (error) {
    await writer?.abort();
    await folder.remove();
    throw error;
  }
}
