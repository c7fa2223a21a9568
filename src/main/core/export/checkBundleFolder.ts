import fs from 'node:fs';
import path from 'node:path';
import {
  MinisignError, agePayloadSealedSize, createSha256, ensureSodium, minisignKeyIdHex, minisignPublicKeyBase64, parseAgeHeader, parseMinisignPublicKey,
  sha256Hex, verifyManifestSignature, AGE_CHUNK_BYTES, AGE_MAX_HEADER_BYTES, AGE_TAG_BYTES, type AgeHeader, type MinisignPublicKey,
} from '../crypto/index.js';
import { BundleError, asBundleError } from './BundleError.js';
import { BUNDLE_FILES, DEFAULT_MAX_PAYLOAD_BYTES, OUTER_CHECKSUMMED_FILES } from './bundleLayout.js';
import { BundleManifestSchema, bundleTrustedComment, type BundleManifest } from './bundleManifestSchema.js';
import { parseSha256Sums } from './sha256Sums.js';

export type BundleCheckOptions = {
  /** The exporter's minisign public key (`.pub` text or `RW…`), received by another channel. */
  expectedSigner?: string;
  /** Largest payload (plaintext) to accept; default 64 GiB. */
  maxPayloadBytes?: number;
};

/** The outer layer, checked: what the payload must be, and the age header it must start with. */
export type CheckedBundle = {
  dir: string;
  manifest: BundleManifest;
  signer: { keyId: string; publicKey: string };
  signerKey: MinisignPublicKey;
  header: AgeHeader;
};

const SMALL_FILE_LIMITS: Record<string, number> = {
  [BUNDLE_FILES.manifest]: 16 * 1024 * 1024,
  [BUNDLE_FILES.signature]: 4096,
  [BUNDLE_FILES.checksums]: 64 * 1024,
  [BUNDLE_FILES.readme]: 1024 * 1024,
  [BUNDLE_FILES.viewer]: 32 * 1024 * 1024,
};
const strictUtf8 = new TextDecoder('utf-8', { fatal: true });
const READ_CHUNK = 1024 * 1024;

/** Opens a bundle file without following links; refuses anything but a regular file. */
export async function openBundleFile(dir: string, name: string): Promise<{ handle: fs.promises.FileHandle; size: number }> {
  const filePath = path.join(dir, name);
  const stat = await fs.promises.lstat(filePath).catch(() => null);
  if (!stat) throw new BundleError('BUNDLE_FILE_MISSING', `the bundle has no ${name}`);
  if (!stat.isFile()) throw new BundleError('BUNDLE_FILE_NOT_REGULAR', `${name} is not a regular file (a link or device is never part of a bundle)`);
  const handle = await fs.promises.open(filePath, fs.constants.O_RDONLY | fs.constants.O_NOFOLLOW);
  const size = (await handle.stat()).size;
  return { handle, size };
}

async function readSmallFile(dir: string, name: string): Promise<Uint8Array> {
  const { handle, size } = await openBundleFile(dir, name);
  try {
    const limit = SMALL_FILE_LIMITS[name] ?? 0;
    if (size > limit) throw new BundleError('BUNDLE_FILE_TOO_LARGE', `${name} is ${size} bytes; no genuine bundle has one over ${limit}`);
    const bytes = new Uint8Array(size);
    let offset = 0;
    while (offset < size) {
      const { bytesRead } = await handle.read(bytes, offset, size - offset, offset);
      if (bytesRead === 0) break;
      offset += bytesRead;
    }
    return bytes.subarray(0, offset);
  } finally {
    await handle.close();
  }
}

function asText(bytes: Uint8Array, name: string, code: 'MANIFEST_MALFORMED' | 'SIGNATURE_MALFORMED' | 'CHECKSUMS_MALFORMED'): string {
  try {
    return strictUtf8.decode(bytes);
  } catch {
    throw new BundleError(code, `${name} is not UTF-8 text`);
  }
}

function parseManifest(text: string): BundleManifest {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new BundleError('MANIFEST_MALFORMED', 'manifest.json is not JSON');
  }
  const parsed = BundleManifestSchema.safeParse(json);
  if (!parsed.success) throw new BundleError('MANIFEST_MALFORMED', `manifest.json does not have the bundle manifest format (${parsed.error.issues[0]?.path.join('.') ?? ''})`);
  return parsed.data;
}

function sameKey(a: MinisignPublicKey, b: MinisignPublicKey): boolean {
  return minisignPublicKeyBase64(a) === minisignPublicKeyBase64(b);
}

/** SHA-256 of a whole file, read in chunks through one open handle. */
export async function hashFile(handle: fs.promises.FileHandle, size: number): Promise<string> {
  const hash = createSha256();
  const buffer = new Uint8Array(READ_CHUNK);
  for (let offset = 0; offset < size; ) {
    const { bytesRead } = await handle.read(buffer, 0, Math.min(READ_CHUNK, size - offset), offset);
    if (bytesRead === 0) break;
    hash.update(buffer.subarray(0, bytesRead));
    offset += bytesRead;
  }
  return hash.digestHex();
}

/**
 * Checks everything outside the encryption, in an order that gives the most specific refusal:
 * the signature (against the expected signer when one is given), the manifest, the trusted
 * comment, SHA256SUMS, README and viewer hashes, and then payload.age: its size, its recipients
 * and header against the signed manifest, and its SHA-256. Records each step in `checks`.
 */
export async function checkBundleFolder(bundleDir: string, options: BundleCheckOptions, checks: { name: string; ok: boolean }[]): Promise<CheckedBundle> {
  await ensureSodium();
  const dir = path.resolve(bundleDir);
  const dirStat = await fs.promises.stat(dir).catch(() => null);
  if (!dirStat?.isDirectory()) throw new BundleError('BUNDLE_NOT_FOUND', `${dir} is not a bundle folder`);
  const pass = (name: string) => checks.push({ name, ok: true });

  const manifestBytes = await readSmallFile(dir, BUNDLE_FILES.manifest);
  const signatureText = asText(await readSmallFile(dir, BUNDLE_FILES.signature), BUNDLE_FILES.signature, 'SIGNATURE_MALFORMED');
  let signerKey: MinisignPublicKey;
  let manifest: BundleManifest;
  let trustedComment: string;
  try {
    if (options.expectedSigner !== undefined) {
      // With a known signer, nothing in manifest.json is read before its signature checks out.
      let expected: MinisignPublicKey;
      try {
        expected = parseMinisignPublicKey(options.expectedSigner);
      } catch {
        throw new BundleError('IDENTITY_MALFORMED', 'the expected signer is not a minisign public key');
      }
      try {
        trustedComment = verifyManifestSignature(expected, signatureText, manifestBytes).trustedComment;
      } catch (error) {
        if (error instanceof MinisignError && error.code === 'SIGNER_KEY_MISMATCH') throw new BundleError('UNKNOWN_SIGNER', 'the bundle was not signed by the expected key');
        throw error;
      }
      manifest = parseManifest(asText(manifestBytes, BUNDLE_FILES.manifest, 'MANIFEST_MALFORMED'));
      signerKey = parseMinisignPublicKey(manifest.exporter.publicKey);
      if (!sameKey(signerKey, expected)) throw new BundleError('UNKNOWN_SIGNER', 'manifest.json names another exporter key than the expected signer');
    } else {
      manifest = parseManifest(asText(manifestBytes, BUNDLE_FILES.manifest, 'MANIFEST_MALFORMED'));
      signerKey = parseMinisignPublicKey(manifest.exporter.publicKey);
      trustedComment = verifyManifestSignature(signerKey, signatureText, manifestBytes).trustedComment;
    }
  } catch (error) {
    throw asBundleError(error) ?? error;
  }
  if (minisignKeyIdHex(signerKey.keyId) !== manifest.exporter.keyId) throw new BundleError('MANIFEST_MALFORMED', 'manifest.json gives a key id that does not match its key');
  pass('signature');
  if (trustedComment !== bundleTrustedComment(manifest)) throw new BundleError('TRUSTED_COMMENT_MISMATCH', 'the signed trusted comment does not describe this manifest');
  pass('trusted comment');
  if (manifest.payload.plaintextSize > (options.maxPayloadBytes ?? DEFAULT_MAX_PAYLOAD_BYTES)) {
    throw new BundleError('BUNDLE_TOO_LARGE', `the payload would unpack to ${manifest.payload.plaintextSize} bytes, more than the accepted maximum`);
  }

  const sums = parseSha256Sums(asText(await readSmallFile(dir, BUNDLE_FILES.checksums), BUNDLE_FILES.checksums, 'CHECKSUMS_MALFORMED'));
  if (!sums) throw new BundleError('CHECKSUMS_MALFORMED', 'SHA256SUMS is not a sha256sum check file');
  if (sums.map((entry) => entry.path).sort().join('\n') !== OUTER_CHECKSUMMED_FILES.join('\n')) {
    throw new BundleError('CHECKSUMS_MALFORMED', `SHA256SUMS must list exactly ${OUTER_CHECKSUMMED_FILES.join(', ')}`);
  }
  const readme = await readSmallFile(dir, BUNDLE_FILES.readme);
  const viewer = await readSmallFile(dir, BUNDLE_FILES.viewer);
  const actual: Record<string, string> = {
    [BUNDLE_FILES.manifest]: sha256Hex(manifestBytes),
    [BUNDLE_FILES.signature]: sha256Hex(signatureText),
    [BUNDLE_FILES.readme]: sha256Hex(readme),
    [BUNDLE_FILES.viewer]: sha256Hex(viewer),
    [BUNDLE_FILES.payload]: manifest.payload.sha256,
  };
  for (const entry of sums) {
    if (actual[entry.path] !== entry.sha256) throw new BundleError('CHECKSUMS_MISMATCH', `${entry.path} does not match SHA256SUMS`);
  }
  pass('SHA256SUMS');
  for (const companion of manifest.companions) {
    if (actual[companion.path] !== companion.sha256) throw new BundleError('COMPANION_MODIFIED', `${companion.path} is not the one that was signed (a changed viewer could steal your key)`);
  }
  pass('README and viewer');

  const { handle, size } = await openBundleFile(dir, BUNDLE_FILES.payload);
  try {
    const start = new Uint8Array(Math.min(size, AGE_MAX_HEADER_BYTES));
    await handle.read(start, 0, start.length, 0);
    let header: AgeHeader;
    try {
      header = parseAgeHeader(start);
    } catch (error) {
      throw asBundleError(error) ?? error;
    }
    const types = header.stanzas.map((stanza) => stanza.args[0] ?? '');
    if (types.join(' ') !== manifest.payload.recipients.map((recipient) => recipient.type).join(' ')) {
      throw new BundleError('RECIPIENTS_CHANGED', `payload.age is encrypted to ${types.length} recipient(s) (${types.join(', ')}); the signed manifest lists ${manifest.payload.recipients.length}`);
    }
    if (sha256Hex(start.subarray(0, header.length)) !== manifest.payload.headerSha256) {
      throw new BundleError('PAYLOAD_HEADER_CHANGED', 'the age header of payload.age is not the one that was signed (recipients were swapped)');
    }
    if (size < manifest.payload.size) throw new BundleError('PAYLOAD_TRUNCATED', `payload.age is ${size} bytes; the manifest says ${manifest.payload.size} (truncated)`);
    if (size > manifest.payload.size) throw new BundleError('PAYLOAD_TOO_LONG', `payload.age is ${size} bytes; the manifest says ${manifest.payload.size} (bytes were added)`);
    // The STREAM layout is fixed by the plaintext size, so extra or missing bytes show before any decryption.
    const expectedSize = header.length + agePayloadSealedSize(manifest.payload.plaintextSize);
    if (size !== expectedSize) {
      const extra = size - expectedSize;
      if (extra === AGE_TAG_BYTES && manifest.payload.plaintextSize > 0 && manifest.payload.plaintextSize % AGE_CHUNK_BYTES === 0) {
        throw new BundleError('AGE_EMPTY_FINAL_CHUNK', 'payload.age ends with an empty final chunk after a full one');
      }
      if (extra > 0) throw new BundleError('AGE_TRAILING_DATA', `payload.age has ${extra} bytes after its final chunk`);
      throw new BundleError('AGE_TRUNCATED', `payload.age is ${-extra} bytes short of its final chunk`);
    }
    if (await hashFile(handle, size) !== manifest.payload.sha256) throw new BundleError('PAYLOAD_HASH_MISMATCH', 'payload.age does not match the SHA-256 in the signed manifest');
    pass('payload.age');
    return { dir, manifest, signer: { keyId: manifest.exporter.keyId, publicKey: manifest.exporter.publicKey }, signerKey, header };
  } finally {
    await handle.close();
  }
}
