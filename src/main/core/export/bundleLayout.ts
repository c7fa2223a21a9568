import { BundleError } from './BundleError.js';

/**
 * The exact shape of a bundle, outside and inside the encrypted tar. Pure (shared with the viewer):
 * anything not listed here is refused.
 */
export const BUNDLE_FILES = {
  payload: 'payload.age',
  manifest: 'manifest.json',
  signature: 'manifest.json.minisig',
  checksums: 'SHA256SUMS',
  readme: 'README.txt',
  viewer: 'viewer.html',
} as const;
export const OUTER_CHECKSUMMED_FILES = [BUNDLE_FILES.readme, BUNDLE_FILES.manifest, BUNDLE_FILES.signature, BUNDLE_FILES.payload, BUNDLE_FILES.viewer].sort();

export const PAYLOAD_FILES = {
  manifest: 'manifest.json',
  signature: 'manifest.json.minisig',
  checksums: 'SHA256SUMS',
  redactionLog: 'REDACTION_LOG.csv',
  custodyLog: 'CUSTODY.csv',
} as const;

const CONTROL = '[A-Z][A-Z0-9]{0,11}-\\d{6,9}';
export const TESTIMONY_ENTRY = new RegExp(`^testimonies/(${CONTROL})\\.json$`);
export const MEDIA_ENTRY = new RegExp(`^media/(${CONTROL})-(\\d{1,4})\\.(jpg|wav)$`);

/** Size ceilings per entry kind: anything larger is an attack or a corruption, not a testimony. */
export const ENTRY_LIMITS = {
  manifest: 16 * 1024 * 1024,
  signature: 4096,
  checksums: 16 * 1024 * 1024,
  log: 256 * 1024 * 1024,
  testimony: 64 * 1024 * 1024,
  media: 16 * 1024 ** 3,
  image: 256 * 1024 * 1024,
} as const;
export const MAX_TAR_ENTRIES = 100_000;
/** Largest bundle payload we agree to open (plaintext). The lawyer can raise it. */
export const DEFAULT_MAX_PAYLOAD_BYTES = 64 * 1024 ** 3;
export const MAX_IMAGE_PIXELS = 100_000_000;
export const MAX_IMAGE_SIDE = 30_000;

export type EntryKind = 'manifest' | 'signature' | 'checksums' | 'log' | 'testimony' | 'image' | 'media';

/** Which kind of payload entry `name` is, or a refusal; safety of the name itself is checked by the tar reader. */
export function classifyPayloadEntry(name: string): EntryKind {
  if (name === PAYLOAD_FILES.manifest) return 'manifest';
  if (name === PAYLOAD_FILES.signature) return 'signature';
  if (name === PAYLOAD_FILES.checksums) return 'checksums';
  if (name === PAYLOAD_FILES.redactionLog || name === PAYLOAD_FILES.custodyLog) return 'log';
  if (TESTIMONY_ENTRY.test(name)) return 'testimony';
  const media = MEDIA_ENTRY.exec(name);
  if (media) return media[3] === 'jpg' ? 'image' : 'media';
  throw new BundleError('TAR_UNEXPECTED_ENTRY', `the payload holds an entry this format does not have: ${JSON.stringify(name)}`);
}

/** Bytes we agree to keep in memory for checking, per kind (media are only hashed, streamed). */
export function entryLimit(kind: EntryKind): number {
  return ENTRY_LIMITS[kind];
}
