import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Decrypter, Encrypter } from 'age-encryption';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeBech32, encodeBech32 } from '../../../src/main/core/crypto/bech32.js';
import {
  AgeEncryptor, AgeSealWorker, ensureSodium, formatMinisignPublicKeyFile, generateAgeIdentity, generateSigningKeyPair, minisignKeyOf, openAgeHeader,
  parseAgeIdentityFile, parseAgeRecipient, parseMinisignPublicKey, signManifest, verifyManifestSignature, type AgeDecryptionKey,
} from '../../../src/main/core/crypto/index.js';
import { errorCodeOf } from '../coreFixtures.js';
import { lawyerKey, run, type LawyerKey } from './exportFixtures.js';

async function encrypt(plain: Uint8Array, recipients: string[], pieces = 9000): Promise<Buffer> {
  const encryptor = await AgeEncryptor.create({ kind: 'recipients', recipients: recipients.map(parseAgeRecipient) });
  const parts: Uint8Array[] = [encryptor.header];
  for (let i = 0; i < plain.length; i += pieces) parts.push(...encryptor.push(plain.subarray(i, i + pieces)));
  parts.push(encryptor.finish());
  return Buffer.concat(parts);
}

async function decrypt(file: Uint8Array, keys: AgeDecryptionKey[], pieces = 7000): Promise<Buffer> {
  const { header, decryptor } = await openAgeHeader(file, keys);
  const out: Uint8Array[] = [];
  for (let i = header.length; i < file.length; i += pieces) out.push(...decryptor.push(file.subarray(i, Math.min(i + pieces, file.length))));
  out.push(decryptor.finish());
  return Buffer.concat(out);
}

describe('age v1 (our implementation) against the real age and the age-encryption library', () => {
  let work: string;
  let key: LawyerKey;
  beforeAll(async () => {
    await ensureSodium();
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'tv-age-'));
    key = lawyerKey(work);
  });
  afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

  for (const size of [0, 1, 65_535, 65_536, 65_537, 200_000, 131_072]) {
    it(`round-trips ${size} bytes both ways with age 1.x`, async () => {
      const plain = Buffer.from(Array.from({ length: size }, (_, i) => (i * 31) % 251));
      const mine = await encrypt(plain, [key.recipient]);
      fs.writeFileSync(path.join(work, 'mine.age'), mine);
      expect(Buffer.compare(execFileSync('age', ['-d', '-i', key.keyPath, path.join(work, 'mine.age')], { maxBuffer: 1 << 24 }), plain)).toBe(0);
      fs.writeFileSync(path.join(work, 'plain.bin'), plain);
      execFileSync('age', ['-e', '-r', key.recipient, '-o', path.join(work, 'theirs.age'), path.join(work, 'plain.bin')]);
      expect(Buffer.compare(await decrypt(fs.readFileSync(path.join(work, 'theirs.age')), parseAgeIdentityFile(key.identityText)), plain)).toBe(0);
    });
  }

  /** Seals `plain` through the worker into a new file, pushed in the given piece sizes (cycled). */
  async function sealInWorker(file: string, plain: Uint8Array, pieces: readonly number[]): Promise<{ sha256: string; size: number; headerBytes: number }> {
    const encryptor = await AgeEncryptor.create({ kind: 'recipients', recipients: [parseAgeRecipient(key.recipient)] });
    const handle = await fs.promises.open(file, 'wx', 0o600);
    try {
      const sealer = await AgeSealWorker.start(encryptor, handle.fd);
      // The encryptor gave its key away: it can no longer seal anything itself.
      expect(() => encryptor.push(new Uint8Array(1))).toThrow(/finished/);
      for (let offset = 0, turn = 0; offset < plain.length; turn += 1) {
        const size = pieces[turn % pieces.length] ?? 1;
        await sealer.push(plain.subarray(offset, offset + size));
        offset += size;
      }
      return { ...(await sealer.finish()), headerBytes: encryptor.header.length };
    } finally {
      await handle.close();
    }
  }

  for (const size of [0, 1, 65_536, 1_048_576, 1_048_576 + 65_536 * 3 + 17, 3_500_001]) {
    it(`seals ${size} bytes in the worker as age 1.x reads them, the final flag on the last chunk only`, async () => {
      const plain = Buffer.from(Array.from({ length: size }, (_, i) => (i * 131 + (i >> 16)) % 253));
      const file = path.join(work, `worker-${size}.age`);
      const sealed = await sealInWorker(file, plain, [1, 70_000, 512, 1_048_576, 65_536, 333]);
      const written = fs.readFileSync(file);
      expect(sealed).toEqual({ sha256: createHash('sha256').update(written).digest('hex'), size: written.length, headerBytes: sealed.headerBytes });
      // The header (with the payload nonce), then one 16-byte tag per 64 KiB chunk: no empty final chunk after a full one.
      expect(written.length).toBe(sealed.headerBytes + size + 16 * Math.max(1, Math.ceil(size / 65_536)));
      expect(Buffer.compare(execFileSync('age', ['-d', '-i', key.keyPath, file], { maxBuffer: 1 << 23 }), plain)).toBe(0);
      expect(Buffer.compare(await decrypt(written, parseAgeIdentityFile(key.identityText)), plain)).toBe(0);
    });
  }

  it('reports a write the worker could not make with its system error, so the caller can say why', async () => {
    const encryptor = await AgeEncryptor.create({ kind: 'recipients', recipients: [parseAgeRecipient(key.recipient)] });
    const file = path.join(work, 'read-only.age');
    fs.writeFileSync(file, '');
    const handle = await fs.promises.open(file, 'r');
    try {
      // The header is written first, so the start already fails (and stops its worker).
      const error = await AgeSealWorker.start(encryptor, handle.fd).then(async (sealer) => {
        await sealer.push(new Uint8Array(3 * 1024 * 1024));
        return sealer.finish();
      }).then(() => null, (e: unknown) => e);
      expect(error).toMatchObject({ code: 'EBADF', syscall: 'write' });
    } finally {
      await handle.close();
    }
    expect(fs.statSync(file).size).toBe(0);
  });

  it('interoperates with the age-encryption library (which the viewer uses), for identities and passphrases', async () => {
    const plain = new TextEncoder().encode('شهادة: testimony '.repeat(10_000));
    const decrypter = new Decrypter();
    decrypter.addIdentity(key.identityText.split('\n').find((line) => line.startsWith('AGE-SECRET-KEY-1')) ?? '');
    expect(Buffer.compare(Buffer.from(await decrypter.decrypt(await encrypt(plain, [key.recipient]))), Buffer.from(plain))).toBe(0);
    const passphraseFile = await AgeEncryptor.create({ kind: 'passphrase', passphrase: 'lawyer words here', workFactor: 12 });
    const sealed = Buffer.concat([passphraseFile.header, ...passphraseFile.push(plain), passphraseFile.finish()]);
    const byPassphrase = new Decrypter();
    byPassphrase.addPassphrase('lawyer words here');
    expect(Buffer.from(await byPassphrase.decrypt(sealed)).equals(Buffer.from(plain))).toBe(true);
    const encrypter = new Encrypter();
    encrypter.setPassphrase('lawyer words here');
    encrypter.setScryptWorkFactor(12);
    expect((await decrypt(await encrypter.encrypt(plain), [{ kind: 'scrypt', passphrase: 'lawyer words here', maxWorkFactor: 20 }])).equals(Buffer.from(plain))).toBe(true);
    expect(await errorCodeOf(() => decrypt(sealed, [{ kind: 'scrypt', passphrase: 'lawyer words here', maxWorkFactor: 11 }]))).toBe('AGE_BAD_SCRYPT');
    expect(await errorCodeOf(() => decrypt(sealed, [{ kind: 'scrypt', passphrase: 'other words', maxWorkFactor: 20 }]))).toBe('AGE_NO_IDENTITY_MATCHED');
  });

  it('parses keys strictly and makes keys the real age-keygen accepts', () => {
    expect(() => parseAgeRecipient(key.recipient.toUpperCase())).toThrow(expect.objectContaining({ code: 'AGE_BAD_KEY' }));
    expect(() => parseAgeRecipient(`${key.recipient.slice(0, -1)}q`)).toThrow(expect.objectContaining({ code: 'AGE_BAD_KEY' }));
    // The all-zero point (low order) as a recipient.
    expect(() => parseAgeRecipient(encodeBech32('age', new Uint8Array(32)))).toThrow(expect.objectContaining({ code: 'AGE_BAD_KEY' }));
    expect(() => parseAgeIdentityFile('# only a comment\n')).toThrow(expect.objectContaining({ code: 'AGE_BAD_KEY' }));
    expect(() => parseAgeIdentityFile('AGE-SECRET-KEY-1NOTREALLY\n')).toThrow(expect.objectContaining({ code: 'AGE_BAD_KEY' }));
    const generated = generateAgeIdentity(new Date('2025-02-01T00:00:00Z'));
    fs.writeFileSync(path.join(work, 'gen.txt'), generated.fileText);
    expect(run('age-keygen', ['-y', path.join(work, 'gen.txt')]).trim()).toBe(generated.recipient);
    expect(decodeBech32(generated.recipient)?.hrp).toBe('age');
    expect(decodeBech32('AGE1Mixedcase')).toBeNull();
  });
});

describe('minisign (our signatures) against the real minisign', () => {
  let work: string;
  beforeAll(async () => {
    await ensureSodium();
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'tv-minisign-'));
  });
  afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

  it('signs so that minisign -V verifies, trusted comment included, and refuses tampering', () => {
    const pair = generateSigningKeyPair();
    const message = Buffer.from('{"manifest": true}\n');
    fs.writeFileSync(path.join(work, 'm.json'), message);
    fs.writeFileSync(path.join(work, 'm.json.minisig'), signManifest(pair.secretKey, pair.publicKey, message, 'tvault-bundle 00 payload.age sha256=ab'));
    fs.writeFileSync(path.join(work, 'k.pub'), formatMinisignPublicKeyFile(minisignKeyOf(pair.publicKey)));
    expect(run('minisign', ['-Vm', path.join(work, 'm.json'), '-p', path.join(work, 'k.pub')])).toContain('Trusted comment: tvault-bundle 00 payload.age sha256=ab');
    fs.writeFileSync(path.join(work, 'm.json'), Buffer.from('{"manifest": false}\n'));
    expect(() => run('minisign', ['-Vm', path.join(work, 'm.json'), '-p', path.join(work, 'k.pub')])).toThrow();
    expect(() => signManifest(pair.secretKey, pair.publicKey, message, 'line\nforged: yes')).toThrow(expect.objectContaining({ code: 'SIGNATURE_MALFORMED' }));
  });

  it('verifies signatures made by minisign itself, and names the key mismatch', () => {
    execFileSync('minisign', ['-G', '-W', '-p', path.join(work, 'real.pub'), '-s', path.join(work, 'real.key')]);
    fs.writeFileSync(path.join(work, 'f.txt'), 'hello');
    execFileSync('minisign', ['-S', '-s', path.join(work, 'real.key'), '-m', path.join(work, 'f.txt'), '-t', 'a trusted comment']);
    const key = parseMinisignPublicKey(fs.readFileSync(path.join(work, 'real.pub'), 'utf8'));
    const signature = fs.readFileSync(path.join(work, 'f.txt.minisig'), 'utf8');
    expect(verifyManifestSignature(key, signature, Buffer.from('hello'))).toEqual({ trustedComment: 'a trusted comment' });
    expect(() => verifyManifestSignature(key, signature, Buffer.from('hellO'))).toThrow(expect.objectContaining({ code: 'SIGNATURE_INVALID' }));
    expect(() => verifyManifestSignature(minisignKeyOf(generateSigningKeyPair().publicKey), signature, Buffer.from('hello'))).toThrow(expect.objectContaining({ code: 'SIGNER_KEY_MISMATCH' }));
  });
});
