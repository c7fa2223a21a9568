import { createSha256, type AgeDecryptionKey, type Sha256Stream } from '../crypto/index.js';
import { BundleError } from './BundleError.js';
import { MAX_IMAGE_PIXELS, MAX_IMAGE_SIDE, MEDIA_ENTRY, TESTIMONY_ENTRY, type EntryKind } from './bundleLayout.js';
import type { PayloadManifest } from './bundleManifestSchema.js';
import { TRANSFER_PROFILE } from './bundleVocabulary.js';
import type { CheckedBundle } from './checkBundleFolder.js';
import { checkInnerManifest, type InspectedEntry } from './checkInnerManifest.js';
import { ExportedTestimonySchema } from './exportedTestimonySchema.js';
import { inspectJpeg } from './inspectJpeg.js';
import { EXPORT_PAYLOAD_LAYOUT, readPayloadEntries } from './readPayloadEntries.js';

export type { InspectedEntry } from './checkInnerManifest.js';
export type InspectedPayload = { entries: InspectedEntry[]; manifest: PayloadManifest };

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });
const WAV_HEADER_BYTES = 12;

function concat(chunks: readonly Uint8Array[]): Uint8Array {
  return Buffer.concat(chunks);
}

function text(bytes: Uint8Array, name: string): string {
  try {
    return strictUtf8.decode(bytes);
  } catch {
    throw new BundleError('TESTIMONY_MALFORMED', `${name} is not UTF-8 text`);
  }
}

function checkTestimony(name: string, bytes: Uint8Array): { controlNumber: string; media: string[] } {
  let json: unknown;
  try {
    json = JSON.parse(text(bytes, name));
  } catch (error) {
    if (error instanceof BundleError) throw error;
    throw new BundleError('TESTIMONY_MALFORMED', `${name} is not JSON`);
  }
  const parsed = ExportedTestimonySchema.safeParse(json);
  if (!parsed.success) throw new BundleError('TESTIMONY_MALFORMED', `${name} does not have the testimony format (${parsed.error.issues[0]?.path.join('.') ?? ''})`);
  if (`testimonies/${parsed.data.controlNumber}.json` !== name) throw new BundleError('TESTIMONY_MALFORMED', `${name} holds control number ${parsed.data.controlNumber}`);
  return { controlNumber: parsed.data.controlNumber, media: parsed.data.media.map((entry) => entry.file) };
}

function checkImage(name: string, bytes: Uint8Array): void {
  const inspection = inspectJpeg(bytes);
  // Dimensions first: a pixel bomb is refused before anything would decode it.
  if (inspection.width > MAX_IMAGE_SIDE || inspection.height > MAX_IMAGE_SIDE || inspection.width * inspection.height > MAX_IMAGE_PIXELS) {
    throw new BundleError('IMAGE_ABSURD_DIMENSIONS', `${name} claims ${inspection.width}×${inspection.height} pixels (a decompression bomb)`);
  }
  if (inspection.problems.length > 0) throw new BundleError('IMAGE_METADATA_PRESENT', `${name}: ${inspection.problems.join('; ')}`);
}

/**
 * The first, verifying pass over the payload: it writes nothing. Every entry is hashed; the inner
 * manifest and SHA256SUMS must agree with them (checkInnerManifest); each testimony must parse; each
 * image must be metadata-free and of sane size; each recording must be a plain RIFF/WAVE.
 */
export async function inspectPayload(bundle: CheckedBundle, keys: readonly AgeDecryptionKey[]): Promise<InspectedPayload> {
  // A transfer bundle is unredacted and made for another vault: it is merged, never unpacked to disk.
  if (bundle.manifest.profile === TRANSFER_PROFILE) {
    throw new BundleError('WRONG_PROFILE', 'this is a transfer bundle for another vault (unredacted); merge it with `tvault merge`, do not open it');
  }
  const entries: InspectedEntry[] = [];
  const kept = new Map<string, Uint8Array>();
  const testimonies: { name: string; controlNumber: string; media: string[] }[] = [];
  let current: { name: string; kind: EntryKind; size: number; hash: Sha256Stream; chunks: Uint8Array[] } | null = null;
  const { ciphertextSha256 } = await readPayloadEntries(bundle, keys, {
    onEntry: (header, kind) => {
      current = { name: header.name, kind, size: header.size, hash: createSha256(), chunks: [] };
    },
    onData: (bytes) => {
      if (!current) return;
      current.hash.update(bytes);
      const keep = current.kind !== 'media' || current.chunks.reduce((total, chunk) => total + chunk.length, 0) < WAV_HEADER_BYTES;
      if (keep) current.chunks.push(bytes.slice());
    },
    onEntryEnd: () => {
      const entry = current as { name: string; kind: EntryKind; size: number; hash: Sha256Stream; chunks: Uint8Array[] } | null;
      if (!entry) return;
      current = null;
      entries.push({ path: entry.name, sha256: entry.hash.digestHex(), size: entry.size });
      const bytes = concat(entry.chunks);
      if (entry.kind === 'testimony') testimonies.push({ name: entry.name, ...checkTestimony(entry.name, bytes) });
      else if (entry.kind === 'image') checkImage(entry.name, bytes);
      else if (entry.kind === 'media') {
        const riff = String.fromCharCode(...bytes.subarray(0, 4));
        const wave = String.fromCharCode(...bytes.subarray(8, 12));
        const declared = ((bytes[4] ?? 0) | ((bytes[5] ?? 0) << 8) | ((bytes[6] ?? 0) << 16) | ((bytes[7] ?? 0) << 24)) >>> 0;
        if (riff !== 'RIFF' || wave !== 'WAVE' || declared !== entry.size - 8) throw new BundleError('MEDIA_MALFORMED', `${entry.name} is not a plain RIFF/WAVE file`);
      } else if (entry.kind !== 'log') kept.set(entry.name, bytes);
    },
  }, EXPORT_PAYLOAD_LAYOUT);
  if (ciphertextSha256 !== bundle.manifest.payload.sha256) throw new BundleError('PAYLOAD_CHANGED_DURING_OPEN', 'payload.age changed while it was being checked');

  const manifest = checkInnerManifest(bundle, entries, kept);
  const present = new Set(entries.map((entry) => entry.path));
  const itemsByTestimony = new Map(manifest.items.map((item) => [item.testimony, item]));
  for (const testimony of testimonies) {
    const item = itemsByTestimony.get(testimony.name);
    if (!item || item.controlNumber !== testimony.controlNumber || item.media.join('\n') !== testimony.media.join('\n')) {
      throw new BundleError('TESTIMONY_MALFORMED', `${testimony.name} does not match its item in the manifest`);
    }
  }
  for (const item of manifest.items) {
    if (!TESTIMONY_ENTRY.test(item.testimony) || !present.has(item.testimony) || item.media.some((file) => !MEDIA_ENTRY.test(file) || !present.has(file))) {
      throw new BundleError('ENTRY_MISSING', `item ${item.controlNumber} names a file the payload does not hold`);
    }
  }
  return { entries, manifest };
}
