import { createSha256, type AgeDecryptionKey, type Sha256Stream } from '../crypto/index.js';
import { BundleError } from '../export/BundleError.js';
import { TRANSFER_PROFILE } from '../export/bundleVocabulary.js';
import type { CheckedBundle } from '../export/checkBundleFolder.js';
import { checkInnerManifest, type InspectedEntry } from '../export/checkInnerManifest.js';
import { readPayloadEntries } from '../export/readPayloadEntries.js';
import {
  TRANSFER_PAYLOAD_LAYOUT, TRANSFER_RECORD_KINDS, parseMediaEntryNumber, parseRecordEntryName, type TransferEntryKind, type TransferRecordKind,
} from '../export/transferLayout.js';
import { TransferMediaSchema, TransferRecordSchema, storedFieldsAreValid, type TransferMedia, type TransferRecord } from '../export/transferRecordSchema.js';
import type { FieldValues } from '../records/recordStore.js';

/** One record as the sending vault holds it: every version, oldest first. */
export type IncomingRecord = { kind: TransferRecordKind; id: string; branchOf: string | undefined; versions: FieldValues[] };

/** What a verified transfer payload holds, parsed; media bytes stay in payload.age until the second pass. */
export type TransferContent = {
  bundleId: string;
  createdAt: string;
  /** Vocabulary terms first, then persons, then testimonies: the order they are merged in. */
  records: IncomingRecord[];
  media: TransferMedia[];
  /** Every entry with its SHA-256 and size, as the first pass read it. */
  entries: ReadonlyMap<string, InspectedEntry>;
};

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });
const KEPT_KINDS: ReadonlySet<TransferEntryKind> = new Set(['manifest', 'signature', 'checksums', 'record', 'custody']);

function malformed(message: string): BundleError {
  return new BundleError('TRANSFER_MALFORMED', message);
}

function concat(chunks: readonly Uint8Array[]): Uint8Array {
  return Buffer.concat(chunks);
}

function parseJson(name: string, bytes: Uint8Array): unknown {
  try {
    return JSON.parse(strictUtf8.decode(bytes));
  } catch {
    throw malformed(`${name} is not UTF-8 JSON`);
  }
}

function groupRecords(files: readonly { name: string; record: TransferRecord }[]): IncomingRecord[] {
  const groups = new Map<string, { name: string; record: TransferRecord }[]>();
  for (const file of files) {
    const parsedName = parseRecordEntryName(file.name);
    if (!parsedName || parsedName.kind !== file.record.kind || parsedName.version !== file.record.version) throw malformed(`${file.name} holds ${file.record.kind} version ${file.record.version}`);
    const key = `${parsedName.kind} ${parsedName.number}`;
    groups.set(key, [...(groups.get(key) ?? []), file]);
  }
  const records: IncomingRecord[] = [];
  const seen = new Set<string>();
  for (const group of groups.values()) {
    const first = group[0]?.record;
    if (!first) continue;
    group.sort((a, b) => a.record.version - b.record.version);
    const consistent = group.every(({ record }, index) => record.id === first.id && record.versions === first.versions && record.branchOf === first.branchOf && record.version === index + 1);
    if (!consistent || group.length !== first.versions) throw malformed(`the versions of ${first.kind} ${first.id} are incomplete or disagree`);
    if (first.branchOf === first.id) throw malformed(`${first.kind} ${first.id} names itself as the record it copies`);
    if (first.kind === 'vocabularyTerm' && first.versions !== 1) throw malformed(`vocabulary term ${first.id} must travel as one version`);
    if (seen.has(first.id)) throw malformed(`the bundle holds record ${first.id} twice`);
    seen.add(first.id);
    records.push({ kind: first.kind, id: first.id, branchOf: first.branchOf, versions: group.map(({ record }) => record.fields) });
  }
  return records.sort((a, b) => TRANSFER_RECORD_KINDS.indexOf(a.kind) - TRANSFER_RECORD_KINDS.indexOf(b.kind));
}

function checkMedia(name: string, media: TransferMedia, bundle: CheckedBundle, entries: ReadonlyMap<string, InspectedEntry>, testimonyIds: ReadonlySet<string>): void {
  if (parseMediaEntryNumber(name) !== parseMediaEntryNumber(media.file)) throw malformed(`${name} describes ${media.file}`);
  const original = entries.get(media.file);
  // The hash here is of the bytes actually read, so the custody facts must describe exactly these bytes.
  if (!original || original.sha256 !== media.sha256 || original.size !== media.sizeBytes) throw malformed(`${media.file} is not the file ${name} describes (SHA-256 or size)`);
  if (!testimonyIds.has(media.testimonyId)) throw malformed(`${name} belongs to a testimony the bundle does not hold`);
  const first = media.custodyLog[0];
  const last = media.custodyLog.at(-1);
  if (first?.event !== 'intake' || first.sha256 !== media.sha256 || first.sizeBytes !== media.sizeBytes || media.custodyLog.slice(1).some((event) => event.event === 'intake')) {
    throw malformed(`${name}: the custody log must start with the one intake of these bytes`);
  }
  if (last?.event !== 'transfer.sent' || last.bundleId !== bundle.manifest.bundleId || last.vaultKeyId !== bundle.signer.keyId) {
    throw malformed(`${name}: the custody log must end with this bundle, sent by its signer`);
  }
}

/**
 * The first, verifying pass over a transfer payload; it writes nothing anywhere. Decrypts (strict
 * age), reads (strict tar, transfer layout, size limits), hashes every entry, checks the inner
 * manifest and SHA256SUMS against them and the signer (checkInnerManifest, as for any bundle), then
 * parses every record version and custody file strictly: each version's fields against its kind's
 * schema, every record complete, every media file exactly the bytes its custody facts describe,
 * every custody log starting with its intake and ending with this bundle. Record text is kept in
 * memory for the merge; media bytes are only hashed.
 */
export async function inspectTransferPayload(bundle: CheckedBundle, keys: readonly AgeDecryptionKey[], onEntry?: (done: number) => void): Promise<TransferContent> {
  if (bundle.manifest.profile !== TRANSFER_PROFILE) {
    throw new BundleError('WRONG_PROFILE', `this is a "${bundle.manifest.profile}" export, redacted for a recipient; only a transfer bundle can be merged`);
  }
  if (bundle.manifest.items.length > 0) throw malformed('a transfer bundle has no control-numbered items');
  const entries: InspectedEntry[] = [];
  const kept = new Map<string, Uint8Array>();
  let current: { name: string; kind: TransferEntryKind; size: number; hash: Sha256Stream; chunks: Uint8Array[] } | null = null;
  const { ciphertextSha256 } = await readPayloadEntries(bundle, keys, {
    onEntry: (header, kind) => {
      current = { name: header.name, kind, size: header.size, hash: createSha256(), chunks: [] };
    },
    onData: (bytes) => {
      if (!current) return;
      current.hash.update(bytes);
      if (KEPT_KINDS.has(current.kind)) current.chunks.push(bytes.slice());
    },
    onEntryEnd: () => {
      const entry = current as { name: string; kind: TransferEntryKind; size: number; hash: Sha256Stream; chunks: Uint8Array[] } | null;
      if (!entry) return;
      current = null;
      entries.push({ path: entry.name, sha256: entry.hash.digestHex(), size: entry.size });
      if (KEPT_KINDS.has(entry.kind)) kept.set(entry.name, concat(entry.chunks));
      onEntry?.(entries.length);
    },
  }, TRANSFER_PAYLOAD_LAYOUT);
  if (ciphertextSha256 !== bundle.manifest.payload.sha256) throw new BundleError('PAYLOAD_CHANGED_DURING_OPEN', 'payload.age changed while it was being checked');
  checkInnerManifest(bundle, entries, kept);

  const byPath = new Map(entries.map((entry) => [entry.path, entry]));
  const recordFiles: { name: string; record: TransferRecord }[] = [];
  const custodyFiles: { name: string; media: TransferMedia }[] = [];
  for (const [name, bytes] of kept) {
    if (name.startsWith('records/')) {
      const parsed = TransferRecordSchema.safeParse(parseJson(name, bytes));
      if (!parsed.success) throw malformed(`${name} does not have the transfer record format (${parsed.error.issues[0]?.path.join('.') ?? ''})`);
      const valid = storedFieldsAreValid(parsed.data.kind, parsed.data.fields);
      if (!valid.ok) throw malformed(`${name}: the ${parsed.data.kind} fields are not valid (${valid.where})`);
      recordFiles.push({ name, record: parsed.data });
    } else if (name.startsWith('custody/')) {
      const parsed = TransferMediaSchema.safeParse(parseJson(name, bytes));
      if (!parsed.success) throw malformed(`${name} does not have the transfer media format (${parsed.error.issues[0]?.path.join('.') ?? ''})`);
      custodyFiles.push({ name, media: parsed.data });
    }
  }
  kept.clear();
  const records = groupRecords(recordFiles);
  const testimonyIds = new Set(records.filter((record) => record.kind === 'testimony').map((record) => record.id));
  const recordIds = new Set(records.map((record) => record.id));
  const mediaIds = new Set<string>();
  for (const { name, media } of custodyFiles) {
    checkMedia(name, media, bundle, byPath, testimonyIds);
    if (mediaIds.has(media.id) || recordIds.has(media.id)) throw malformed(`the bundle holds id ${media.id} twice`);
    mediaIds.add(media.id);
  }
  const described = new Set(custodyFiles.map(({ media }) => media.file));
  for (const entry of entries) {
    if (entry.path.startsWith('media/') && !described.has(entry.path)) throw malformed(`${entry.path} has no custody file`);
  }
  return {
    bundleId: bundle.manifest.bundleId,
    createdAt: bundle.manifest.createdAt,
    records,
    media: custodyFiles.sort((a, b) => (a.name < b.name ? -1 : 1)).map(({ media }) => media),
    entries: byPath,
  };
}
