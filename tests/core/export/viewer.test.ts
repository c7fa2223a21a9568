import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exporterPublicKey } from '../../../src/main/core/export/exporterPublicKey.js';
import type { ExportReport } from '../../../src/main/core/export/exportReport.js';
import { createTestVault, type VaultFixture } from '../coreFixtures.js';
import { PHOTO_WITH_GPS, exportTo, lawyerKey, richSample, type LawyerKey } from './exportFixtures.js';

const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

describe('viewer.html in Chromium: offline, strict CSP, verifies before it shows', () => {
  let vault: VaultFixture;
  let work: string;
  let key: LawyerKey;
  let bundle: string;
  let report: ExportReport;
  let browser: Browser;
  let secrets: string[];
  const requests: string[] = [];
  const consoleErrors: string[] = [];

  beforeAll(async () => {
    vault = await createTestVault();
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'tv-viewer-'));
    key = lawyerKey(work);
    const sample = richSample();
    secrets = sample.secrets;
    const english = vault.service.addTestimony(sample.input).testimonyId;
    await vault.service.addMedia(english, PHOTO_WITH_GPS, { custodian: 'team A' });
    const arabic = vault.service.addTestimony({
      reference: 'AR-1', language: 'ar', title: 'اعتقال على حاجز في حمص',
      transcript: 'أنا سمير يوسف قاسم. اعتقلت في تشرين الأول ٢٠١٢ على حاجز قرب حمص ونقلت إلى الفرع ٢١٥.',
      interviewee: { name: 'سمير يوسف قاسم', aliases: ['Samir Youssef Qassem'] },
      consent: { scopes: ['icc'], anonymity: true, mediaUse: true, withdrawn: false },
    }).testimonyId;
    bundle = path.join(work, 'bundle');
    report = await exportTo(vault.service, { testimonyIds: [english, arabic], profile: 'icc', recipients: [key.recipient], outDir: bundle });
    browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
  });
  afterAll(async () => {
    await browser?.close();
    vault.cleanup();
    fs.rmSync(work, { recursive: true, force: true });
  });

  async function openViewer(files: string[], identity: string, signer = ''): Promise<Page> {
    const context = await browser.newContext();
    context.on('request', (request) => requests.push(request.url()));
    const page = await context.newPage();
    page.on('console', (message) => {
      if (message.type() === 'error') consoleErrors.push(message.text());
    });
    page.on('pageerror', (error) => consoleErrors.push(error.message));
    await page.goto(`file://${path.join(bundle, 'viewer.html')}`);
    await page.setInputFiles('#files', files);
    await page.fill('#identity', identity);
    if (signer) await page.fill('#signer', signer);
    await page.click('#open');
    // A CSS wait, not a predicate: Playwright polls predicates with eval, which the page's CSP forbids.
    await page.waitForSelector('#status.ok, #status.error', { timeout: 60_000 });
    return page;
  }

  it('decrypts, verifies and shows the redacted testimonies, Arabic right to left, with zero network requests', async () => {
    const files = ['payload.age', 'manifest.json', 'manifest.json.minisig'].map((name) => path.join(bundle, name));
    const page = await openViewer(files, key.identityText, exporterPublicKey(vault.service.sessionForCore).publicKey);
    expect(await page.textContent('#status')).toBe('Verified: 2 testimonies.');
    const body = (await page.textContent('body')) ?? '';
    const [first, second] = report.items;
    expect(body).toContain(`${first?.controlNumber}: Arrest at a Homs checkpoint`);
    expect(body).toContain('manifest.json signature: signed by key');
    expect(body).toContain('payload manifest signature: signed by the expected key');
    expect(await page.textContent('.transcript')).toContain('I am [WITNESS-1].');
    for (const secret of secrets) expect(body.toLowerCase()).not.toContain(secret.toLowerCase());
    // The image is the cleaned one, drawn from a blob: URL made in the page.
    const image = await page.locator('figure img').evaluate((img) => ({ width: (img as unknown as { naturalWidth: number }).naturalWidth, src: (img as unknown as { src: string }).src }));
    expect(image.width).toBe(800);
    expect(image.src.startsWith('blob:')).toBe(true);
    expect(body).toContain('redacted (');
    expect(body).toContain('witness-name');

    await page.click(`text=${second?.controlNumber}`);
    const transcript = page.locator('.transcript');
    expect(await transcript.getAttribute('dir')).toBe('rtl');
    expect(await transcript.textContent()).toContain('أنا [WITNESS-1].');
    expect((await page.textContent('body')) ?? '').not.toContain('سمير');

    const network = requests.filter((url) => !url.startsWith('file://') && !url.startsWith('blob:') && !url.startsWith('data:'));
    expect(network).toEqual([]);
    expect(requests.filter((url) => url.startsWith('file://'))).toEqual([`file://${path.join(bundle, 'viewer.html')}`]);
    expect(consoleErrors).toEqual([]);
    await page.context().close();
  });

  it('refuses a tampered payload and a wrong identity, showing nothing', async () => {
    const tampered = path.join(work, 'tampered');
    fs.mkdirSync(tampered);
    for (const name of ['manifest.json', 'manifest.json.minisig']) fs.copyFileSync(path.join(bundle, name), path.join(tampered, name));
    const payload = fs.readFileSync(path.join(bundle, 'payload.age'));
    payload[payload.length - 100] = (payload[payload.length - 100] ?? 0) ^ 1;
    fs.writeFileSync(path.join(tampered, 'payload.age'), payload);
    const page = await openViewer(['payload.age', 'manifest.json', 'manifest.json.minisig'].map((name) => path.join(tampered, name)), key.identityText);
    expect(await page.textContent('#status')).toMatch(/^Refused \(PAYLOAD_HASH_MISMATCH\)/);
    expect(await page.$$('.testimony')).toHaveLength(0);
    await page.context().close();

    const other = lawyerKey(work, 'other.txt');
    const wrong = await openViewer([path.join(bundle, 'payload.age')], other.identityText);
    expect(await wrong.textContent('#status')).toMatch(/^Refused \(AGE_NO_IDENTITY_MATCHED\)/);
    await wrong.context().close();
    expect(requests.filter((url) => !url.startsWith('file://') && !url.startsWith('blob:'))).toEqual([]);
  });

  it('ships one self-contained file whose only script and style are allowed by hash', () => {
    const html = fs.readFileSync(path.join(bundle, 'viewer.html'), 'utf8');
    const csp = /http-equiv="Content-Security-Policy" content="([^"]+)"/.exec(html)?.[1] ?? '';
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("require-trusted-types-for 'script'");
    expect(csp).not.toMatch(/unsafe-inline|unsafe-eval|https?:|connect-src/);
    expect(html.match(/<script/g)).toHaveLength(1);
    expect(html).not.toMatch(/<script[^>]+src=|<link|<iframe|<object|<embed|<base/);
    expect(/<style>([\s\S]*?)<\/style>/.exec(html)?.[1]).not.toMatch(/url\(|@import/);
  });
});
