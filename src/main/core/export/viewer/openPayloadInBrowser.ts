import { Decrypter } from 'age-encryption';
import { ed25519 } from '@noble/curves/ed25519.js';
import { blake2b } from '@noble/hashes/blake2.js';
import { sha256 } from '@noble/hashes/sha2.js';
import {
  minisignGlobalMessage, minisignKeyIdHex, parseMinisignPublicKey, parseMinisignSignature, sameBytes, type MinisignPublicKey,
} from '../../crypto/minisignFormat.js';
import { BundleError } from '../BundleError.js';
import { MAX_IMAGE_PIXELS, MAX_IMAGE_SIDE, MAX_TAR_ENTRIES, PAYLOAD_FILES, classifyPayloadEntry, entryLimit } from '../bundleLayout.js';
import {
  BundleManifestSchema, PayloadManifestSchema, bundleTrustedComment, payloadTrustedComment, sharedManifestPart, type BundleManifest, type PayloadManifest,
} from '../bundleManifestSchema.js';
import { ExportedTestimonySchema, type ExportedTestimony } from '../exportedTestimonySchema.js';
import { inspectJpeg } from '../inspectJpeg.js';
import { parseSha256Sums } from '../sha256Sums.js';
import { TarReader } from '../TarReader.js';

/**
 * The viewer's engine, without any DOM: decrypts payload.age in memory with the age-encryption
 * library, reads the tar with the same strict reader as `tvault bundle open`, and checks the
 * signatures (minisign, Ed25519 over BLAKE2b-512) and every hash before anything is shown.
 */
export type ViewerInput = {
  payload: Uint8Array;
  identityText?: string;
  passphrase?: string;
  /** The outer manifest.json and manifest.json.minisig, if the lawyer chose them too. */
  outerManifest?: Uint8Array;
  outerSignature?: string;
  /** A minisign public key the lawyer trusts, from another channel. */
  expectedSigner?: string;
};

export type ViewerCheck = { name: string; ok: boolean; detail: string };
export type ViewerBundle = {
  manifest: PayloadManifest;
  signer: { keyId: string; publicKey: string };
  checks: ViewerCheck[];
  testimonies: ExportedTestimony[];
  files: Map<string, Uint8Array>;
  redactionLog: string;
  custodyLog: string;
};

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

function hex(bytes: Uint8Array): string {
  return [...bytes].map((byte) => byte.toString(16).padStart(2, '0')).join('');
}

function text(bytes: Uint8Array | undefined, name: string): string {
  if (!bytes) throw new BundleError('INNER_MANIFEST_MISSING', `the payload has no ${name}`);
  try {
    return strictUtf8.decode(bytes);
  } catch {
    throw new BundleError('TESTIMONY_MALFORMED', `${name} is not UTF-8 text`);
  }
}

/** minisign verification: the signature over BLAKE2b-512 of the file, then the global signature over the trusted comment. */
function verifyMinisign(key: MinisignPublicKey, signatureText: string, message: Uint8Array): string {
  const signature = parseMinisignSignature(signatureText);
  if (!sameBytes(signature.keyId, key.keyId)) throw new BundleError('UNKNOWN_SIGNER', 'the signature was made by another key');
  if (!ed25519.verify(signature.signature, blake2b(message, { dkLen: 64 }), key.publicKey, { zip215: false })) throw new BundleError('SIGNATURE_INVALID', 'the signature does not match');
  if (!ed25519.verify(signature.globalSignature, minisignGlobalMessage(signature.signature, signature.trustedComment), key.publicKey, { zip215: false })) {
    throw new BundleError('SIGNATURE_INVALID', 'the trusted comment signature does not match');
  }
  return signature.trustedComment;
}

function parseJson<T>(bytes: Uint8Array, name: string, parse: (value: unknown) => { success: true; data: T } | { success: false }): T {
  let value: unknown;
  try {
    value = JSON.parse(text(bytes, name));
  } catch (error) {
    if (error instanceof BundleError) throw error;
    throw new BundleError('MANIFEST_MALFORMED', `${name} is not JSON`);
  }
  const parsed = parse(value);
  if (!parsed.success) throw new BundleError('MANIFEST_MALFORMED', `${name} does not have the expected format`);
  return parsed.data;
}

async function decrypt(input: ViewerInput): Promise<Uint8Array> {
  const decrypter = new Decrypter();
  let keys = 0;
  for (const line of (input.identityText ?? '').split(/\r?\n/)) {
    const trimmed = line.trim();
    if (trimmed.startsWith('AGE-SECRET-KEY-1')) {
      decrypter.addIdentity(trimmed);
      keys += 1;
    }
  }
  if (input.passphrase) {
    decrypter.addPassphrase(input.passphrase);
    keys += 1;
  }
  if (keys === 0) throw new BundleError('IDENTITY_MALFORMED', 'enter an AGE-SECRET-KEY-1… identity or the passphrase');
  try {
    return await decrypter.decrypt(input.payload);
  } catch (error) {
    throw new BundleError('AGE_NO_IDENTITY_MATCHED', `payload.age could not be decrypted: ${error instanceof Error ? error.message : String(error)}`);
  }
}

function untar(tar: Uint8Array): Map<string, Uint8Array> {
  const files = new Map<string, Uint8Array>();
  const reader = new TarReader({
    maxEntries: MAX_TAR_ENTRIES,
    totalSize: tar.length,
    checkEntry: (header) => {
      if (header.size > entryLimit(classifyPayloadEntry(header.name))) throw new BundleError('TAR_SIZE_ABSURD', `${header.name} is larger than its kind allows`);
      if ([...files.keys()].some((name) => name.toLowerCase() === header.name.toLowerCase())) throw new BundleError('TAR_DUPLICATE_ENTRY', `${header.name} appears twice`);
    },
  });
  let current: { name: string; chunks: Uint8Array[] } | null = null;
  for (const event of reader.push(tar)) {
    if (event.type === 'entry') current = { name: event.header.name, chunks: [] };
    else if (event.type === 'data') current?.chunks.push(event.bytes);
    else if (current) {
      const size = current.chunks.reduce((total, chunk) => total + chunk.length, 0);
      const bytes = new Uint8Array(size);
      let offset = 0;
      for (const chunk of current.chunks) {
        bytes.set(chunk, offset);
        offset += chunk.length;
      }
      files.set(current.name, bytes);
      current = null;
    }
  }
  reader.finish();
  return files;
}

export async function openPayloadInBrowser(input: ViewerInput): Promise<ViewerBundle> {
  const checks: ViewerCheck[] = [];
  let outer: BundleManifest | null = null;
  let trustedKey: MinisignPublicKey | null = null;
  if (input.expectedSigner?.trim()) {
    try {
      trustedKey = parseMinisignPublicKey(input.expectedSigner.trim());
    } catch {
      throw new BundleError('IDENTITY_MALFORMED', 'the expected signer is not a minisign public key (RW…)');
    }
  }
  if (input.outerManifest && input.outerSignature !== undefined) {
    outer = parseJson(input.outerManifest, 'manifest.json', (value) => BundleManifestSchema.safeParse(value));
    const key = parseMinisignPublicKey(outer.exporter.publicKey);
    if (trustedKey && minisignKeyIdHex(trustedKey.keyId) !== minisignKeyIdHex(key.keyId)) throw new BundleError('UNKNOWN_SIGNER', 'manifest.json was not signed by the expected key');
    const comment = verifyMinisign(trustedKey ?? key, input.outerSignature, input.outerManifest);
    if (comment !== bundleTrustedComment(outer)) throw new BundleError('TRUSTED_COMMENT_MISMATCH', 'the signed comment does not describe manifest.json');
    checks.push({ name: 'manifest.json signature', ok: true, detail: `signed by key ${outer.exporter.keyId}` });
    if (input.payload.length !== outer.payload.size) throw new BundleError('PAYLOAD_TRUNCATED', 'payload.age does not have the size the manifest gives');
    if (hex(sha256(input.payload)) !== outer.payload.sha256) throw new BundleError('PAYLOAD_HASH_MISMATCH', 'payload.age does not match the signed manifest');
    checks.push({ name: 'payload.age hash', ok: true, detail: outer.payload.sha256 });
  } else {
    checks.push({ name: 'manifest.json signature', ok: false, detail: 'not checked: choose manifest.json and manifest.json.minisig with payload.age' });
  }

  const files = untar(await decrypt(input));
  checks.push({ name: 'decryption', ok: true, detail: 'payload.age decrypted and authenticated to its final chunk' });
  const manifest = parseJson(files.get(PAYLOAD_FILES.manifest) ?? new Uint8Array(), PAYLOAD_FILES.manifest, (value) => PayloadManifestSchema.safeParse(value));
  const exporterKey = parseMinisignPublicKey(manifest.exporter.publicKey);
  if (trustedKey && minisignKeyIdHex(trustedKey.keyId) !== minisignKeyIdHex(exporterKey.keyId)) throw new BundleError('UNKNOWN_SIGNER', 'the payload was not signed by the expected key');
  const comment = verifyMinisign(exporterKey, text(files.get(PAYLOAD_FILES.signature), PAYLOAD_FILES.signature), files.get(PAYLOAD_FILES.manifest) ?? new Uint8Array());
  if (comment !== payloadTrustedComment(manifest)) throw new BundleError('INNER_SIGNATURE_INVALID', 'the payload signature vouches for another bundle');
  if (outer && JSON.stringify(sharedManifestPart(outer)) !== JSON.stringify(sharedManifestPart(manifest))) {
    throw new BundleError('INNER_MANIFEST_MISMATCH', 'the manifest inside the payload differs from manifest.json');
  }
  checks.push({ name: 'payload manifest signature', ok: true, detail: trustedKey ? `signed by the expected key ${manifest.exporter.keyId}` : `signed by key ${manifest.exporter.keyId} (compare it with the key you were given)` });

  const listed = new Map(manifest.files.map((file) => [file.path, file]));
  for (const name of files.keys()) {
    if (name !== PAYLOAD_FILES.manifest && name !== PAYLOAD_FILES.signature && name !== PAYLOAD_FILES.checksums && !listed.has(name)) {
      throw new BundleError('ENTRY_NOT_IN_MANIFEST', `${name} is not in the signed manifest`);
    }
  }
  for (const file of manifest.files) {
    const bytes = files.get(file.path);
    if (!bytes) throw new BundleError('ENTRY_MISSING', `${file.path} is missing`);
    if (bytes.length !== file.size || hex(sha256(bytes)) !== file.sha256) throw new BundleError('ENTRY_HASH_MISMATCH', `${file.path} does not match its signed SHA-256`);
  }
  const sums = parseSha256Sums(text(files.get(PAYLOAD_FILES.checksums), PAYLOAD_FILES.checksums));
  if (!sums || sums.length !== files.size - 1 || !sums.every((sum) => files.has(sum.path) && hex(sha256(files.get(sum.path) ?? new Uint8Array())) === sum.sha256)) {
    throw new BundleError('INNER_CHECKSUMS_MISMATCH', 'SHA256SUMS does not match the files');
  }
  checks.push({ name: 'file hashes', ok: true, detail: `${manifest.files.length} files match the signed manifest and SHA256SUMS` });

  const testimonies = manifest.items.map((item) => {
    const document = parseJson(files.get(item.testimony) ?? new Uint8Array(), item.testimony, (value) => ExportedTestimonySchema.safeParse(value));
    if (document.controlNumber !== item.controlNumber) throw new BundleError('TESTIMONY_MALFORMED', `${item.testimony} holds another control number`);
    return document;
  });
  for (const [name, bytes] of files) {
    if (!name.endsWith('.jpg')) continue;
    const inspection = inspectJpeg(bytes);
    if (inspection.width > MAX_IMAGE_SIDE || inspection.height > MAX_IMAGE_SIDE || inspection.width * inspection.height > MAX_IMAGE_PIXELS) {
      throw new BundleError('IMAGE_ABSURD_DIMENSIONS', `${name} is absurdly large`);
    }
    if (inspection.problems.length > 0) throw new BundleError('IMAGE_METADATA_PRESENT', `${name}: ${inspection.problems.join('; ')}`);
  }
  return {
    manifest,
    signer: { keyId: manifest.exporter.keyId, publicKey: manifest.exporter.publicKey },
    checks,
    testimonies,
    files,
    redactionLog: text(files.get(PAYLOAD_FILES.redactionLog), PAYLOAD_FILES.redactionLog),
    custodyLog: text(files.get(PAYLOAD_FILES.custodyLog), PAYLOAD_FILES.custodyLog),
  };
}

/** RFC 4180 CSV as the logs are written (every cell quoted, CRLF lines). */
export function parseCsv(textValue: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < textValue.length; i += 1) {
    const char = textValue.charAt(i);
    if (quoted) {
      if (char === '"' && textValue.charAt(i + 1) === '"') {
        cell += '"';
        i += 1;
      } else if (char === '"') quoted = false;
      else cell += char;
    } else if (char === '"') quoted = true;
    else if (char === ',') {
      row.push(cell);
      cell = '';
    } else if (char === '\n') {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
    } else if (char !== '\r') cell += char;
  }
  if (cell !== '' || row.length > 0) rows.push([...row, cell]);
  return rows;
}
