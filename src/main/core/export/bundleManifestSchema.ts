import { array, discriminatedUnion, enum as enumOf, literal, number, object, string, type infer as Infer } from 'zod';
import { BUNDLE_FILES } from './bundleLayout.js';
import { BUNDLE_PROFILES } from './bundleVocabulary.js';

/**
 * The two manifests. Inside the tar, `manifest.json` lists every payload file with its SHA-256.
 * Outside, `manifest.json` repeats it and adds the payload's hash, size and recipients and the
 * hashes of README.txt and viewer.html. Both are signed (minisign); pure, shared with the viewer.
 */
export const PAYLOAD_MANIFEST_FORMAT = 'tvault-payload-manifest/1';
export const BUNDLE_MANIFEST_FORMAT = 'tvault-bundle-manifest/1';

const sha256 = string().regex(/^[0-9a-f]{64}$/);
const entryPath = string().regex(/^[A-Za-z0-9][A-Za-z0-9._/-]{0,99}$/);
const controlNumber = string().regex(/^[A-Z][A-Z0-9]{0,11}-\d{6,9}$/);

export const ExporterSchema =
  object({ keyId: string().regex(/^[0-9A-F]{16}$/), publicKey: string().regex(/^RW[A-Za-z0-9+/]{54}$/) })
  .strict();

export const ManifestItemSchema =
  object({ controlNumber, testimony: entryPath, media: array(entryPath).max(10_000), excludedMedia: number().int().min(0) })
  .strict();

export const ManifestFileSchema = object({ path: entryPath, sha256, size: number().int().min(0) }).strict();

const shape = {
  bundleId: string().regex(/^[0-9a-f]{32}$/),
  createdAt: string().regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{3})?Z$/),
  appVersion: string().regex(/^[0-9A-Za-z.+-]{1,64}$/),
  profile: enumOf(BUNDLE_PROFILES),
  exporter: ExporterSchema,
  items: array(ManifestItemSchema).max(100_000),
  files: array(ManifestFileSchema).max(200_000),
};

export const PayloadManifestSchema = object({ format: literal(PAYLOAD_MANIFEST_FORMAT), ...shape }).strict();
export type PayloadManifest = Infer<typeof PayloadManifestSchema>;

export const RecipientEntrySchema = discriminatedUnion('type', [
  object({ type: literal('X25519'), fingerprint: string().regex(/^sha256:[0-9a-f]{64}$/) }).strict(),
  object({ type: literal('scrypt') }).strict(),
]);

export const BundleManifestSchema =
  object({
    format: literal(BUNDLE_MANIFEST_FORMAT),
    ...shape,
    payload: 
      object({
        file: literal(BUNDLE_FILES.payload),
        sha256,
        size: number().int().min(1),
        headerSha256: sha256,
        plaintextSize: number().int().min(0),
        recipients: array(RecipientEntrySchema).min(1).max(64),
      })
      .strict(),
    companions: array(object({ path: enumOf([BUNDLE_FILES.readme, BUNDLE_FILES.viewer]), sha256 }).strict()).length(2),
  })
  .strict();
export type BundleManifest = Infer<typeof BundleManifestSchema>;

/** The part both manifests share; the open refuses a bundle whose two manifests differ in it. */
export function sharedManifestPart(manifest: PayloadManifest | BundleManifest): Omit<PayloadManifest, 'format'> {
  return {
    bundleId: manifest.bundleId,
    createdAt: manifest.createdAt,
    appVersion: manifest.appVersion,
    profile: manifest.profile,
    exporter: manifest.exporter,
    items: manifest.items,
    files: manifest.files,
  };
}

/** Signed trusted comments: `minisign -V` prints them, so the lawyer sees the payload hash it vouches for. */
export function bundleTrustedComment(manifest: BundleManifest): string {
  return `tvault-bundle ${manifest.bundleId} payload.age sha256=${manifest.payload.sha256}`;
}

export function payloadTrustedComment(manifest: PayloadManifest): string {
  return `tvault-payload ${manifest.bundleId}`;
}

/** Stable, readable JSON: two-space indent and a final newline. */
export function manifestJson(manifest: PayloadManifest | BundleManifest): string {
  return `${JSON.stringify(manifest, null, 2)}\n`;
}
