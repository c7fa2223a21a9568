import { BundleError } from './BundleError.js';
import { ENTRY_LIMITS, PAYLOAD_FILES } from './bundleLayout.js';
import type { PayloadLayout } from './readPayloadEntries.js';

/**
 * The payload of a transfer bundle (profile `transfer`, docs/MERGE.md): every version of every
 * record, one file each, and the media originals byte for byte with a custody log each. Entries
 * are numbered in the bundle (no record id in a name); the ids are inside, encrypted with the rest.
 *
 *   records/<kind>-<n>-v<version>.json   one version of one record (tvault-transfer-record/1)
 *   custody/<n>.json                     a media item's intake facts and custody log (tvault-transfer-media/1)
 *   media/<n>.bin                        its original bytes, unmodified
 *   CUSTODY.csv, manifest.json, manifest.json.minisig, SHA256SUMS   as in every bundle
 */
export const TRANSFER_RECORD_KINDS = ['vocabularyTerm', 'person', 'testimony'] as const;
export type TransferRecordKind = (typeof TRANSFER_RECORD_KINDS)[number];

const KIND_IN_NAME: Record<TransferRecordKind, string> = { vocabularyTerm: 'vocabulary', person: 'person', testimony: 'testimony' };
const KIND_OF_NAME = new Map(Object.entries(KIND_IN_NAME).map(([kind, name]) => [name, kind as TransferRecordKind]));

const RECORD_ENTRY = /^records\/(vocabulary|person|testimony)-(\d{6,9})-v(\d{4,7})\.json$/;
const CUSTODY_ENTRY = /^custody\/(\d{6,9})\.json$/;
const ORIGINAL_ENTRY = /^media\/(\d{6,9})\.bin$/;

export type TransferEntryKind = 'manifest' | 'signature' | 'checksums' | 'log' | 'record' | 'custody' | 'original';

const TRANSFER_ENTRY_LIMITS: Record<TransferEntryKind, number> = {
  manifest: ENTRY_LIMITS.manifest,
  signature: ENTRY_LIMITS.signature,
  checksums: ENTRY_LIMITS.checksums,
  log: ENTRY_LIMITS.log,
  // One version of a testimony: a 5-million-character transcript is at most 20 MB of UTF-8, escaped.
  record: 64 * 1024 * 1024,
  custody: 16 * 1024 * 1024,
  original: ENTRY_LIMITS.media,
};

const pad = (value: number, width: number) => String(value).padStart(width, '0');

export function recordEntryName(kind: TransferRecordKind, number: number, version: number): string {
  return `records/${KIND_IN_NAME[kind]}-${pad(number, 6)}-v${pad(version, 4)}.json`;
}

export function custodyEntryName(number: number): string {
  return `custody/${pad(number, 6)}.json`;
}

export function originalEntryName(number: number): string {
  return `media/${pad(number, 6)}.bin`;
}

export function parseRecordEntryName(name: string): { kind: TransferRecordKind; number: number; version: number } | null {
  const match = RECORD_ENTRY.exec(name);
  const kind = match?.[1] ? KIND_OF_NAME.get(match[1]) : undefined;
  if (!match || !kind) return null;
  return { kind, number: Number(match[2]), version: Number(match[3]) };
}

export function parseMediaEntryNumber(name: string): number | null {
  const match = CUSTODY_ENTRY.exec(name) ?? ORIGINAL_ENTRY.exec(name);
  return match ? Number(match[1]) : null;
}

export function classifyTransferEntry(name: string): TransferEntryKind {
  if (name === PAYLOAD_FILES.manifest) return 'manifest';
  if (name === PAYLOAD_FILES.signature) return 'signature';
  if (name === PAYLOAD_FILES.checksums) return 'checksums';
  if (name === PAYLOAD_FILES.custodyLog) return 'log';
  if (RECORD_ENTRY.test(name)) return 'record';
  if (CUSTODY_ENTRY.test(name)) return 'custody';
  if (ORIGINAL_ENTRY.test(name)) return 'original';
  throw new BundleError('TAR_UNEXPECTED_ENTRY', `the transfer payload holds an entry this format does not have: ${JSON.stringify(name)}`);
}

export const TRANSFER_PAYLOAD_LAYOUT: PayloadLayout<TransferEntryKind> = { classify: classifyTransferEntry, limit: (kind) => TRANSFER_ENTRY_LIMITS[kind] };
