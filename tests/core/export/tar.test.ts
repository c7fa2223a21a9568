import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TarReader, type TarEntryHeader } from '../../../src/main/core/export/TarReader.js';
import { TarWriter } from '../../../src/main/core/export/TarWriter.js';

async function writeTar(entries: { name: string; content: Uint8Array }[]): Promise<Buffer> {
  const parts: Uint8Array[] = [];
  const writer = new TarWriter(async (bytes) => void parts.push(bytes.slice()), 1_700_000_000);
  for (const entry of entries) await writer.addFile(entry.name, entry.content);
  await writer.finish();
  return Buffer.concat(parts);
}

function readTar(tar: Uint8Array, chunk = 333): { header: TarEntryHeader; content: Buffer }[] {
  const out: { header: TarEntryHeader; content: Buffer }[] = [];
  const reader = new TarReader({ maxEntries: 1000, totalSize: tar.length, checkEntry: () => undefined });
  let current: { header: TarEntryHeader; parts: Uint8Array[] } | null = null;
  for (let i = 0; i < tar.length; i += chunk) {
    for (const event of reader.push(tar.subarray(i, i + chunk))) {
      if (event.type === 'entry') current = { header: event.header, parts: [] };
      else if (event.type === 'data') current?.parts.push(event.bytes.slice());
      else if (current) out.push({ header: current.header, content: Buffer.concat(current.parts) });
    }
  }
  reader.finish();
  return out;
}

describe('ustar writer and strict reader', () => {
  let work: string;
  beforeAll(() => {
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'tv-tar-'));
  });
  afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

  it('writes archives GNU tar lists and extracts byte for byte', async () => {
    const entries = [
      { name: 'testimonies/TV-000001.json', content: Buffer.from('{"a":1}') },
      { name: 'media/TV-000001-1.jpg', content: Buffer.alloc(70_000, 9) },
      { name: 'SHA256SUMS', content: Buffer.alloc(0) },
    ];
    const tar = await writeTar(entries);
    fs.writeFileSync(path.join(work, 'a.tar'), tar);
    expect(execFileSync('tar', ['-tf', path.join(work, 'a.tar')], { encoding: 'utf8' }).trim().split('\n')).toEqual(entries.map((e) => e.name));
    fs.mkdirSync(path.join(work, 'x'));
    execFileSync('tar', ['-xf', path.join(work, 'a.tar'), '-C', path.join(work, 'x')]);
    for (const entry of entries) expect(fs.readFileSync(path.join(work, 'x', entry.name)).equals(entry.content)).toBe(true);
  });

  it('reads a plain-file ustar archive made by GNU tar, and refuses GNU tar\'s own directory entries', () => {
    const src = path.join(work, 'src');
    fs.mkdirSync(path.join(src, 'media'), { recursive: true });
    fs.writeFileSync(path.join(src, 'media', 'TV-000001-1.wav'), Buffer.alloc(1000, 3));
    fs.writeFileSync(path.join(src, 'manifest.json'), '{}');
    execFileSync('tar', ['--format=ustar', '-cf', path.join(work, 'gnu.tar'), '-C', src, 'manifest.json', 'media/TV-000001-1.wav']);
    expect(readTar(fs.readFileSync(path.join(work, 'gnu.tar'))).map((e) => [e.header.name, e.content.length])).toEqual([['manifest.json', 2], ['media/TV-000001-1.wav', 1000]]);
    execFileSync('tar', ['--format=ustar', '-cf', path.join(work, 'dirs.tar'), '-C', src, 'media']);
    expect(() => readTar(fs.readFileSync(path.join(work, 'dirs.tar')))).toThrow(expect.objectContaining({ code: 'TAR_UNEXPECTED_ENTRY' }));
  });

  it('reads back exactly what it wrote, for any entries and any chunking (property)', async () => {
    const name = fc.stringMatching(/^[a-z][a-z0-9._-]{0,20}(\/[a-z0-9][a-z0-9._-]{0,20})?$/).filter((n) => !n.split('/').some((p) => p === '.' || p === '..'));
    await fc.assert(
      fc.asyncProperty(fc.uniqueArray(fc.record({ name, content: fc.uint8Array({ maxLength: 3000 }) }), { selector: (e) => e.name, maxLength: 6 }), fc.integer({ min: 1, max: 2000 }), async (entries, chunk) => {
        const tar = await writeTar(entries);
        expect(readTar(tar, chunk).map((e) => ({ name: e.header.name, content: new Uint8Array(e.content) }))).toEqual(entries.map((e) => ({ name: e.name, content: new Uint8Array(e.content) })));
      }),
      { numRuns: 100 },
    );
  });

  it('refuses names it would never write', async () => {
    const writer = new TarWriter(async () => undefined, 0);
    for (const bad of ['../x', '/abs', 'a//b', 'a/./b', 'é.json', 'a\\b', `${'a'.repeat(100)}`]) await expect(writer.beginFile(bad, 0)).rejects.toThrow();
  });
});
