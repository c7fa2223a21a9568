import { MinisignError, verifyManifestSignature } from '../crypto/index.js';
import { BundleError } from './BundleError.js';
import { PAYLOAD_FILES } from './bundleLayout.js';
import { PayloadManifestSchema, payloadTrustedComment, sharedManifestPart, type PayloadManifest } from './bundleManifestSchema.js';
import type { CheckedBundle } from './checkBundleFolder.js';
import { parseSha256Sums } from './sha256Sums.js';

export type InspectedEntry = { path: string; sha256: string; size: number };

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

function text(bytes: Uint8Array, name: string): string {
  try {
    return strictUtf8.decode(bytes);
  } catch {
    throw new BundleError('TESTIMONY_MALFORMED', `${name} is not UTF-8 text`);
  }
}

/**
 * The inside of a payload against its signed manifest, whatever the profile: the inner manifest
 * must be signed by the bundle's exporter, vouch for this bundle, agree with the outer manifest,
 * and list exactly the entries present with their hashes; SHA256SUMS must agree with them.
 * `entries` are every entry read, hashed; `kept` holds the bytes of the three manifest files.
 */
export function checkInnerManifest(bundle: CheckedBundle, entries: readonly InspectedEntry[], kept: ReadonlyMap<string, Uint8Array>): PayloadManifest {
  const manifestBytes = kept.get(PAYLOAD_FILES.manifest);
  const signatureBytes = kept.get(PAYLOAD_FILES.signature);
  const sumsBytes = kept.get(PAYLOAD_FILES.checksums);
  if (!manifestBytes || !signatureBytes || !sumsBytes) throw new BundleError('INNER_MANIFEST_MISSING', 'the payload lacks its manifest.json, manifest.json.minisig or SHA256SUMS');
  let trustedComment: string;
  try {
    trustedComment = verifyManifestSignature(bundle.signerKey, text(signatureBytes, PAYLOAD_FILES.signature), manifestBytes).trustedComment;
  } catch (error) {
    if (error instanceof MinisignError) throw new BundleError('INNER_SIGNATURE_INVALID', `the manifest inside the payload: ${error.message}`);
    throw error;
  }
  let json: unknown;
  try {
    json = JSON.parse(text(manifestBytes, PAYLOAD_FILES.manifest));
  } catch {
    throw new BundleError('INNER_MANIFEST_MISMATCH', 'the payload manifest is not JSON');
  }
  const parsed = PayloadManifestSchema.safeParse(json);
  if (!parsed.success) throw new BundleError('INNER_MANIFEST_MISMATCH', 'the payload manifest does not have the payload manifest format');
  const manifest = parsed.data;
  if (trustedComment !== payloadTrustedComment(manifest)) throw new BundleError('INNER_SIGNATURE_INVALID', 'the payload manifest signature vouches for another bundle');
  if (JSON.stringify(sharedManifestPart(manifest)) !== JSON.stringify(sharedManifestPart(bundle.manifest))) {
    throw new BundleError('INNER_MANIFEST_MISMATCH', 'the manifest inside the payload differs from the signed one outside');
  }
  const present = new Map(entries.map((entry) => [entry.path, entry]));
  const listed = new Set(manifest.files.map((file) => file.path));
  for (const entry of entries) {
    if (entry.path !== PAYLOAD_FILES.manifest && entry.path !== PAYLOAD_FILES.signature && entry.path !== PAYLOAD_FILES.checksums && !listed.has(entry.path)) {
      throw new BundleError('ENTRY_NOT_IN_MANIFEST', `${entry.path} is in the payload but not in its signed manifest`);
    }
  }
  for (const file of manifest.files) {
    const entry = present.get(file.path);
    if (!entry) throw new BundleError('ENTRY_MISSING', `${file.path} is in the signed manifest but not in the payload`);
    if (entry.sha256 !== file.sha256 || entry.size !== file.size) throw new BundleError('ENTRY_HASH_MISMATCH', `${file.path} does not match its signed SHA-256`);
  }
  const sums = parseSha256Sums(text(sumsBytes, PAYLOAD_FILES.checksums));
  const expectedSums = entries.filter((entry) => entry.path !== PAYLOAD_FILES.checksums);
  if (!sums || sums.length !== expectedSums.length || !sums.every((sum) => present.get(sum.path)?.sha256 === sum.sha256)) {
    throw new BundleError('INNER_CHECKSUMS_MISMATCH', 'SHA256SUMS inside the payload does not match its files');
  }
  return manifest;
}
