import { createHash, createHmac, hkdfSync, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureSodium, parseAgeHeader } from '../../../src/main/core/crypto/index.js';
import { openBundle, type OpenBundleOptions } from '../../../src/main/core/export/openBundle.js';
import { errorCodeOf } from '../coreFixtures.js';
import { lawyerKey, listFiles, type LawyerKey } from './exportFixtures.js';
import {
  fixChecksum, generateSigningKeyPair, recipientKey, resign, testimonyJson, writeHostileBundle, type HostileSpec, type TarEntry,
} from './hostileBundles.js';

/*
 * The issue's hostile-bundle categories that tests/core/export/tamperMatrix.test.ts (56 bundles) does
 * not already cover: more malformed age stanzas, 10 KB names, size bombs (2^63, a million entries)
 * and decompression bombs. Each is built and signed by a hostile exporter whose key the lawyer was
 * told to expect (so the signature is not what stops it), then opened with openBundle. Each must be
 * refused with a specific code before anything is written, with RSS growth bounded while it opens.
 */
const sha256 = (bytes: Uint8Array | string) => createHash('sha256').update(bytes).digest('hex');
const b64 = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64').replace(/=+$/, '');
/** More than the app needs to refuse any of these; a reader that buffered a bomb would cross it. */
const RSS_BUDGET_BYTES = 256 * 1024 * 1024;

type Case = { name: string; code: string; build: (caseDir: string) => Partial<OpenBundleOptions> };

/** The age header MAC (HMAC-SHA-256 under HKDF(file key, "header")) over a hand-written header. */
function macHeader(withoutMac: string, fileKey: Uint8Array): Buffer {
  const macKey = Buffer.from(hkdfSync('sha256', fileKey, Buffer.alloc(0), 'header', 32));
  return Buffer.from(`${withoutMac} ${b64(createHmac('sha256', macKey).update(withoutMac).digest())}\n`);
}

/** Peak RSS growth while `action` runs, sampled every few milliseconds. */
async function peakRssDuring<T>(action: () => Promise<T>): Promise<{ result: T; peakDelta: number; milliseconds: number }> {
  const before = process.memoryUsage.rss();
  let peak = before;
  const sampler = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage.rss());
  }, 2);
  const started = performance.now();
  try {
    const result = await action();
    peak = Math.max(peak, process.memoryUsage.rss());
    return { result, peakDelta: peak - before, milliseconds: performance.now() - started };
  } finally {
    clearInterval(sampler);
  }
}

describe('hostile bundles, the remaining categories: refused before any plaintext is written, in bounded memory', () => {
  let work: string;
  let key: LawyerKey;
  let hostileSigner: ReturnType<typeof generateSigningKeyPair>;
  const figures: string[] = [];
  let refused = 0;

  beforeAll(async () => {
    await ensureSodium();
    hostileSigner = generateSigningKeyPair();
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'tv-hostile-'));
    key = lawyerKey(work);
  });
  afterAll(() => {
    console.log([`hostile bundles (new categories): refused ${refused}/${cases.length}`, ...figures].join('\n  '));
    fs.rmSync(work, { recursive: true, force: true });
  });

  const baseFiles = (): TarEntry[] => [
    { name: 'testimonies/TV-000001.json', content: testimonyJson('TV-000001') },
    { name: 'REDACTION_LOG.csv', content: Buffer.from('"item"\r\n') },
    { name: 'CUSTODY.csv', content: Buffer.from('"control_number"\r\n') },
  ];

  /** A bundle signed by the hostile exporter; `after` may rewrite payload.age (and re-sign to match). */
  const hostile = (spec: Partial<HostileSpec>, after?: (bundle: string, built: ReturnType<typeof writeHostileBundle>) => void) => (caseDir: string): Partial<OpenBundleOptions> => {
    const built = writeHostileBundle(path.join(caseDir, 'bundle'), { signer: hostileSigner, recipients: [recipientKey(key.recipient)], files: baseFiles(), ...spec });
    after?.(built.dir, built);
    return { expectedSigner: built.signerPub };
  };

  /** Replaces payload.age's header by a hand-written one (re-MACed with the real file key) and re-signs the manifest over it. */
  const withHeader = (headerText: (stanzas: string) => string) =>
    hostile({}, (bundle, built) => {
      const payload = fs.readFileSync(path.join(bundle, 'payload.age'));
      const original = payload.subarray(0, built.headerLength).toString('latin1');
      const stanzas = original.slice('age-encryption.org/v1\n'.length, original.lastIndexOf('---'));
      const header = macHeader(headerText(stanzas), built.fileKey);
      const replaced = Buffer.concat([header, payload.subarray(built.headerLength)]);
      fs.writeFileSync(path.join(bundle, 'payload.age'), replaced);
      resign(bundle, hostileSigner, (m) => {
        m.payload.sha256 = sha256(replaced);
        m.payload.size = replaced.length;
        m.payload.headerSha256 = sha256(header);
      });
    });

  const x25519Line = (stanzas: string) => stanzas.split('\n')[0] ?? '';
  const x25519Body = (stanzas: string) => stanzas.split('\n')[1] ?? '';
  const longName = (length: number) => `testimonies/${'a'.repeat(length - 'testimonies/.json'.length)}.json`;

  /** The smallest RIFF/WAVE file the reader accepts: 12 bytes, so each entry costs two tar blocks. */
  const TINY_WAV = Buffer.from([...Buffer.from('RIFF'), 4, 0, 0, 0, ...Buffer.from('WAVE')]);
  /** A tar whose entries are all valid-looking, as many as asked: the reader must stop counting. */
  const manyEntries = (count: number): TarEntry[] => Array.from({ length: count }, (_, i) => ({ name: `media/TV-000001-${i % 10_000}.wav`.replace('TV-000001', `TV-${String(Math.floor(i / 10_000) + 1).padStart(6, '0')}`), content: TINY_WAV }));

  const cases: Case[] = [
    // age: malformed stanzas beyond non-canonical base64 and long lines.
    { name: 'age: an X25519 stanza with an extra argument', code: 'AGE_BAD_STANZA', build: withHeader((s) => `age-encryption.org/v1\n${s.replace(x25519Line(s), `${x25519Line(s)} extra`)}---`) },
    { name: 'age: an X25519 stanza body of 31 bytes', code: 'AGE_BAD_STANZA', build: withHeader((s) => `age-encryption.org/v1\n${s.replace(x25519Body(s), b64(randomBytes(31)))}---`) },
    { name: 'age: an X25519 share of 31 bytes', code: 'AGE_BAD_STANZA', build: withHeader((s) => `age-encryption.org/v1\n${s.replace(x25519Line(s), `-> X25519 ${b64(randomBytes(31))}`)}---`) },
    { name: 'age: a stanza without its body line', code: 'AGE_BAD_STANZA', build: withHeader((s) => `age-encryption.org/v1\n${x25519Line(s)}\n---`) },
    { name: 'age: a header with no stanza at all', code: 'AGE_BAD_HEADER', build: withHeader(() => 'age-encryption.org/v1\n---') },
    { name: 'age: a stanza with an empty argument', code: 'AGE_BAD_STANZA', build: withHeader((s) => `age-encryption.org/v1\n${s.replace(x25519Line(s), `${x25519Line(s).replace('-> X25519 ', '-> X25519  ')}`)}---`) },
    { name: 'age: a future version line', code: 'AGE_BAD_HEADER', build: withHeader((s) => `age-encryption.org/v2\n${s}---`) },
    { name: 'age: a body line with a character outside base64', code: 'AGE_BAD_STANZA', build: withHeader((s) => `age-encryption.org/v1\n${s.replace(x25519Body(s), `${x25519Body(s).slice(0, 10)}*${x25519Body(s).slice(11)}`)}---`) },

    // Names of 10 KB, by every route a tar has for long names, and in the signed manifests.
    { name: 'tar: a 10 KB name in a GNU long-name entry', code: 'TAR_EXTENDED_HEADER', build: hostile({ extraEntries: [{ name: '././@LongLink', content: Buffer.from(`${longName(10 * 1024)}\0`), fields: { typeflag: 'L' } }] }) },
    { name: 'tar: a 10 KB name in a pax path record', code: 'TAR_EXTENDED_HEADER', build: hostile({ extraEntries: [{ name: 'PaxHeader', content: Buffer.from(`10253 path=${longName(10 * 1024)}\n`), fields: { typeflag: 'x' } }] }) },
    { name: 'tar: a 10 KB name in a global pax header', code: 'TAR_EXTENDED_HEADER', build: hostile({ extraEntries: [{ name: 'GlobalHead', content: Buffer.from(`10253 path=${longName(10 * 1024)}\n`), fields: { typeflag: 'g' } }] }) },
    { name: 'manifest: a 10 KB file name in the signed inner manifest', code: 'MANIFEST_MALFORMED', build: hostile({ editInner: (m) => { m.files.push({ path: longName(10 * 1024), sha256: '0'.repeat(64), size: 1 }); } }) },
    { name: 'manifest: a 10 KB file name in the signed outer manifest', code: 'MANIFEST_MALFORMED', build: hostile({ editOuter: (m) => { m.files.push({ path: longName(10 * 1024), sha256: '0'.repeat(64), size: 1 }); } }) },

    // Size bombs.
    { name: 'bomb: a tar entry declaring 2^63 - 1 bytes (base-256 size)', code: 'TAR_SIZE_ABSURD', build: hostile({ extraEntries: [{ name: 'CUSTODY.csv', content: Buffer.alloc(0), patch: (h) => { h.set(Buffer.from([0x80, 0, 0, 0, 0x7f, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff]), 124); fixChecksum(h); } }] }) },
    { name: 'bomb: a signed manifest declaring a 2^63-byte payload', code: 'MANIFEST_MALFORMED', build: hostile({ editOuter: (m) => { m.payload.plaintextSize = 2 ** 63; } }) },
    { name: 'bomb: a signed manifest declaring a 2^53 - 1-byte payload (the largest exact size)', code: 'BUNDLE_TOO_LARGE', build: hostile({ editOuter: (m) => { m.payload.plaintextSize = Number.MAX_SAFE_INTEGER; } }) },
    { name: 'bomb: a signed manifest declaring a 2^63-byte payload.age', code: 'MANIFEST_MALFORMED', build: hostile({ editOuter: (m) => { m.payload.size = 2 ** 63; } }) },
    { name: 'bomb: a signed inner manifest declaring a 2^63-byte file', code: 'MANIFEST_MALFORMED', build: hostile({ editInner: (m) => { const file = m.files[0]; if (file) file.size = 2 ** 63; } }) },
    { name: 'bomb: a tar with more entries than any bundle may hold (100,001 of a claimed million)', code: 'TAR_TOO_MANY_ENTRIES', build: hostile({ extraEntries: manyEntries(100_001) }) },
    {
      name: 'bomb: a signed manifest listing a million files', code: 'BUNDLE_FILE_TOO_LARGE',
      build: hostile({ editOuter: (m) => { for (let i = 0; i < 1_000_000; i += 1) m.files.push({ path: `testimonies/TV-${String(i + 2).padStart(7, '0')}.json`, sha256: '0'.repeat(64), size: 1 }); } }),
    },

    // Decompression bombs: nothing in a bundle is ever inflated, so each must be refused as what it is.
    {
      name: 'bomb: a gzip-compressed tar (100 MiB of zeros in 100 KB) as the payload', code: 'TAR_BAD_CHECKSUM',
      build: hostile({ editEntries: (entries) => { entries.splice(0, entries.length); }, tarWithoutEnd: true, tarSuffix: gzipSync(Buffer.alloc(100 * 1024 * 1024), { level: 9 }) }),
    },
    { name: 'bomb: a testimony of 1,000,000 nested arrays', code: 'TESTIMONY_MALFORMED', build: hostile({ files: [{ name: 'testimonies/TV-000001.json', content: Buffer.from(`${'['.repeat(1_000_000)}${']'.repeat(1_000_000)}`) }, ...baseFiles().slice(1)] }) },
    { name: 'bomb: a JPEG whose huge scan expands far beyond its bytes', code: 'IMAGE_ABSURD_DIMENSIONS', build: hostile({ extraEntries: [{ name: 'media/TV-000001-1.jpg', content: jpegHeaderOnly(30_001, 30_001) }] }) },
  ];

  it('covers every missing category with at least 20 bundles', () => {
    expect(cases.length).toBeGreaterThanOrEqual(20);
  });

  for (const [index, testCase] of cases.entries()) {
    it(`refuses ${testCase.name} with ${testCase.code}`, async () => {
      const caseDir = path.join(work, `case-${index}`);
      fs.mkdirSync(caseDir);
      const extraOptions = testCase.build(caseDir);
      const before = listFiles(caseDir);
      const outDir = path.join(caseDir, 'out');
      const options: OpenBundleOptions = { bundleDir: path.join(caseDir, 'bundle'), outDir, identityText: key.identityText, ...extraOptions };
      const { result: code, peakDelta, milliseconds } = await peakRssDuring(() => errorCodeOf(() => openBundle(options)));
      figures.push(`${code.padEnd(26)} peak RSS +${(peakDelta / 1024 / 1024).toFixed(1).padStart(6)} MiB  ${milliseconds.toFixed(0).padStart(6)} ms  ${testCase.name}`);
      expect(code).toBe(testCase.code);
      expect(fs.existsSync(outDir)).toBe(false);
      expect(listFiles(caseDir)).toEqual(before);
      expect(peakDelta).toBeLessThan(RSS_BUDGET_BYTES);
      refused += 1;
    });
  }

  it('opens the same hostile exporter\'s well-formed bundle (the cases fail for their flaw, not for the exporter)', async () => {
    const caseDir = path.join(work, 'well-formed');
    const options = hostile({})(caseDir);
    const result = await openBundle({ bundleDir: path.join(caseDir, 'bundle'), outDir: path.join(caseDir, 'out'), identityText: key.identityText, ...options });
    expect(result.files.map((file) => file.path)).toContain('testimonies/TV-000001.json');
    expect(parseAgeHeader(fs.readFileSync(path.join(caseDir, 'bundle', 'payload.age'))).stanzas).toHaveLength(1);
  });
});

/** A baseline JPEG that is only its frame header: `width` × `height` pixels announced, no scan data. */
function jpegHeaderOnly(width: number, height: number): Buffer {
  const sof = Buffer.from([0xff, 0xc0, 0x00, 0x11, 0x08, height >> 8, height & 0xff, width >> 8, width & 0xff, 0x03, 0x01, 0x22, 0x00, 0x02, 0x11, 0x01, 0x03, 0x11, 0x01]);
  return Buffer.concat([Buffer.from([0xff, 0xd8]), sof, Buffer.from([0xff, 0xd9])]);
}
