import { createCipheriv, createHash, createHmac, createPrivateKey, createPublicKey, diffieHellman, hkdfSync, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { decodeBech32 } from '../../../src/main/core/crypto/bech32.js';
import { ageRecipientFingerprint, generateSigningKeyPair, minisignKeyIdHex, minisignKeyOf, minisignPublicKeyBase64, signManifest, type SigningKeyPair } from '../../../src/main/core/crypto/index.js';
import {
  BUNDLE_MANIFEST_FORMAT, PAYLOAD_MANIFEST_FORMAT, bundleTrustedComment, manifestJson, payloadTrustedComment, type BundleManifest, type PayloadManifest,
} from '../../../src/main/core/export/bundleManifestSchema.js';
import { EXPORTED_TESTIMONY_FORMAT } from '../../../src/main/core/export/exportedTestimonySchema.js';
import { formatSha256Sums } from '../../../src/main/core/export/sha256Sums.js';
import { encodeUstarHeader, TAR_BLOCK, type UstarFields } from '../../../src/main/core/export/ustarHeader.js';

/**
 * Builds hostile bundles for the tamper matrix. The age writer here is written again from the spec
 * on node:crypto (not the app's), so the tests do not trust the code they test, and it can be told
 * to break the format in each of the ways the age test vectors cover.
 */
const CHUNK = 64 * 1024;
const sha256 = (bytes: Uint8Array | string) => createHash('sha256').update(bytes).digest('hex');
const b64 = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64').replace(/=+$/, '');

function hkdf(ikm: Uint8Array, salt: Uint8Array, info: string): Buffer {
  return Buffer.from(hkdfSync('sha256', ikm, salt, info, 32));
}

function seal(key: Uint8Array, nonce: Uint8Array, plain: Uint8Array): Buffer {
  const cipher = createCipheriv('chacha20-poly1305', key, nonce, { authTagLength: 16 });
  return Buffer.concat([cipher.update(plain), cipher.final(), cipher.getAuthTag()]);
}

const X25519_PKCS8 = Buffer.from('302e020100300506032b656e04220420', 'hex');
const X25519_SPKI = Buffer.from('302a300506032b656e032100', 'hex');
function x25519(secret: Uint8Array, point: Uint8Array): Buffer {
  return diffieHellman({
    privateKey: createPrivateKey({ key: Buffer.concat([X25519_PKCS8, secret]), format: 'der', type: 'pkcs8' }),
    publicKey: createPublicKey({ key: Buffer.concat([X25519_SPKI, point]), format: 'der', type: 'spki' }),
  });
}
function x25519Base(secret: Uint8Array): Buffer {
  const key = createPublicKey(createPrivateKey({ key: Buffer.concat([X25519_PKCS8, secret]), format: 'der', type: 'pkcs8' }));
  return key.export({ format: 'der', type: 'spki' }).subarray(X25519_SPKI.length);
}

export function recipientKey(recipient: string): Uint8Array {
  const decoded = decodeBech32(recipient);
  if (!decoded) throw new Error('bad recipient');
  return decoded.bytes;
}

export type AgeKnobs = {
  /** Every chunk without the last-chunk flag. */
  noFinalChunk?: boolean;
  /** The first (full) chunk flagged final, then more chunks. */
  twoFinalChunks?: boolean;
  /** Bytes after the final chunk. */
  trailingGarbage?: boolean;
  /** An empty final chunk after full ones (the plaintext must be a multiple of 64 KiB). */
  emptyFinalChunk?: boolean;
  badMac?: boolean;
  /** A stanza body whose base64 is not canonical (non-zero unused bits). */
  nonCanonicalStanza?: boolean;
  /** An extra (grease) stanza whose body is written on one line longer than 64 columns. */
  longStanzaLine?: boolean;
  /** An X25519 stanza whose ephemeral share is a low-order point, placed first. */
  lowOrderShare?: boolean;
  /** A flipped byte inside the first payload chunk. */
  corruptChunk?: boolean;
};

export type AgeFile = { bytes: Buffer; fileKey: Buffer; headerLength: number };

type Stanza = { args: string[]; body: Buffer };

function stanzaText(stanza: Stanza, knobs: AgeKnobs): string {
  let body = b64(stanza.body);
  if (knobs.nonCanonicalStanza) body = body.slice(0, -1) + String.fromCharCode(body.charCodeAt(body.length - 1) + 1);
  const columns = knobs.longStanzaLine && stanza.args[0] === 'grease' ? 200 : 64;
  let text = `-> ${stanza.args.join(' ')}\n`;
  for (let i = 0; i <= body.length; i += columns) text += `${body.slice(i, i + columns)}\n`;
  return text;
}

export function headerFor(stanzas: readonly Stanza[], fileKey: Uint8Array, knobs: AgeKnobs = {}): Buffer {
  const withoutMac = `age-encryption.org/v1\n${stanzas.map((stanza) => stanzaText(stanza, knobs)).join('')}---`;
  const mac = createHmac('sha256', hkdf(fileKey, Buffer.alloc(0), 'header')).update(withoutMac).digest();
  if (knobs.badMac) mac[0] = (mac[0] ?? 0) ^ 1;
  return Buffer.from(`${withoutMac} ${b64(mac)}\n`);
}

export function x25519Stanza(fileKey: Uint8Array, recipient: Uint8Array): Stanza {
  const ephemeral = randomBytes(32);
  const share = x25519Base(ephemeral);
  const wrapKey = hkdf(x25519(ephemeral, recipient), Buffer.concat([share, recipient]), 'age-encryption.org/v1/X25519');
  return { args: ['X25519', b64(share)], body: seal(wrapKey, Buffer.alloc(12), fileKey) };
}

function chunkNonce(counter: number, last: boolean): Buffer {
  const nonce = Buffer.alloc(12);
  nonce.writeUIntBE(counter, 5, 6);
  nonce[11] = last ? 1 : 0;
  return nonce;
}

export function payloadFor(fileKey: Uint8Array, plain: Uint8Array, knobs: AgeKnobs = {}): Buffer {
  const nonce = randomBytes(16);
  const key = hkdf(fileKey, nonce, 'payload');
  const pieces: Uint8Array[] = [];
  for (let offset = 0; offset < plain.length || pieces.length === 0; offset += CHUNK) pieces.push(plain.subarray(offset, offset + CHUNK));
  const chunks: Buffer[] = pieces.map((piece, index) => {
    const last = index === pieces.length - 1 && !knobs.noFinalChunk && !knobs.emptyFinalChunk;
    return seal(key, chunkNonce(index, knobs.twoFinalChunks && index === 0 ? true : last), piece);
  });
  if (knobs.emptyFinalChunk) chunks.push(seal(key, chunkNonce(chunks.length, true), new Uint8Array(0)));
  if (knobs.corruptChunk && chunks[0]) chunks[0][5] = (chunks[0][5] ?? 0) ^ 0x40;
  return Buffer.concat([nonce, ...chunks, knobs.trailingGarbage ? randomBytes(37) : Buffer.alloc(0)]);
}

export function ageEncrypt(plain: Uint8Array, recipients: readonly Uint8Array[], knobs: AgeKnobs = {}): AgeFile {
  const fileKey = randomBytes(16);
  const stanzas = recipients.map((recipient) => x25519Stanza(fileKey, recipient));
  if (knobs.lowOrderShare) stanzas.unshift({ args: ['X25519', b64(Buffer.alloc(32))], body: randomBytes(32) });
  // An unknown stanza is allowed, but not with a body line over 64 columns.
  if (knobs.longStanzaLine) stanzas.push({ args: ['grease'], body: randomBytes(100) });
  const header = headerFor(stanzas, fileKey, knobs);
  return { bytes: Buffer.concat([header, payloadFor(fileKey, plain, knobs)]), fileKey, headerLength: header.length };
}

export type TarEntry = { name: string; content: Uint8Array; fields?: Partial<UstarFields>; patch?: (header: Uint8Array) => void; paddingByte?: number };

export function tarOf(entries: readonly TarEntry[], options: { padTo?: number } = {}): Buffer {
  const parts: Buffer[] = [];
  for (const entry of entries) {
    const header = encodeUstarHeader({ name: entry.name, size: entry.content.length, mtime: 1_700_000_000, mode: 0o644, ...entry.fields });
    entry.patch?.(header);
    parts.push(Buffer.from(header), Buffer.from(entry.content), Buffer.alloc((TAR_BLOCK - (entry.content.length % TAR_BLOCK)) % TAR_BLOCK, entry.paddingByte ?? 0));
  }
  parts.push(Buffer.alloc(TAR_BLOCK * 2));
  let tar = Buffer.concat(parts);
  if (options.padTo) tar = Buffer.concat([tar, Buffer.alloc((options.padTo - (tar.length % options.padTo)) % options.padTo)]);
  return tar;
}

/** Recomputes a header checksum after a test edited the block by hand. */
export function fixChecksum(header: Uint8Array): void {
  header.fill(0x20, 148, 156);
  let sum = 0;
  for (const byte of header) sum += byte;
  header.set(Buffer.from(`${sum.toString(8).padStart(6, '0')}\0 `), 148);
}

export function testimonyJson(controlNumber: string, media: string[] = []): Buffer {
  return Buffer.from(JSON.stringify({
    format: EXPORTED_TESTIMONY_FORMAT, controlNumber, profile: 'icc', anonymised: true, language: 'en', title: 'Hostile', summary: '', transcript: 'text',
    tags: [], facilities: [], perpetratorUnits: [], violations: [], consent: { scopes: ['icc'], anonymity: true, mediaUse: true },
    people: [], media: media.map((file) => ({ file, mimeType: 'image/jpeg', sha256: '0'.repeat(64) })), excludedMedia: [],
  }));
}

export type HostileSpec = {
  signer: SigningKeyPair;
  recipients: readonly Uint8Array[];
  /** The payload files other than manifest.json, its signature and SHA256SUMS. */
  files: TarEntry[];
  /** Extra tar entries, not listed in the inner manifest (they come first, so the reader meets them early). */
  extraEntries?: TarEntry[];
  /** Edits the inner manifest before it is signed. */
  editInner?: (manifest: PayloadManifest) => void;
  /** Edits the tar entries after the manifest is signed (e.g. change a file the manifest already hashed). */
  editEntries?: (entries: TarEntry[]) => void;
  age?: AgeKnobs;
  tarPadTo?: number;
  /** Bytes after the tar's end marker. */
  tarSuffix?: Buffer;
  /** Leaves out the tar's two-block end marker. */
  tarWithoutEnd?: boolean;
  /** Signs the inner manifest with another key than the outer one. */
  innerSigner?: SigningKeyPair;
  /** Edits the outer manifest before it is signed. */
  editOuter?: (manifest: BundleManifest) => void;
};

export type BuiltBundle = { dir: string; fileKey: Buffer; headerLength: number; signerPub: string };

const VIEWER = '<!doctype html><title>viewer</title>';
const README = 'hostile bundle\n';

/** Writes a complete bundle, consistent and signed by `signer` except for what the spec breaks. */
export function writeHostileBundle(dir: string, spec: HostileSpec): BuiltBundle {
  const key = minisignKeyOf(spec.signer.publicKey);
  const exporter = { keyId: minisignKeyIdHex(key.keyId), publicKey: minisignPublicKeyBase64(key) };
  const bundleId = randomBytes(16).toString('hex');
  const items = spec.files
    .filter((file) => file.name.startsWith('testimonies/'))
    .map((file) => ({ controlNumber: file.name.slice('testimonies/'.length, -'.json'.length), testimony: file.name, media: [] as string[], excludedMedia: 0 }));
  const inner: PayloadManifest = {
    format: PAYLOAD_MANIFEST_FORMAT, bundleId, createdAt: '2025-02-01T10:00:00.000Z', appVersion: '0.1.0', profile: 'icc', exporter, items,
    files: spec.files.map((file) => ({ path: file.name, sha256: sha256(file.content), size: file.content.length })),
  };
  spec.editInner?.(inner);
  const innerText = Buffer.from(manifestJson(inner));
  const innerKey = spec.innerSigner ?? spec.signer;
  const innerSignature = Buffer.from(signManifest(innerKey.secretKey, innerKey.publicKey, innerText, payloadTrustedComment(inner)));
  const withManifest: TarEntry[] = [...spec.files, { name: 'manifest.json', content: innerText }, { name: 'manifest.json.minisig', content: innerSignature }];
  const sums = Buffer.from(formatSha256Sums(withManifest.map((entry) => ({ path: entry.name, sha256: sha256(entry.content) }))));
  const entries: TarEntry[] = [...(spec.extraEntries ?? []), ...withManifest, { name: 'SHA256SUMS', content: sums }];
  spec.editEntries?.(entries);
  let tar = tarOf(entries, spec.tarPadTo ? { padTo: spec.tarPadTo } : {});
  if (spec.tarWithoutEnd) tar = tar.subarray(0, tar.length - 2 * TAR_BLOCK);
  if (spec.tarSuffix) tar = Buffer.concat([tar, spec.tarSuffix]);
  const age = ageEncrypt(tar, spec.recipients, spec.age);
  const stanzaCount = spec.recipients.length + (spec.age?.lowOrderShare ? 1 : 0);
  const outer: BundleManifest = {
    ...inner,
    format: BUNDLE_MANIFEST_FORMAT,
    payload: {
      file: 'payload.age', sha256: sha256(age.bytes), size: age.bytes.length, headerSha256: sha256(age.bytes.subarray(0, age.headerLength)), plaintextSize: tar.length,
      recipients: Array.from({ length: stanzaCount }, (_, i) => ({ type: 'X25519' as const, fingerprint: ageRecipientFingerprint(`r${i}`) })),
    },
    companions: [{ path: 'README.txt', sha256: sha256(README) }, { path: 'viewer.html', sha256: sha256(VIEWER) }],
  };
  spec.editOuter?.(outer);
  const outerText = manifestJson(outer);
  const outerSignature = signManifest(spec.signer.secretKey, spec.signer.publicKey, Buffer.from(outerText), bundleTrustedComment(outer));
  fs.mkdirSync(dir, { recursive: true });
  const files: Record<string, string | Buffer> = { 'payload.age': age.bytes, 'manifest.json': outerText, 'manifest.json.minisig': outerSignature, 'README.txt': README, 'viewer.html': VIEWER };
  for (const [name, content] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), content);
  fs.writeFileSync(path.join(dir, 'SHA256SUMS'), formatSha256Sums(Object.entries(files).map(([name, content]) => ({ path: name, sha256: sha256(content) }))));
  return { dir, fileKey: age.fileKey, headerLength: age.headerLength, signerPub: exporter.publicKey };
}

/** Re-signs an edited outer manifest in place, and refreshes SHA256SUMS, as a malicious exporter would. */
export function resign(dir: string, signer: SigningKeyPair, edit: (manifest: BundleManifest) => void): void {
  const manifest = JSON.parse(fs.readFileSync(path.join(dir, 'manifest.json'), 'utf8')) as BundleManifest;
  edit(manifest);
  const text = manifestJson(manifest);
  fs.writeFileSync(path.join(dir, 'manifest.json'), text);
  fs.writeFileSync(path.join(dir, 'manifest.json.minisig'), signManifest(signer.secretKey, signer.publicKey, Buffer.from(text), bundleTrustedComment(manifest)));
  refreshSums(dir);
}

export function refreshSums(dir: string): void {
  const names = ['README.txt', 'manifest.json', 'manifest.json.minisig', 'payload.age', 'viewer.html'];
  fs.writeFileSync(path.join(dir, 'SHA256SUMS'), formatSha256Sums(names.map((name) => ({ path: name, sha256: sha256(fs.readFileSync(path.join(dir, name))) }))));
}

export { generateSigningKeyPair, sha256 };
