import { readAuditDigest } from '../audit/auditDigest.js';
import { appendAuditEntry } from '../audit/auditLog.js';
import { AgeError, keyedDigest, parseAgeIdentityFile, wipeAgeKeys, type AgeDecryptionKey } from '../crypto/index.js';
import { BundleError } from '../export/BundleError.js';
import { TRANSFER_PROFILE } from '../export/bundleVocabulary.js';
import { checkBundleFolder, type CheckedBundle } from '../export/checkBundleFolder.js';
import { exporterPublicKey } from '../export/exporterPublicKey.js';
import { readPayloadEntries } from '../export/readPayloadEntries.js';
import { TRANSFER_PAYLOAD_LAYOUT } from '../export/transferLayout.js';
import { BlobWriter, type WrittenBlob } from '../media/BlobWriter.js';
import type { ProgressListener } from '../platform.js';
import type { VaultSession } from '../vault/VaultSession.js';
import { applyMerge } from './applyMerge.js';
import { inspectTransferPayload, type TransferContent } from './inspectTransferPayload.js';
import { MergeError } from './MergeError.js';
import type { MergeReport, SenderTrust } from './mergeReport.js';
import { addTrustedSender, checkSenderLabel, findTrustedSender } from './trustedSenders.js';

export type MergeOptions = {
  /** The text of the archive's age identity file (`AGE-SECRET-KEY-1…`). */
  identityText: string;
  /**
   * Merge even though the signer is not on the trusted-senders list, and add it to the list (as
   * ssh does with a host key the user has checked). Compare the key first, by another channel.
   */
  trust?: boolean;
  /** The label the signer gets on the list when `trust` adds it (encrypted; may name a person). */
  senderLabel?: string;
  /** Largest payload (plaintext) to accept; default 64 GiB. */
  maxPayloadBytes?: number;
  onProgress?: ProgressListener;
};

function identityKeys(identityText: string): AgeDecryptionKey[] {
  try {
    return parseAgeIdentityFile(identityText);
  } catch (error) {
    if (error instanceof AgeError) throw new BundleError('IDENTITY_MALFORMED', error.message);
    throw error;
  }
}

/** Which media files the vault needs the bytes of: new media, not deleted here, whose content it does not hold yet (one per SHA-256). */
function mediaToReceive(session: VaultSession, content: TransferContent, deletedHere: ReadonlySet<string>): Map<string, string> {
  const skippedTestimonies = new Set(content.records
    .filter((record) => record.kind === 'testimony' && (deletedHere.has(record.id) || deletedHere.has(record.branchOf ?? record.id)))
    .map((record) => record.id));
  const wanted = new Map<string, string>();
  const shas = new Set<string>();
  for (const media of content.media) {
    if (deletedHere.has(media.id) || deletedHere.has(media.testimonyId) || skippedTestimonies.has(media.testimonyId) || shas.has(media.sha256)) continue;
    if (session.db.prepare('SELECT 1 FROM records WHERE record_id = ?').get(media.id)) continue;
    if (session.db.prepare('SELECT 1 FROM blobs WHERE dedup_tag = ?').get(keyedDigest(session.key('dedupKey'), media.sha256))) continue;
    wanted.set(media.file, media.sha256);
    shas.add(media.sha256);
  }
  return wanted;
}

/**
 * The second pass: decrypts payload.age again and streams each wanted original straight into a
 * new encrypted vault blob (only ciphertext is written). Each must hash to what the first pass
 * verified, and the whole file must still be the signed payload; if not, every blob written goes.
 */
async function receiveMedia(
  session: VaultSession,
  checked: CheckedBundle,
  keys: readonly AgeDecryptionKey[],
  wanted: ReadonlyMap<string, string>,
  written: Map<string, WrittenBlob & { writer: BlobWriter }>,
  onProgress: ProgressListener | undefined,
): Promise<void> {
  let current: { writer: BlobWriter; sha256: string; name: string } | null = null;
  const writers: BlobWriter[] = [];
  try {
    const { ciphertextSha256 } = await readPayloadEntries(checked, keys, {
      onEntry: async (header) => {
        const sha256 = wanted.get(header.name);
        if (sha256 === undefined) return;
        const writer = await BlobWriter.create(session);
        writers.push(writer);
        current = { writer, sha256, name: header.name };
      },
      onData: async (bytes) => {
        const entry = current as { writer: BlobWriter } | null;
        if (entry) await entry.writer.write(bytes);
      },
      onEntryEnd: async () => {
        const entry = current as { writer: BlobWriter; sha256: string; name: string } | null;
        if (!entry) return;
        current = null;
        const blob = await entry.writer.finish();
        if (blob.sha256 !== entry.sha256) throw new BundleError('PAYLOAD_CHANGED_DURING_OPEN', `${entry.name} differs from what was verified (payload.age changed while it was being merged)`);
        written.set(blob.sha256, { ...blob, writer: entry.writer });
        onProgress?.({ done: written.size, total: wanted.size, phase: 'receiving media' });
      },
    }, TRANSFER_PAYLOAD_LAYOUT);
    if (ciphertextSha256 !== checked.manifest.payload.sha256 || written.size !== wanted.size) {
      throw new BundleError('PAYLOAD_CHANGED_DURING_OPEN', 'payload.age changed while it was being merged');
    }
  } catch (error) {
    for (const writer of writers) await writer.abort();
    written.clear();
    throw error;
  }
}

/**
 * Merges a transfer bundle into this vault (docs/MERGE.md). In order, and stopping at the first
 * refusal with nothing written: the bundle's outer layer is verified (signature, hashes,
 * recipients, payload hash: checkBundleFolder, as `tvault bundle verify`); its signer must be on
 * the trusted-senders list, be this vault, or be trusted by `trust: true`; then a first decrypting
 * pass verifies everything inside and parses the records (inspectTransferPayload), writing
 * nothing. Only then a second pass streams new media originals into encrypted blobs, and one
 * transaction merges records, media and custody logs (applyMerge) and records the sender in the
 * audit log. No plaintext is written anywhere.
 */
export async function mergeTransferBundle(session: VaultSession, bundleDir: string, options: MergeOptions): Promise<MergeReport> {
  if (options.senderLabel !== undefined) checkSenderLabel(options.senderLabel);
  const keys = identityKeys(options.identityText);
  try {
    const checked = await checkBundleFolder(bundleDir, options.maxPayloadBytes === undefined ? {} : { maxPayloadBytes: options.maxPayloadBytes }, []);
    if (checked.manifest.profile !== TRANSFER_PROFILE) {
      throw new BundleError('WRONG_PROFILE', `this is a "${checked.manifest.profile}" export, redacted for a recipient; only a transfer bundle can be merged`);
    }
    const digest = readAuditDigest(session, { save: false });
    const auditHead = () => (session.db.prepare('SELECT MAX(seq) AS seq FROM audit_log').get() as { seq: number | null }).seq ?? 0;
    const auditHeadBefore = auditHead();
    const sender = checked.signer;
    const listed = findTrustedSender(session, sender.publicKey);
    const known: SenderTrust | null = listed ? 'trusted-sender' : sender.publicKey === exporterPublicKey(session).publicKey ? 'this-vault' : null;
    if (!known && !options.trust) {
      throw new MergeError('UNTRUSTED_SENDER', `the bundle is signed by key ${sender.keyId} (${sender.publicKey}), which this vault does not trust; compare it with the sender by another channel, then add it (tvault trust add) or merge with --trust`);
    }
    const trust: SenderTrust = known ?? 'trusted-now';
    const fileCount = checked.manifest.files.length + 3;
    const content = await inspectTransferPayload(checked, keys, (done) => options.onProgress?.({ done, total: fileCount, phase: 'verifying' }));

    const deletedHere = digest.deletedRecordIds;
    const written = new Map<string, WrittenBlob & { writer: BlobWriter }>();
    const wanted = mediaToReceive(session, content, deletedHere);
    if (wanted.size > 0) await receiveMedia(session, checked, keys, wanted, written, options.onProgress);
    options.onProgress?.({ done: 0, total: 1, phase: 'merging' });

    let report: MergeReport;
    try {
      report = session.db.transaction((): MergeReport => {
        // Deletions and trust decisions were read before the passes; anything logged since could change them.
        if (auditHead() !== auditHeadBefore) throw new MergeError('VAULT_CHANGED', 'the vault changed while the bundle was being read; merge again');
        readAuditDigest(session, { save: true });
        const label = trust === 'trusted-now'
          ? addTrustedSender(session, sender.publicKey, options.senderLabel ?? `vault ${sender.keyId}`, { via: 'merge', bundleId: content.bundleId }).label
          : listed?.label ?? null;
        const senderInfo = { keyId: sender.keyId, publicKey: sender.publicKey, label, trust };
        const merged = applyMerge(session, content, {
          sender: senderInfo, payloadSha256: checked.manifest.payload.sha256, localKeyId: exporterPublicKey(session).keyId, deletedHere, blobs: written, now: session.platform.now().toISOString(),
        });
        // The sender and what came in, by id and count only.
        appendAuditEntry(session, {
          action: 'merge',
          recordId: content.bundleId,
          details: {
            senderKeyId: sender.keyId,
            senderPublicKey: sender.publicKey,
            trust: senderInfo.trust,
            bundleCreatedAt: content.createdAt,
            payloadSha256: checked.manifest.payload.sha256,
            testimoniesAdded: merged.testimonies.added,
            testimoniesExtended: merged.testimonies.extended,
            testimoniesPresent: merged.testimonies.alreadyPresent,
            testimonyConflictCopies: merged.testimonies.conflictCopies,
            personsAdded: merged.persons.added,
            personsExtended: merged.persons.extended,
            personConflictCopies: merged.persons.conflictCopies,
            vocabularyAdded: merged.vocabulary.added,
            mediaAdded: merged.media.added,
            mediaPresent: merged.media.alreadyPresent,
            mediaCustodyExtended: merged.media.custodyExtended,
            skipped: merged.skipped.length,
          },
        });
        return { ...merged, sender: senderInfo };
      })();
    } catch (error) {
      for (const blob of written.values()) await blob.writer.abort();
      throw error;
    }
    // A blob another intake stored in the meantime was used instead of ours: ours is not referenced.
    for (const blob of written.values()) {
      if (!session.db.prepare('SELECT 1 FROM blobs WHERE blob_id = ?').get(blob.blobId)) await blob.writer.abort();
    }
    session.platform.logger.info('merge.done', { added: report.testimonies.added, conflicts: report.conflicts.length, media: report.media.added });
    options.onProgress?.({ done: 1, total: 1, phase: 'merging' });
    return report;
  } finally {
    wipeAgeKeys(keys);
  }
}
