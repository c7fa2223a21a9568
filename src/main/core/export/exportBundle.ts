import { assertAcceptablePassphrase } from '../vault/passphrasePolicy.js';
import path from 'node:path';
import { z } from 'zod';
import { appendAuditEntry } from '../audit/auditLog.js';
import {
  AgeError, ageRecipientFingerprint, parseAgeRecipient, randomId, sha256Hex, AGE_MAX_SCRYPT_WORK_FACTOR,
  type AgeEncryptTarget, type AgeRecipient,
} from '../crypto/index.js';
import { isVaultError } from '../errors.js';
import { openBlobChunks, listMedia, readMediaBytes } from '../media/readMedia.js';
import type { MediaView } from '../media/mediaSchema.js';
import type { ProgressListener } from '../platform.js';
import { readTestimonyFields, testimonyView, vocabularyById, type TestimonyView } from '../records/testimonies.js';
import { defaultRedactor } from '../redaction/applyRedactions.js';
import { parseRedactionPlan } from '../redaction/parseRedactionPlan.js';
import { PseudonymRegistry } from '../redaction/PseudonymRegistry.js';
import { markRedacted, type RedactedText } from '../redaction/RedactedText.js';
import type { ImageRegion, RedactionPlan } from '../redaction/redactionPlanSchema.js';
import { RedactionPlanError } from '../redaction/RedactionPlanError.js';
import { loadRedactionPlan } from '../redaction/redactionPlans.js';
import type { Redactor } from '../redaction/redactionRules.js';
import { FIXED_PSEUDONYM_LIST, resolveRedactionRules, type LeakNeedle, type RedactionPolicy, type ResolvedRedaction } from '../redaction/resolveRedactionRules.js';
import { redactionSubjectOf } from '../redaction/redactionSubjectOf.js';
import { suggestRedactions, type RedactionSubject, type SuggestionOwner } from '../redaction/suggestRedactions.js';
import type { VaultSession } from '../vault/VaultSession.js';
import { addPayloadManifest } from './addPayloadManifest.js';
import { PAYLOAD_FILES } from './bundleLayout.js';
import { BundleFolder, type RecipientEntry } from './BundleFolder.js';
import { PAYLOAD_MANIFEST_FORMAT, type PayloadManifest } from './bundleManifestSchema.js';
import { checkConsent, EXPORT_PROFILES, type ExportProfile } from './checkConsent.js';
import { allocateControlNumbers, formatControlNumber } from './controlNumbers.js';
import { csvRow } from './csvRow.js';
import { encodeRedactedText } from './ExportBytes.js';
import { ExportError } from './ExportError.js';
import { exporterPublicKey } from './exporterPublicKey.js';
import type { ExportedItem, ExportReport, MediaOutcome, RefusedItem } from './exportReport.js';
import { LeakChecker } from './LeakChecker.js';
import { AheadRenderer } from './AheadRenderer.js';
import { PayloadWriter, type CheckedTextFile } from './PayloadWriter.js';
import { readmeText } from './readmeText.js';
import { encodeTestimonyDocument, FieldRedactor, redactTestimony } from './redactTestimony.js';
import { sanitizeImage, type ImageSanitizer } from './sanitizeImage.js';
import { stripWavMetadata } from './stripWavMetadata.js';

export const ExportOptionsSchema = z
  .object({
    testimonyIds: z.array(z.string().regex(/^[0-9a-f]{32}$/, 'must be a testimony id')).min(1).max(100_000),
    profile: z.enum(EXPORT_PROFILES),
    recipients: z.array(z.string()).max(64).default([]),
    passphrase: z.string().min(1).max(1024).optional(),
    outDir: z.string().min(1),
    skipRefused: z.boolean().default(false),
    /** Plans by testimony id (from `--plan` files or the UI). Without one, the saved plan, else every suggestion. */
    plans: z.record(z.string(), z.unknown()).default({}),
    appVersion: z.string().regex(/^[0-9A-Za-z.+-]{1,64}$/),
    scryptWorkFactor: z.number().int().min(10).max(AGE_MAX_SCRYPT_WORK_FACTOR).default(18),
  })
  .strict()
  .refine((options) => (options.recipients.length > 0) !== (options.passphrase !== undefined), 'give age recipients or a passphrase (age allows a passphrase only on its own)');
export type ExportOptions = z.input<typeof ExportOptionsSchema> & { onProgress?: ProgressListener };

/** Seams for tests: a deliberately broken redactor or image cleaner must be stopped by the leak check. */
export type ExportDependencies = { redactor?: Redactor; imageSanitizer?: ImageSanitizer };

/** A source image larger than this is not decrypted into memory for cleaning; it is excluded. */
const MAX_IMAGE_SOURCE_BYTES = 100 * 1024 * 1024;

type PreparedItem = {
  testimonyId: string;
  view: TestimonyView;
  version: number;
  createdAt: string;
  /** SHA-256 of the stored record's fields (this version), for the custody log. */
  storedSha256: string;
  policy: RedactionPolicy;
  mediaAllowed: boolean;
  plan: RedactionPlan | null;
  subject: RedactionSubject;
  media: MediaView[];
};

type ResolvedItem = PreparedItem & { resolved: ResolvedRedaction; controlNumber: string };

function mediaExclusionReason(media: MediaView, anonymise: boolean): string | null {
  const type = media.mimeType;
  if (type.startsWith('image/')) return null;
  if (type === 'audio/wav') return anonymise ? 'audio excluded: a voice identifies its speaker and cannot be anonymised automatically' : null;
  if (type.startsWith('audio/')) return 'audio in this format cannot be stripped of its metadata yet; excluded';
  if (type.startsWith('video/')) return 'video cannot be redacted or stripped of its metadata safely yet; excluded';
  if (type === 'application/pdf') return 'PDF documents cannot be redacted safely yet; excluded';
  return 'this file type cannot be checked for identifying content; excluded';
}

/** Why a media item is left out without being read, or null when it is read (and may still be excluded then). */
function exclusionBeforeReading(item: ResolvedItem, media: MediaView): string | null {
  if (!item.mediaAllowed) return 'consent does not cover the use of media';
  if (item.plan?.excludedMediaIds.includes(media.id)) return 'excluded by the documenter';
  const notExportable = mediaExclusionReason(media, item.policy.anonymise);
  if (notExportable) return notExportable;
  if (media.mimeType.startsWith('image/') && media.sizeBytes > MAX_IMAGE_SOURCE_BYTES) return 'the image file is too large to clean in memory; excluded';
  return null;
}

/** One item's media: what is to be read, and what became of each. */
class ItemMedia {
  readonly readable: MediaView[] = [];
  readonly included: { media: MediaView; file: string; mimeType: string; sha256: string; transformations: string[] }[] = [];
  private readonly outcomeById = new Map<string, MediaOutcome>();

  constructor(private readonly item: ResolvedItem) {
    for (const media of item.media) {
      const reason = exclusionBeforeReading(item, media);
      if (reason === null) this.readable.push(media);
      else this.exclude(media, reason);
    }
  }

  exclude(media: MediaView, reason: string): void {
    this.outcomeById.set(media.id, { mediaId: media.id, status: 'excluded', reason });
  }

  include(media: MediaView, file: string, mimeType: string, sha256: string, transformations: string[]): void {
    this.included.push({ media, file, mimeType, sha256, transformations });
    this.outcomeById.set(media.id, { mediaId: media.id, status: 'included', file, transformations });
  }

  /** Every outcome in the item's media order, whether decided before reading or after. */
  get outcomes(): MediaOutcome[] {
    return this.item.media.flatMap((media) => {
      const outcome = this.outcomeById.get(media.id);
      return outcome ? [outcome] : [];
    });
  }

  get excludedReasons(): string[] {
    return this.outcomes.flatMap((outcome) => (outcome.status === 'excluded' ? [outcome.reason] : []));
  }
}

/** An item's testimony file (checked, not yet in the tar) and what it adds to the logs, manifest and report. */
type RenderedItem = {
  testimony: CheckedTextFile;
  custodyRows: RedactedText[];
  redactionRows: RedactedText[];
  manifestItem: PayloadManifest['items'][number];
  exportedItem: ExportedItem;
};

/**
 * Exports testimonies as a signed, encrypted bundle (see docs/EXPORT.md):
 * consent is checked item by item; text is redacted with the plan (or the saved plan, or every
 * suggestion); images are re-encoded from pixels with marked regions blacked out; other media is
 * stripped where that is safe and otherwise excluded with a note; every file passes the leak check
 * while the tar is encrypted on the fly into payload.age; only a clean payload is sealed, signed,
 * and recorded in the audit log. Plaintext never touches the disk.
 */
export async function exportBundle(session: VaultSession, options: ExportOptions, dependencies: ExportDependencies = {}): Promise<ExportReport> {
  const { onProgress, ...rest } = options;
  const parsed = ExportOptionsSchema.safeParse(rest);
  if (!parsed.success) throw new ExportError('INVALID_OPTIONS', `invalid export options: ${parsed.error.issues.map((issue) => `${issue.path.join('.') || '(options)'}: ${issue.message}`).join('; ')}`);
  const opts = parsed.data;
  const redactor = dependencies.redactor ?? defaultRedactor;
  const imageSanitizer = dependencies.imageSanitizer ?? sanitizeImage;
  let recipients: AgeRecipient[];
  try {
    recipients = opts.recipients.map(parseAgeRecipient);
  } catch (error) {
    if (error instanceof AgeError) throw new ExportError('INVALID_OPTIONS', error.message);
    throw error;
  }
  // A bundle passphrase guards the same witnesses as the vault's: the same minimum applies.
  if (opts.passphrase !== undefined) assertAcceptablePassphrase(opts.passphrase);
  const target: AgeEncryptTarget = opts.passphrase !== undefined
    ? { kind: 'passphrase', passphrase: opts.passphrase, workFactor: opts.scryptWorkFactor }
    : { kind: 'recipients', recipients };
  const outDir = path.resolve(opts.outDir);
  const createdAt = session.platform.now();
  const createdAtText = createdAt.toISOString();
  const bundleId = randomId();
  const signer = exporterPublicKey(session);
  const report: ExportReport = {
    bundleId, outDir, profile: opts.profile, createdAt: createdAtText, items: [], refused: [], leaks: [], fileProblems: [], payload: null, signer: { keyId: signer.keyId, publicKey: signer.publicKey },
  };
  const refuse = (testimonyId: string, code: RefusedItem['code'], reason: string) => report.refused.push({ testimonyId, code, reason });

  // 1. Consent and plans, item by item. Media records are decrypted once for the whole export and
  // grouped by testimony (asking per testimony would decrypt every media record each time).
  const mediaByTestimony = new Map<string, MediaView[]>();
  for (const media of listMedia(session)) mediaByTestimony.set(media.testimonyId, [...(mediaByTestimony.get(media.testimonyId) ?? []), media]);
  const prepared: PreparedItem[] = [];
  const vocabulary = vocabularyById(session);
  for (const testimonyId of [...new Set(opts.testimonyIds)]) {
    let view: TestimonyView;
    let stored: ReturnType<typeof readTestimonyFields>;
    try {
      stored = readTestimonyFields(session, testimonyId);
      view = testimonyView(session, testimonyId, stored, vocabulary);
    } catch (error) {
      if (isVaultError(error) && error.code === 'NOT_FOUND') {
        refuse(testimonyId, 'NOT_FOUND', 'no testimony with this id');
        continue;
      }
      throw error;
    }
    const consent = checkConsent(view.consent, opts.profile);
    if (!consent.ok) {
      refuse(testimonyId, consent.code, consent.reason);
      continue;
    }
    let plan: RedactionPlan | null;
    try {
      const given = opts.plans[testimonyId];
      plan = given !== undefined ? parseRedactionPlan(given) : loadRedactionPlan(session, testimonyId);
    } catch (error) {
      if (isVaultError(error) && error.code === 'INVALID_INPUT') {
        refuse(testimonyId, 'PLAN_INVALID', error.message);
        continue;
      }
      throw error;
    }
    const media = mediaByTestimony.get(testimonyId) ?? [];
    prepared.push({
      testimonyId, view, version: stored.version, createdAt: stored.fields.createdAt, storedSha256: sha256Hex(JSON.stringify(stored.fields)), plan, media,
      policy: { anonymise: consent.anonymise, fullAnonymisation: consent.fullAnonymisation },
      mediaAllowed: consent.mediaAllowed,
      subject: redactionSubjectOf(testimonyId, stored.version, view, media),
    });
  }

  // 2. Pseudonyms for the whole bundle first, so a person is the same pseudonym in every item.
  const registry = new PseudonymRegistry();
  const generatedByItem = prepared.map((item) => suggestRedactions(item.subject, { countOccurrences: false }).generated);
  // A person's suggestions share one owner: registering it again would find the same pseudonym.
  const pseudonymByOwner = new Map<SuggestionOwner, RedactedText>();
  generatedByItem.forEach((generated) => {
    for (const suggestion of generated) {
      const owner = suggestion.owner;
      if (!owner) continue;
      const pseudonym = pseudonymByOwner.get(owner) ?? registry.register(owner.names, owner.asWitness);
      pseudonymByOwner.set(owner, pseudonym);
      if (suggestion.category === 'name-part') registry.registerPart(suggestion.text, pseudonym);
    }
  });
  const resolvedItems: (PreparedItem & { resolved: ResolvedRedaction })[] = [];
  prepared.forEach((item, index) => {
    try {
      resolvedItems.push({ ...item, resolved: resolveRedactionRules(item.subject, generatedByItem[index] ?? [], item.plan, item.policy, registry) });
    } catch (error) {
      if (error instanceof RedactionPlanError) refuse(item.testimonyId, error.code, error.message);
      else throw error;
    }
  });
  if (report.refused.length > 0 && !opts.skipRefused) {
    throw new ExportError('ITEMS_REFUSED', `${report.refused.length} item(s) refused: ${report.refused.map((item) => `${item.testimonyId} ${item.code}`).join('; ')}; fix them or pass --skip-refused`, report);
  }
  if (resolvedItems.length === 0) throw new ExportError('NOTHING_TO_EXPORT', 'no testimony can be exported with this profile', report);

  // 3. Control numbers are consumed now: even if this export fails, they are never issued again.
  const allocation = allocateControlNumbers(session, resolvedItems.length);
  const items: ResolvedItem[] = resolvedItems.map((item, index) => ({ ...item, controlNumber: formatControlNumber(allocation.prefix, allocation.values[index] ?? 0) }));

  const needles: LeakNeedle[] = items.flatMap((item) => item.resolved.needles);
  const pseudonyms = [...registry.allPseudonyms(), ...FIXED_PSEUDONYM_LIST, markRedacted('[BLACKED-OUT]'), ...items.flatMap((item) => item.resolved.rules.terms.map((term) => term.pseudonym)), ...items.flatMap((item) => item.resolved.rules.spans.map((span) => span.pseudonym))];
  const checker = new LeakChecker(needles, pseudonyms);
  const folder = await BundleFolder.prepare(outDir);
  let writer: PayloadWriter | null = null;
  try {
    const payload = await PayloadWriter.create(folder.payloadPath, target, checker, Math.floor(createdAt.getTime() / 1000));
    writer = payload;
    const redactionRows: RedactedText[] = [csvRow(['item', 'location', 'category', 'reason', 'pseudonym'].map(markRedacted))];
    const custodyRows: RedactedText[] = [csvRow(['control_number', 'file', 'original_sha256', 'intake_at', 'custodian', 'derivative_sha256', 'transformations', 'exported_at'].map(markRedacted))];
    const manifestItems: PayloadManifest['items'] = [];

    // Each item: its media streamed in, then its testimony file and log rows (renderItem).
    const addReadableMedia = async (item: ResolvedItem, fields: FieldRedactor, media: ItemMedia): Promise<void> => {
      let mediaNumber = 0;
      for (const entry of media.readable) {
        if (entry.mimeType.startsWith('image/')) {
          const { bytes } = await readMediaBytes(session, entry.id, MAX_IMAGE_SOURCE_BYTES);
          try {
            if (sha256Hex(bytes) !== entry.sha256) throw new ExportError('MEDIA_INTEGRITY', `media ${entry.id} does not match its SHA-256 at intake; run tvault verify`);
            const regions: ImageRegion[] = (item.plan?.imageRegions ?? []).filter((region) => region.mediaId === entry.id);
            let result: Awaited<ReturnType<ImageSanitizer>>;
            try {
              result = await imageSanitizer(bytes, regions);
            } catch (error) {
              if (error instanceof RedactionPlanError) throw new ExportError('INVALID_OPTIONS', `${item.testimonyId}: ${error.message}`);
              throw error;
            }
            if (!result.ok) {
              media.exclude(entry, `${result.reason}; excluded`);
              continue;
            }
            mediaNumber += 1;
            const file = `media/${item.controlNumber}-${mediaNumber}.jpg`;
            const written = await payload.addImageFile(file, result.image.bytes);
            for (const region of regions) fields.logRegion(file, region);
            media.include(entry, file, 'image/jpeg', written.sha256, result.image.transformations);
          } finally {
            bytes.fill(0);
          }
          continue;
        }
        // WAV, where anonymity does not apply: streamed, every chunk but fmt and data dropped.
        let originalSha256 = '';
        // The original's SHA-256 is taken as it is decrypted (in the opening worker for large files).
        const source = openBlobChunks(session, entry.blobId, { onSha256: (sha) => (originalSha256 = sha) })[Symbol.asyncIterator]();
        const stripped = await stripWavMetadata(source, entry.sizeBytes);
        if (!stripped.ok) {
          await source.return?.(undefined);
          media.exclude(entry, `${stripped.reason}; excluded`);
          continue;
        }
        mediaNumber += 1;
        const file = `media/${item.controlNumber}-${mediaNumber}.wav`;
        const written = await payload.addStreamedFile(file, stripped.size, stripped.chunks);
        if (originalSha256 !== entry.sha256) throw new ExportError('MEDIA_INTEGRITY', `media ${entry.id} does not match its SHA-256 at intake; run tvault verify`);
        media.include(entry, file, 'audio/wav', written.sha256, ['rewritten as RIFF/WAVE with only its format and audio chunks (metadata chunks removed)']);
      }
    };
    const renderItem = (item: ResolvedItem, fields: FieldRedactor, media: ItemMedia): RenderedItem => {
      const custody = (file: string, original: string, intakeAt: string, custodian: string, derivative: string, transformations: string[]) => csvRow([
        markRedacted(item.controlNumber), markRedacted(file), markRedacted(item.policy.fullAnonymisation ? 'withheld (public export)' : original),
        markRedacted(intakeAt), fields.redact(custodian, 'custodian'), markRedacted(derivative), markRedacted(transformations.join('; ')), markRedacted(createdAtText),
      ]);
      const custodyOfMedia = media.included.map(({ media: entry, file, sha256, transformations }) => custody(file, entry.sha256, entry.intakeAt, entry.custodian, sha256, transformations));
      const includedMedia = media.included.map(({ file, mimeType, sha256 }) => ({ file, mimeType, sha256 }));
      const excludedReasons = media.excludedReasons;
      const document = redactTestimony(
        { controlNumber: item.controlNumber, profile: opts.profile, view: item.view, policy: item.policy, registry, media: includedMedia, excludedMedia: excludedReasons },
        fields,
      );
      const testimony = payload.checkTextFile(`testimonies/${item.controlNumber}.json`, encodeTestimonyDocument(document));
      const custodyOfTestimony = custody(testimony.path, item.storedSha256, item.createdAt, `testimony record v${item.version}`, testimony.sha256, [
        `redacted (${fields.redactions} replacement${fields.redactions === 1 ? '' : 's'})`,
        ...(item.policy.anonymise ? ['people named by pseudonym; interview place and interviewer omitted'] : []),
        ...(item.policy.fullAnonymisation ? ['interview date cut to the year; gender omitted'] : []),
      ]);
      return {
        testimony,
        custodyRows: [...custodyOfMedia, custodyOfTestimony],
        redactionRows: fields.logRows,
        manifestItem: { controlNumber: item.controlNumber, testimony: testimony.path, media: includedMedia.map((entry) => entry.file), excludedMedia: excludedReasons.length },
        exportedItem: {
          testimonyId: item.testimonyId, controlNumber: item.controlNumber, anonymised: item.policy.anonymise, redactions: fields.redactions, media: media.outcomes, warnings: item.resolved.warnings,
        },
      };
    };
    const fieldsOf = (item: ResolvedItem) => new FieldRedactor(item.controlNumber, redactor, item.resolved.rules);
    // An item whose media is all excluded before reading needs no I/O: it is rendered ahead, in the
    // time this thread waits on the media workers, and added in its place.
    const textOnly = items.flatMap((item, index) => (new ItemMedia(item).readable.length === 0 ? [index] : []));
    const ahead = textOnly.length < items.length
      ? new AheadRenderer<RenderedItem>(textOnly, (index) => {
        const item = items[index] as ResolvedItem;
        return renderItem(item, fieldsOf(item), new ItemMedia(item));
      })
      : null;
    try {
      for (const [itemIndex, item] of items.entries()) {
        onProgress?.({ done: itemIndex, total: items.length, phase: 'exporting' });
        let rendered = ahead?.take(itemIndex);
        if (!rendered) {
          const fields = fieldsOf(item);
          const media = new ItemMedia(item);
          await addReadableMedia(item, fields, media);
          rendered = renderItem(item, fields, media);
        }
        await payload.addCheckedTextFile(rendered.testimony);
        custodyRows.push(...rendered.custodyRows);
        redactionRows.push(...rendered.redactionRows);
        manifestItems.push(rendered.manifestItem);
        report.items.push(rendered.exportedItem);
      }
    } finally {
      ahead?.stop();
    }

    await payload.addTextFile(PAYLOAD_FILES.redactionLog, encodeRedactedText(markRedacted(redactionRows.join(''))));
    await payload.addTextFile(PAYLOAD_FILES.custodyLog, encodeRedactedText(markRedacted(custodyRows.join(''))));
    const payloadManifest: PayloadManifest = {
      format: PAYLOAD_MANIFEST_FORMAT, bundleId, createdAt: createdAtText, appVersion: opts.appVersion, profile: opts.profile as ExportProfile,
      exporter: { keyId: signer.keyId, publicKey: signer.publicKey }, items: manifestItems, files: [...payload.files],
    };
    await addPayloadManifest(payload, session, payloadManifest);

    // 4. The last line of defence: nothing is sealed while any redacted string or metadata is found.
    if (!payload.clean) {
      report.leaks = [...payload.findings];
      report.fileProblems = [...payload.fileProblems];
      const what = [...new Set([...report.leaks.map((leak) => `${leak.category} ${leak.pseudonym} in ${leak.file} (${leak.variant})`), ...report.fileProblems.map((p) => `${p.problem} in ${p.file}`)])];
      throw new ExportError('LEAK_DETECTED', `the leak check stopped the export: ${what.slice(0, 10).join('; ')}${what.length > 10 ? `; and ${what.length - 10} more` : ''}`, report);
    }
    const sealed = await payload.seal();
    onProgress?.({ done: items.length, total: items.length, phase: 'signing' });

    const recipientEntries: RecipientEntry[] = target.kind === 'passphrase'
      ? [{ type: 'scrypt' }]
      : recipients.map((recipient) => ({ type: 'X25519' as const, fingerprint: ageRecipientFingerprint(recipient.text) }));
    await folder.writeSignedOuterFiles(session, payloadManifest, sealed, recipientEntries, readmeText);

    report.payload = { sha256: sealed.sha256, size: sealed.size, recipients: recipients.length, passphrase: target.kind === 'passphrase' };
    // 5. The audit log names the bundle and which testimony got which control number (ids only).
    appendAuditEntry(session, {
      action: 'export',
      recordId: bundleId,
      details: {
        profile: opts.profile,
        items: items.length,
        refused: report.refused.length,
        firstControlNumber: items[0]?.controlNumber ?? '',
        lastControlNumber: items.at(-1)?.controlNumber ?? '',
        lastControlValue: allocation.values.at(-1) ?? 0,
        controlNumbers: items.map((item) => `${item.controlNumber}=${item.testimonyId}`).join(';'),
        payloadSha256: sealed.sha256,
        recipients: target.kind === 'passphrase' ? 'passphrase' : recipients.map((recipient) => ageRecipientFingerprint(recipient.text)).join(';'),
        signerKeyId: signer.keyId,
      },
    });
    session.platform.logger.info('export.done', { items: items.length, refused: report.refused.length });
    return report;
  } catch (error) {
    await writer?.abort();
    await folder.remove();
    throw error;
  }
}

