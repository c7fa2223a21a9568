import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { ExportError } from '../../../src/main/core/export/ExportError.js';
import { openBundle } from '../../../src/main/core/export/openBundle.js';
import { defaultRedactor } from '../../../src/main/core/redaction/applyRedactions.js';
import type { Redactor } from '../../../src/main/core/redaction/redactionRules.js';
import { createTestVault, errorCodeOf, sampleTestimony, type VaultFixture } from '../coreFixtures.js';
import { PHOTO_WITH_GPS, exportTo, lawyerKey, type LawyerKey } from './exportFixtures.js';

type Consent = { scopes: string[]; anonymity: boolean; mediaUse: boolean; withdrawn: boolean };

/** A WAV whose LIST/INFO chunk names the witness, as recorders do. */
function wavWithInfo(name: string): Buffer {
  const chunk = (id: string, body: Buffer) => Buffer.concat([Buffer.from(id, 'ascii'), Buffer.from(Uint32Array.of(body.length).buffer), body, body.length % 2 ? Buffer.alloc(1) : Buffer.alloc(0)]);
  const fmt = Buffer.alloc(16);
  fmt.writeUInt16LE(1, 0); // PCM
  fmt.writeUInt16LE(1, 2); // mono
  fmt.writeUInt32LE(8000, 4);
  fmt.writeUInt32LE(16000, 8);
  fmt.writeUInt16LE(2, 12);
  fmt.writeUInt16LE(16, 14);
  const audio = Buffer.alloc(200_001, 7);
  const info = chunk('LIST', Buffer.concat([Buffer.from('INFO'), chunk('IART', Buffer.from(`${name}\0`)), chunk('ICMT', Buffer.from('Recorded at the witness home in Gaziantep\0'))]));
  const body = Buffer.concat([Buffer.from('WAVE'), chunk('fmt ', fmt), info, chunk('data', audio), chunk('bext', Buffer.from(`originator ${name}`))]);
  return Buffer.concat([Buffer.from('RIFF'), Buffer.from(Uint32Array.of(body.length).buffer), body]);
}

describe('export: consent item by item, and what happens to each kind of media', () => {
  let vault: VaultFixture;
  let work: string;
  let key: LawyerKey;
  const ids: Record<string, string> = {};

  const add = (name: string, consent: Consent) => {
    ids[name] = vault.service.addTestimony({ ...sampleTestimony(), reference: `REF-${name}`, consent }).testimonyId;
    return ids[name] ?? '';
  };
  const id = (name: string) => ids[name] ?? '';

  beforeAll(async () => {
    vault = await createTestVault();
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'tv-consent-'));
    key = lawyerKey(work);
    await vault.service.addMedia(add('A', { scopes: ['icc', 'ngo'], anonymity: true, mediaUse: true, withdrawn: false }), PHOTO_WITH_GPS, { custodian: 'team A' });
    add('withdrawn', { scopes: ['icc'], anonymity: true, mediaUse: true, withdrawn: true });
    add('ngoOnly', { scopes: ['ngo'], anonymity: true, mediaUse: true, withdrawn: false });
    await vault.service.addMedia(add('noMedia', { scopes: ['icc'], anonymity: true, mediaUse: false, withdrawn: false }), PHOTO_WITH_GPS, { custodian: 'team A' });
    const named = add('named', { scopes: ['icc', 'public'], anonymity: false, mediaUse: true, withdrawn: false });
    const files = { 'interview.wav': wavWithInfo('Samir Youssef Qassem'), 'clip.mp4': Buffer.from('not really a video'), 'statement.pdf': Buffer.from('%PDF-1.4 Samir') };
    for (const [name, bytes] of Object.entries(files)) {
      const file = path.join(work, name);
      fs.writeFileSync(file, bytes);
      await vault.service.addMedia(named, file, { custodian: 'team B' });
    }
    await vault.service.addMedia(named, PHOTO_WITH_GPS, { custodian: 'team B' });
  });
  afterAll(() => {
    vault.cleanup();
    fs.rmSync(work, { recursive: true, force: true });
  });

  const readTestimony = (dir: string, control: string) => JSON.parse(fs.readFileSync(path.join(dir, 'testimonies', `${control}.json`), 'utf8')) as Record<string, unknown> & { people: Record<string, unknown>[]; excludedMedia: { reason: string }[]; media: { file: string }[] };

  it('refuses withdrawn and out-of-scope consent item by item, and writes nothing without --skip-refused', async () => {
    const outDir = path.join(work, 'refused');
    const error = await exportTo(vault.service, { testimonyIds: [id('A'), id('withdrawn'), id('ngoOnly'), 'f'.repeat(32)], profile: 'icc', recipients: [key.recipient], outDir }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ExportError);
    const exportError = error as ExportError;
    expect(exportError.code).toBe('ITEMS_REFUSED');
    expect(exportError.report?.refused).toEqual([
      { testimonyId: id('withdrawn'), code: 'CONSENT_WITHDRAWN', reason: 'consent was withdrawn' },
      { testimonyId: id('ngoOnly'), code: 'CONSENT_SCOPE', reason: 'consent covers ngo, not icc' },
      { testimonyId: 'f'.repeat(32), code: 'NOT_FOUND', reason: 'no testimony with this id' },
    ]);
    expect(fs.existsSync(outDir)).toBe(false);
  });

  it('exports the rest with --skip-refused and reports the refused ones', async () => {
    const outDir = path.join(work, 'skipped');
    const report = await exportTo(vault.service, { testimonyIds: [id('A'), id('withdrawn'), id('ngoOnly')], profile: 'icc', recipients: [key.recipient], outDir, skipRefused: true });
    expect(report.items.map((item) => item.testimonyId)).toEqual([id('A')]);
    expect(report.refused.map((item) => item.code)).toEqual(['CONSENT_WITHDRAWN', 'CONSENT_SCOPE']);
    expect(await errorCodeOf(() => exportTo(vault.service, { testimonyIds: [id('withdrawn')], profile: 'icc', recipients: [key.recipient], outDir: path.join(work, 'none'), skipRefused: true }))).toBe('NOTHING_TO_EXPORT');
  });

  it('excludes every media item, with a note, where consent does not cover media use', async () => {
    const outDir = path.join(work, 'no-media');
    const report = await exportTo(vault.service, { testimonyIds: [id('noMedia')], profile: 'icc', recipients: [key.recipient], outDir });
    expect(report.items[0]?.media).toEqual([expect.objectContaining({ status: 'excluded', reason: 'consent does not cover the use of media' })]);
    const opened = path.join(work, 'no-media-open');
    await openBundle({ bundleDir: outDir, outDir: opened, identityText: key.identityText });
    const testimony = readTestimony(opened, report.items[0]?.controlNumber ?? '');
    expect(testimony.media).toEqual([]);
    expect(testimony.excludedMedia).toEqual([{ reason: 'consent does not cover the use of media' }]);
    expect(fs.existsSync(path.join(opened, 'media'))).toBe(false);
  });

  it('keeps names where anonymity was not asked for, strips WAV metadata while streaming, and excludes video and PDF with a note', async () => {
    const outDir = path.join(work, 'named');
    const report = await exportTo(vault.service, { testimonyIds: [id('named')], profile: 'icc', recipients: [key.recipient], outDir });
    const item = report.items[0];
    expect(item?.anonymised).toBe(false);
    expect(item?.media.map((m) => (m.status === 'included' ? m.file : m.reason))).toEqual([
      `media/${item?.controlNumber}-1.wav`,
      'video cannot be redacted or stripped of its metadata safely yet; excluded',
      'PDF documents cannot be redacted safely yet; excluded',
      `media/${item?.controlNumber}-2.jpg`,
    ]);
    const opened = path.join(work, 'named-open');
    await openBundle({ bundleDir: outDir, outDir: opened, identityText: key.identityText });
    const testimony = readTestimony(opened, item?.controlNumber ?? '');
    expect(testimony.people[0]).toMatchObject({ role: 'interviewee', name: 'Samir Youssef Qassem' });
    expect(testimony.interviewer).toBe('Documentation team A');
    const wav = fs.readFileSync(path.join(opened, `media/${item?.controlNumber}-1.wav`));
    expect(wav.subarray(0, 4).toString()).toBe('RIFF');
    expect(wav.readUInt32LE(4)).toBe(wav.length - 8);
    expect(wav.includes('LIST')).toBe(false);
    expect(wav.includes('bext')).toBe(false);
    expect(wav.includes('Samir')).toBe(false);
    expect(wav.includes('Gaziantep')).toBe(false);
    expect(wav.length).toBe(12 + 8 + 16 + 8 + 200_001 + 1);
  });

  it('anonymises fully under public even without an anonymity request: pseudonyms, year-only date, no voice, no original hashes', async () => {
    const outDir = path.join(work, 'public');
    const report = await exportTo(vault.service, { testimonyIds: [id('named')], profile: 'public', recipients: [key.recipient], outDir });
    const item = report.items[0];
    expect(item?.anonymised).toBe(true);
    expect(item?.media.find((m) => m.status === 'excluded' && m.reason.startsWith('audio excluded'))).toBeDefined();
    const opened = path.join(work, 'public-open');
    await openBundle({ bundleDir: outDir, outDir: opened, identityText: key.identityText });
    const testimony = readTestimony(opened, item?.controlNumber ?? '');
    expect(testimony.people[0]).toEqual({ role: 'interviewee', pseudonym: '[WITNESS-1]' });
    expect(testimony.interviewDate).toBe('2025');
    expect(testimony.interviewer).toBeUndefined();
    expect(String(testimony.transcript)).not.toMatch(/Samir|Qassem|0933/);
    expect(fs.readFileSync(path.join(opened, 'CUSTODY.csv'), 'utf8')).toContain('withheld (public export)');
  });

  it('streams a large recording through the payload without holding it in memory', async () => {
    const size = 96 * 1024 * 1024;
    const file = path.join(work, 'long.wav');
    const header = wavWithInfo('x').subarray(0, 36);
    const out = fs.openSync(file, 'w');
    fs.writeSync(out, Buffer.concat([Buffer.from('RIFF'), Buffer.from(Uint32Array.of(size + 36).buffer), header.subarray(8, 36), Buffer.from('data'), Buffer.from(Uint32Array.of(size).buffer)]));
    const block = Buffer.alloc(1024 * 1024, 5);
    for (let written = 0; written < size; written += block.length) fs.writeSync(out, block);
    fs.closeSync(out);
    const longId = add('long', { scopes: ['icc'], anonymity: false, mediaUse: true, withdrawn: false });
    await vault.service.addMedia(longId, file, { custodian: 'team C' });
    fs.rmSync(file);
    const used = () => process.memoryUsage().heapUsed + process.memoryUsage().arrayBuffers;
    const before = used();
    let peak = before;
    const sampler = setInterval(() => (peak = Math.max(peak, used())), 2);
    const report = await exportTo(vault.service, { testimonyIds: [longId], profile: 'icc', recipients: [key.recipient], outDir: path.join(work, 'long') });
    clearInterval(sampler);
    expect(report.items[0]?.media[0]).toMatchObject({ status: 'included' });
    expect(fs.statSync(path.join(work, 'long', 'payload.age')).size).toBeGreaterThan(size);
    expect(peak - before).toBeLessThan(size / 2);
  });

  it('writes the payload back to disk while it streams (fdatasync every 64 MiB), and a failed write-back fails the export, leaving nothing', async () => {
    // The 96 MiB recording the test above added. FileHandle is not exported: its prototype is taken from a handle.
    const probe = await fs.promises.open(path.join(work, 'probe'), 'w');
    const fileHandle = Object.getPrototypeOf(probe) as { datasync: () => Promise<void> };
    await probe.close();
    const datasync = vi.spyOn(fileHandle, 'datasync');
    try {
      await exportTo(vault.service, { testimonyIds: [id('long')], profile: 'icc', recipients: [key.recipient], outDir: path.join(work, 'written-back') });
      expect(datasync).toHaveBeenCalled();
      datasync.mockRejectedValue(Object.assign(new Error('EIO: i/o error, fdatasync'), { code: 'EIO' }));
      const outDir = path.join(work, 'write-back-fails');
      const error = await exportTo(vault.service, { testimonyIds: [id('long')], profile: 'icc', recipients: [key.recipient], outDir }).catch((caught: unknown) => caught);
      expect((error as { code?: string }).code).toBe('EIO');
      expect(fs.existsSync(outDir)).toBe(false);
    } finally {
      datasync.mockRestore();
    }
  });

  it('renders text-only items while a recording streams, and writes every file and log row in item order', async () => {
    // Named like the first item (a person named in one item and anonymised in another is a leak).
    const named = { scopes: ['icc'], anonymity: false, mediaUse: true, withdrawn: false };
    const textOnly = ['ahead1', 'ahead2', 'ahead3'].map((name) => add(name, named));
    const photoExcluded = add('aheadNoMediaUse', { ...named, mediaUse: false });
    await vault.service.addMedia(photoExcluded, PHOTO_WITH_GPS, { custodian: 'team A' });
    const testimonyIds = [id('named'), textOnly[0] ?? '', photoExcluded, ...textOnly.slice(1)];
    const calls: string[] = [];
    const recording: Redactor = { redact: (text, field, rules) => (calls.push(field), defaultRedactor.redact(text, field, rules)) };
    const outDir = path.join(work, 'ahead');
    const report = await exportTo(vault.service, { testimonyIds, profile: 'icc', recipients: [key.recipient], outDir }, { redactor: recording });
    // The first item's custodian is redacted once its media is in; text-only items were redacted before that.
    expect(calls.slice(0, calls.indexOf('custodian')).filter((field) => field === 'transcript').length).toBeGreaterThan(0);
    const controls = report.items.map((item) => item.controlNumber);
    expect(report.items.map((item) => item.testimonyId)).toEqual(testimonyIds);
    expect([...controls].sort()).toEqual(controls);
    const opened = path.join(work, 'ahead-open');
    await openBundle({ bundleDir: outDir, outDir: opened, identityText: key.identityText });
    const manifest = JSON.parse(fs.readFileSync(path.join(opened, 'manifest.json'), 'utf8')) as { items: { controlNumber: string }[] };
    expect(manifest.items.map((item) => item.controlNumber)).toEqual(controls);
    const custodyControls = fs.readFileSync(path.join(opened, 'CUSTODY.csv'), 'utf8').split('\r\n').slice(1, -1).map((row) => row.split(',')[0]?.replaceAll('"', ''));
    expect(custodyControls.filter((control, index) => control !== custodyControls[index - 1])).toEqual(controls);
    const noMediaUse = readTestimony(opened, controls[2] ?? '');
    expect(noMediaUse.excludedMedia).toEqual([{ reason: 'consent does not cover the use of media' }]);
    expect(noMediaUse.media).toEqual([]);
    expect(noMediaUse.people[0]).toMatchObject({ role: 'interviewee', name: 'Samir Youssef Qassem' });
    expect(noMediaUse.controlNumber).toBe(controls[2]);
  });

  it('fails the whole export, leaving nothing, when an item rendered ahead fails', async () => {
    const failing = add('failsAhead', { scopes: ['icc'], anonymity: false, mediaUse: true, withdrawn: false });
    let transcripts = 0;
    const breaksOnSecond: Redactor = {
      redact: (text, field, rules) => {
        if (field === 'transcript' && (transcripts += 1) === 2) throw new Error('redactor broke on purpose');
        return defaultRedactor.redact(text, field, rules);
      },
    };
    const outDir = path.join(work, 'ahead-fails');
    const before = add('beforeFailing', { scopes: ['icc'], anonymity: false, mediaUse: true, withdrawn: false });
    await expect(exportTo(vault.service, { testimonyIds: [id('named'), before, failing], profile: 'icc', recipients: [key.recipient], outDir }, { redactor: breaksOnSecond }))
      .rejects.toThrow('redactor broke on purpose');
    expect(fs.existsSync(outDir)).toBe(false);
  });

  it('validates its options before touching anything', async () => {
    const base = { testimonyIds: [id('A')], profile: 'icc' as const, outDir: path.join(work, 'never') };
    expect(await errorCodeOf(() => exportTo(vault.service, { ...base, recipients: [key.recipient], passphrase: 'both is not allowed' }))).toBe('INVALID_OPTIONS');
    expect(await errorCodeOf(() => exportTo(vault.service, { ...base, recipients: ['age1notarecipient'] }))).toBe('INVALID_OPTIONS');
    expect(await errorCodeOf(() => exportTo(vault.service, { ...base, passphrase: 'short' }))).toBe('WEAK_PASSPHRASE');
    expect(await errorCodeOf(() => exportTo(vault.service, { ...base, recipients: [] }))).toBe('INVALID_OPTIONS');
    expect(await errorCodeOf(() => exportTo(vault.service, { ...base, profile: 'press' as 'icc', recipients: [key.recipient] }))).toBe('INVALID_OPTIONS');
    expect(fs.existsSync(base.outDir)).toBe(false);
    const busy = path.join(work, 'busy');
    fs.mkdirSync(busy);
    fs.writeFileSync(path.join(busy, 'something'), 'x');
    expect(await errorCodeOf(() => exportTo(vault.service, { ...base, outDir: busy, recipients: [key.recipient] }))).toBe('OUT_DIR_NOT_EMPTY');
    expect(fs.readdirSync(busy)).toEqual(['something']);
  });
});
