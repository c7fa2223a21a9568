import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ExportError } from '../../../src/main/core/export/ExportError.js';
import type { ExportReport } from '../../../src/main/core/export/exportReport.js';
import { sanitizedBytes } from '../../../src/main/core/export/ExportBytes.js';
import { LeakChecker } from '../../../src/main/core/export/LeakChecker.js';
import type { ImageSanitizer } from '../../../src/main/core/export/sanitizeImage.js';
import { applyRedactions } from '../../../src/main/core/redaction/applyRedactions.js';
import { markRedacted } from '../../../src/main/core/redaction/RedactedText.js';
import type { Redactor } from '../../../src/main/core/redaction/redactionRules.js';
import type { LeakNeedle } from '../../../src/main/core/redaction/resolveRedactionRules.js';
import { createTestVault, type VaultFixture } from '../coreFixtures.js';
import { PHOTO_WITH_GPS, exportTo, lawyerKey, richSample, type LawyerKey } from './exportFixtures.js';

const ARABIC = /[\u0600-\u06FF]/;

async function failedExport(promise: Promise<unknown>): Promise<ExportError & { report: ExportReport }> {
  const error = await promise.then(() => null, (e: unknown) => e);
  expect(error).toBeInstanceOf(ExportError);
  const exportError = error as ExportError;
  expect(exportError.code).toBe('LEAK_DETECTED');
  expect(exportError.report).not.toBeNull();
  return exportError as ExportError & { report: ExportReport };
}

describe('leak check: the last line of defence stops a broken redactor', () => {
  let vault: VaultFixture;
  let work: string;
  let key: LawyerKey;
  let testimonyId: string;
  let secrets: string[];

  beforeAll(async () => {
    vault = await createTestVault();
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'tv-leak-'));
    key = lawyerKey(work);
    const sample = richSample();
    secrets = sample.secrets;
    testimonyId = vault.service.addTestimony(sample.input).testimonyId;
    await vault.service.addMedia(testimonyId, PHOTO_WITH_GPS, { custodian: 'team A' });
  });
  afterAll(() => {
    vault.cleanup();
    fs.rmSync(work, { recursive: true, force: true });
  });

  const exportWith = (outDir: string, dependencies: { redactor?: Redactor; imageSanitizer?: ImageSanitizer }) =>
    exportTo(vault.service, { testimonyIds: [testimonyId], profile: 'icc', recipients: [key.recipient], outDir }, dependencies);

  it('aborts when the redactor does nothing, naming what leaked and where, and leaves no file behind', async () => {
    const outDir = path.join(work, 'identity');
    const doNothing: Redactor = { redact: (text) => ({ text: markRedacted(text), events: [] }) };
    const error = await failedExport(exportWith(outDir, { redactor: doNothing }));
    const where = new Set(error.report.leaks.map((leak) => `${leak.file} ${leak.category}`));
    for (const expected of ['witness-name', 'person-name', 'phone', 'email', 'national-id', 'birth-date']) {
      expect([...where].some((entry) => entry.startsWith('testimonies/') && entry.endsWith(expected))).toBe(true);
    }
    expect(error.report.leaks.every((leak) => /^\[[A-Z-]+(-\d+)?\]$/.test(leak.pseudonym))).toBe(true);
    // The report and message name categories, files and pseudonyms, never the leaked text.
    const said = `${error.message}\n${JSON.stringify(error.report)}`;
    for (const secret of secrets) expect(said).not.toContain(secret);
    expect(fs.existsSync(outDir)).toBe(false);
  });

  it('catches a subtle bug: a redactor that misses names written in Arabic (with harakat)', async () => {
    const outDir = path.join(work, 'no-arabic');
    const skipsArabic: Redactor = {
      redact: (text, field, rules) => applyRedactions(text, field, { ...rules, terms: rules.terms.filter((term) => !term.patterns.some((p) => ARABIC.test(p.source))) }),
    };
    const error = await failedExport(exportWith(outDir, { redactor: skipsArabic }));
    expect(error.report.leaks).toContainEqual(expect.objectContaining({ file: expect.stringMatching(/^testimonies\//), category: 'witness-name', pseudonym: '[WITNESS-1]', variant: 'normalised' }));
    expect(error.report.leaks.filter((leak) => leak.category === 'phone')).toEqual([]);
    expect(fs.existsSync(outDir)).toBe(false);
  });

  it('catches a redactor that misses phone numbers written in Arabic-Indic digits', async () => {
    const outDir = path.join(work, 'no-digits');
    const latinDigitsOnly: Redactor = {
      redact: (text, field, rules) => {
        // The "bug": Arabic-Indic digits are hidden from the detector (as a private-use mark) and put back afterwards.
        const result = applyRedactions(text.replace(/[\u0660-\u0669]/g, '\uE000'), field, rules);
        const original = [...text.matchAll(/[\u0660-\u0669]/g)].map((m) => m[0]);
        let index = 0;
        return { ...result, text: markRedacted(result.text.replace(/\uE000/g, () => original[index++] ?? '')) };
      },
    };
    const error = await failedExport(exportWith(outDir, { redactor: latinDigitsOnly }));
    expect(error.report.leaks).toContainEqual(expect.objectContaining({ category: 'phone', variant: 'digits' }));
  });

  it('aborts when images come through with their metadata (a broken image cleaner)', async () => {
    const outDir = path.join(work, 'raw-image');
    const passThrough: ImageSanitizer = async (original) => ({ ok: true, image: { bytes: sanitizedBytes(original), width: 800, height: 600, transformations: [] } });
    const error = await failedExport(exportWith(outDir, { imageSanitizer: passThrough }));
    expect(error.report.fileProblems).toContainEqual({ file: expect.stringMatching(/^media\/TV-\d{6}-1\.jpg$/), problem: 'EXIF/XMP (APP1) metadata segment' });
    expect(error.message).toContain('EXIF/XMP (APP1) metadata segment');
    expect(fs.existsSync(outDir)).toBe(false);
  });

  it('leaves a folder it did not create empty, and never reissues the control numbers an aborted export took', async () => {
    const outDir = path.join(work, 'precreated');
    fs.mkdirSync(outDir);
    const doNothing: Redactor = { redact: (text) => ({ text: markRedacted(text), events: [] }) };
    const failed = await failedExport(exportWith(outDir, { redactor: doNothing }));
    expect(fs.readdirSync(outDir)).toEqual([]);
    const ok = await exportWith(path.join(work, 'after'), {});
    const taken = Number(failed.report.items.at(-1)?.controlNumber.split('-')[1] ?? 0);
    expect(Number(ok.items[0]?.controlNumber.split('-')[1])).toBeGreaterThan(taken);
  });
});

describe('LeakChecker on its own', () => {
  const needle = (id: string, category: LeakNeedle['category'], pseudonym: string, ...variants: string[]): LeakNeedle => ({ id, category, pseudonym: markRedacted(pseudonym), variants });
  const checker = new LeakChecker(
    [
      needle('w', 'witness-name', '[WITNESS-1]', 'Samir Youssef Qassem', 'سمير يوسف قاسم'),
      needle('p', 'phone', '[PHONE]', '+963 933 410 552'),
      needle('n', 'name-part', '[WITNESS-1]', 'Nour'),
      needle('x', 'name-part', '[PERSON-1]', 'Person'),
    ],
    ['[WITNESS-1]', '[PERSON-1]', '[PHONE]'],
  );
  const variants = (text: string, file = 'testimonies/TV-000001.json') => checker.checkText(file, text).map((finding) => `${finding.needleId}:${finding.variant}`);

  it('finds names with harakat, tatweel, other alef forms and odd spacing', () => {
    expect(variants('قال سَمِيــر يُوسُف قاسِم')).toContain('w:normalised');
    expect(variants('SAMIR  youssef\nQASSEM')).toContain('w:normalised');
    expect(variants('S.a.m.i.r Y-o-u-s-s-e-f Q_a_s_s_e_m')).toContain('w:letters-only');
    expect(variants('{"transcript": "\\u0633\\u0645\\u064a\\u0631 \\u064a\\u0648\\u0633\\u0641 \\u0642\\u0627\\u0633\\u0645"}')).toContain('w:normalised');
  });

  it('finds phone numbers with any spacing, with or without the country code, in Arabic-Indic digits', () => {
    expect(variants('call 0933-410-552')).toContain('p:digits');
    expect(variants('call ٠٩٣٣ ٤١٠ ٥٥٢')).toContain('p:digits');
    expect(variants('call 00963933410552')).toContain('p:digits');
    expect(variants('call 0933 410 553')).toEqual([]);
  });

  it('respects word boundaries for short names, but not pseudonyms or unrelated words', () => {
    expect(variants('Nour was there')).toContain('n:normalised');
    expect(variants('Nourish the prisoners; [PERSON-1] and [WITNESS-1] were there')).toEqual([]);
  });

  it('scans media bytes in UTF-8 and UTF-16 across chunk boundaries', () => {
    const scanner = checker.binaryScanner('media/x.jpg');
    const bytes = Buffer.concat([Buffer.alloc(100, 0xff), Buffer.from('Samir Youssef Qassem', 'utf16le'), Buffer.alloc(50)]);
    for (let i = 0; i < bytes.length; i += 7) scanner.push(bytes.subarray(i, i + 7));
    expect(scanner.finish().map((finding) => finding.variant)).toEqual(['bytes-utf16le']);
  });

  it('looks for a name that a thousand items all redact once, and names the first needle that brought it', () => {
    const cellmate = (item: number) => needle(`cellmate-${item}`, 'person-name', '[CELLMATE]', 'Nour Hamdan', 'نور حمدان');
    const many = new LeakChecker(Array.from({ length: 1000 }, (_, item) => cellmate(item)), ['[CELLMATE]']);
    expect(many.checkText('testimonies/TV-000002.json', 'he saw Nour Hamdan (نُور حمدان) in the cell').map((f) => `${f.needleId}:${f.variant}`)).toEqual([
      'cellmate-0:normalised',
      'cellmate-0:letters-only',
    ]);
    const scanner = many.binaryScanner('media/TV-000002-1.wav');
    scanner.push(Buffer.from('....nour hamdan....', 'latin1'));
    expect(scanner.finish().map((f) => `${f.needleId}:${f.variant}`)).toEqual(['cellmate-0:bytes-utf8']);
  });

  it('keeps the bytes of every spelling as written, even when two needles normalise alike', () => {
    const spellings = new LeakChecker([needle('a', 'person-name', '[PERSON-1]', 'ابراهيم خليل'), needle('b', 'person-name', '[PERSON-1]', 'إبراهيم خليل')], ['[PERSON-1]']);
    const scanner = spellings.binaryScanner('media/x.wav');
    scanner.push(Buffer.concat([Buffer.alloc(30), Buffer.from('إبراهيم خليل', 'utf16le'), Buffer.alloc(30)]));
    expect(scanner.finish().map((f) => `${f.needleId}:${f.variant}`)).toEqual(['b:bytes-utf16le']);
  });
});
