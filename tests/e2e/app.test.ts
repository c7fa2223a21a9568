import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'electron-vite';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dispatchIpc } from '../../src/main/electron/ipcHandlers.js';
import { serveAppRequest } from '../../src/main/electron/protocol.js';
import { cspHeader } from '../../src/main/electron/security.js';
import { CHANNELS } from '../../src/shared/ipc/channels.js';
import { IPC_TEST_PASSPHRASE, ipcFixture, type IpcFixture } from '../electron/ipcFixtures.js';

/**
 * The built renderer in Debian's Chromium, talking to the real handler table over real core, a
 * real vault in a temp folder and real crypto. The bridge stands in for the preload: it exposes
 * the same one-function-per-channel object as `window.testimonyVault`.
 */
const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const CHROMIUM = '/usr/bin/chromium';
const BINDING = '__testimonyVaultInvoke';
// `UPDATE_SCREENSHOTS=1` refreshes docs/screenshots/<screen>-<lang>.png; otherwise they go to a temp folder.
const updateScreenshots = process.env['UPDATE_SCREENSHOTS'] === '1';
const screenshotDir = updateScreenshots ? path.join(repoRoot, 'docs/screenshots') : fs.mkdtempSync(path.join(os.tmpdir(), 'tv-shots-'));

const XSS_TITLE = '<img src=x onerror=alert(1)>';
const XSS_TRANSCRIPT = 'Before <svg onload=alert(1)> middle <a href="javascript:alert(2)">click me</a> \u202Eevil.exe\u202C after <script>alert(3)</script>';

let outDir: string;
let server: http.Server;
let origin: string;
let fixture: IpcFixture;
let browser: Browser;
let context: BrowserContext;
let page: Page;
const requests: string[] = [];
const dialogs: string[] = [];
const consoleProblems: string[] = [];
const pageErrors: string[] = [];
const failedResponses: string[] = [];

function startServer(rendererDir: string): Promise<http.Server> {
  // Each request is answered by the app:// handler Electron uses (same files, same CSP header).
  const handler = http.createServer((request, response) => {
    void serveAppRequest({ url: `app://app${request.url ?? '/'}`, method: request.method ?? 'GET' }, rendererDir).then(async (answer) => {
      response.writeHead(answer.status, Object.fromEntries(answer.headers.entries()));
      response.end(Buffer.from(await answer.arrayBuffer()));
    });
  });
  return new Promise((resolve) => handler.listen(0, '127.0.0.1', () => resolve(handler)));
}

/**
 * Runs in the page before any app script: the preload's API, delegating to the exposed binding.
 * (Typed without DOM globals: this file is compiled for Node.)
 */
function installBridge({ channels, binding }: { channels: string[]; binding: string }): void {
  const page = globalThis as unknown as Record<string, ((channel: string, input: unknown) => Promise<unknown>) | undefined>;
  const api: Record<string, (input: unknown) => Promise<unknown>> = {};
  for (const channel of channels) {
    api[channel] = (input: unknown) => {
      const invoke = page[binding];
      if (!invoke) return Promise.reject(new Error('bridge missing'));
      return invoke(channel, input);
    };
  }
  Object.defineProperty(globalThis, 'testimonyVault', { value: Object.freeze(api), writable: false, configurable: false });
}

/** Evaluates a DOM expression in the page (a string, since this file has no DOM types). */
function inPage<T>(expression: string): Promise<T> {
  return page.evaluate(expression) as Promise<T>;
}

async function shot(name: string): Promise<void> {
  await page.mouse.move(640, 790); // no hover highlight in the picture
  await inPage('document.fonts.ready.then(() => true)');
  await page.screenshot({ path: path.join(screenshotDir, `${name}.png`) });
}

async function textOf(selector: string): Promise<string> {
  return (await page.locator(selector).first().textContent()) ?? '';
}

async function switchLanguage(expected: 'ar' | 'en'): Promise<void> {
  await page.locator('button.language-switch').click();
  await page.waitForFunction(`document.documentElement.lang === ${JSON.stringify(expected)}`);
}

async function addTestimony(values: { reference: string; title: string; language: string; transcript: string }, screenshot?: string): Promise<void> {
  await page.locator('.toolbar button.primary').click();
  await page.locator('input[name=reference]').fill(values.reference);
  await page.locator('input[name=title]').fill(values.title);
  await page.locator('select[name=language]').selectOption(values.language);
  await page.locator('textarea[name=transcript]').fill(values.transcript);
  if (screenshot) await shot(screenshot);
  await page.locator('form button[type=submit]').click();
  await page.locator(`tr:has-text("${values.reference}")`).waitFor();
}

async function openByReference(reference: string): Promise<void> {
  await page.locator(`tr:has-text("${reference}") button.link`).click();
  await page.locator('.transcript').waitFor();
}

async function backToList(): Promise<void> {
  await page.locator('button.back').click();
  await page.locator('table.records').waitFor();
}

async function search(query: string): Promise<void> {
  await page.locator('input[name=query]').fill(query);
  await page.locator('form.search button[type=submit]').click();
  await page.locator('form.search button.quiet').waitFor();
}

async function unlock(passphrase: string): Promise<void> {
  await page.locator('input[name=passphrase]').fill(passphrase);
  await page.locator('form button[type=submit]').click();
}

beforeAll(async () => {
  outDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tv-e2e-build-'));
  await build({ root: repoRoot, configFile: path.join(repoRoot, 'electron.vite.config.ts'), logLevel: 'warn', build: { outDir, emptyOutDir: true } });
  server = await startServer(path.join(outDir, 'renderer'));
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error('server has no port');
  origin = `http://127.0.0.1:${address.port}`;

  fixture = ipcFixture('tv-e2e-');
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'en-US', serviceWorkers: 'block' });
  await context.exposeBinding(BINDING, async (source, channel: unknown, input: unknown) => {
    // Like registerIpc's sender check: only our own top-level page may call the vault.
    if (new URL(source.frame.url()).origin !== origin || source.frame.parentFrame() !== null) {
      return { ok: false, code: 'FORBIDDEN', message: 'only the Testimony Vault window may use the vault' };
    }
    const result = dispatchIpc(fixture.handlers, channel, input);
    if (!result) throw new Error('unknown channel');
    return result;
  });
  await context.addInitScript(installBridge, { channels: [...CHANNELS], binding: BINDING });
  page = await context.newPage();
  page.setDefaultTimeout(60_000); // Argon2id unlocks share two cores with the other suites
  page.on('request', (request) => requests.push(request.url()));
  page.on('dialog', (dialog) => {
    dialogs.push(dialog.message());
    void dialog.dismiss();
  });
  page.on('console', (message) => {
    if (message.type() === 'error' || /Content Security Policy|Refused to/i.test(message.text())) consoleProblems.push(message.text());
  });
  page.on('pageerror', (error) => pageErrors.push(error.message));
  page.on('response', (response) => {
    if (response.status() >= 400) failedResponses.push(`${response.status()} ${response.url()}`);
  });
  await page.goto(`${origin}/index.html`);
});

afterAll(async () => {
  await browser?.close();
  await new Promise((resolve) => server?.close(resolve));
  fixture?.cleanup();
  if (outDir) fs.rmSync(outDir, { recursive: true, force: true });
  if (!updateScreenshots) fs.rmSync(screenshotDir, { recursive: true, force: true });
});

describe('Testimony Vault in Chromium', () => {
  it('serves the page with the CSP header and offers to create a vault on first run', async () => {
    const response = await page.request.get(`${origin}/index.html`);
    expect(response.headers()['content-security-policy']).toBe(cspHeader());
    await page.locator('#gate-heading').waitFor();
    expect(await textOf('#gate-heading')).toBe('Create a new vault');
    expect(await page.locator('input[type=password]').count()).toBe(2);
    await shot('create-en');
    await switchLanguage('ar');
    expect(await textOf('#gate-heading')).toBe('إنشاء خزنة جديدة');
    await shot('create-ar');
    await switchLanguage('en');
  });

  it('explains a mismatch and a weak passphrase', async () => {
    await page.locator('input[name=passphrase]').fill('one passphrase here');
    await page.locator('input[name=confirmation]').fill('another passphrase');
    await page.locator('form button[type=submit]').click();
    expect(await textOf('[role=alert]')).toBe('The two passphrases are not the same.');
    await page.locator('input[name=passphrase]').fill('short');
    await page.locator('input[name=confirmation]').fill('short');
    await page.locator('form button[type=submit]').click();
    await page.locator('[role=alert][data-code=WEAK_PASSPHRASE]').waitFor();
    expect(await textOf('[role=alert]')).toContain('too short');
  });

  it('creates the vault and adds an English and an Arabic testimony', async () => {
    await page.locator('input[name=passphrase]').fill(IPC_TEST_PASSPHRASE);
    await page.locator('input[name=confirmation]').fill(IPC_TEST_PASSPHRASE);
    await page.locator('form button[type=submit]').click();
    await page.locator('#list-heading').waitFor();
    expect(await textOf('.empty')).toContain('No testimonies yet');

    await addTestimony({
      reference: 'SDN-2024-001',
      title: 'Detention at Sednaya prison, 2014',
      language: 'en',
      transcript: 'I was taken from a checkpoint near Damascus.\nWe were moved to Sednaya at night and held in the red building for eleven months.',
    }, 'add-en');
    await addTestimony({
      reference: 'SDN-2024-002',
      title: 'شهادة ناجٍ من سجن صيدنايا',
      language: 'ar',
      transcript: 'اعتُقلتُ في حمص عام 2013.\nنُقلتُ إلى صَيْدْنايا حيث بقيتُ في المبنى الأحمر سنتين.',
    });
    const references = await page.locator('table.records td.reference').allTextContents();
    expect(references.sort()).toEqual(['SDN-2024-001', 'SDN-2024-002']);
    expect(await textOf('.list > p')).toBe('Testimonies in the vault: 2');
    await shot('list-en');
  });

  it('opens a testimony and shows its transcript as text', async () => {
    await openByReference('SDN-2024-001');
    expect(await textOf('#detail-title')).toBe('Detention at Sednaya prison, 2014');
    expect(await textOf('.transcript')).toContain('held in the red building for eleven months');
    await shot('detail-en');
    await backToList();
  });

  it('searches across languages with normalised Arabic', async () => {
    await search('red building');
    expect(await page.locator('table.records tbody tr').count()).toBe(1);
    await search('صيدنايا');
    expect(await page.locator('table.records td.reference').allTextContents()).toEqual(['SDN-2024-002']);
    await search('Sednaya');
    expect(await textOf('.list > p')).toBe('Matches for “Sednaya”: 1');
    await shot('search-en');
    await search('nothing-like-this');
    expect(await textOf('.empty')).toBe('No testimony contains all of these words.');
    await page.locator('form.search button.quiet').click();
    expect(await page.locator('table.records tbody tr').count()).toBe(2);
  });

  it('locks, refuses a wrong passphrase, and unlocks', async () => {
    await page.locator('button.lock').click();
    await page.locator('#gate-heading').waitFor();
    expect(await textOf('#gate-heading')).toBe('Unlock the vault');
    expect(await page.locator('table.records').count()).toBe(0);
    expect(fixture.ctx.state.service).toBeNull();
    await shot('unlock-en');
    await unlock('this is not the passphrase');
    await page.locator('[role=alert][data-code=WRONG_PASSPHRASE]').waitFor();
    expect(await textOf('[role=alert]')).toBe('That passphrase is not correct.');
    await unlock(IPC_TEST_PASSPHRASE);
    await page.locator('#list-heading').waitFor();
    expect(await page.locator('table.records tbody tr').count()).toBe(2);
  });

  it('switches to Arabic: right to left, translated, every screen', async () => {
    await switchLanguage('ar');
    expect(await inPage<string>('document.documentElement.dir')).toBe('rtl');
    expect(await page.locator('.app').getAttribute('dir')).toBe('rtl');
    expect(await textOf('#list-heading')).toBe('الشهادات');
    await shot('list-ar');

    await openByReference('SDN-2024-002');
    expect(await textOf('#detail-title')).toBe('شهادة ناجٍ من سجن صيدنايا');
    expect(await textOf('.facts')).toContain('العربية');
    await shot('detail-ar');
    await backToList();

    await page.locator('.toolbar button.primary').click();
    expect(await textOf('#add-heading')).toBe('إضافة شهادة');
    await page.locator('input[name=reference]').fill('SDN-2024-003');
    await page.locator('input[name=title]').fill('شهادة عن الفرع 215');
    await page.locator('textarea[name=transcript]').fill('كنا ثلاثين شخصًا في زنزانة واحدة.');
    await shot('add-ar');
    await page.locator('form button.quiet').click();

    await search('صَيْدْنايا');
    expect(await textOf('.list > p')).toBe('نتائج البحث عن «صَيْدْنايا»: 1');
    await shot('search-ar');
    await page.locator('form.search button.quiet').click();

    await page.locator('button.lock').click();
    await page.locator('#gate-heading').waitFor();
    expect(await textOf('#gate-heading')).toBe('فتح الخزنة');
    await shot('unlock-ar');
    await unlock('كلمة خاطئة تمامًا');
    await page.locator('[role=alert][data-code=WRONG_PASSPHRASE]').waitFor();
    expect(await textOf('[role=alert]')).toBe('عبارة المرور غير صحيحة.');
    await unlock(IPC_TEST_PASSPHRASE);
    await page.locator('#list-heading').waitFor();
    await switchLanguage('en');
    expect(await inPage<string>('document.documentElement.dir')).toBe('ltr');
  });

  it('renders a hostile testimony as inert text', async () => {
    await addTestimony({ reference: 'XSS-1', title: XSS_TITLE, language: 'en', transcript: XSS_TRANSCRIPT });
    expect(await textOf('tr:has-text("XSS-1") button.link')).toBe(XSS_TITLE);
    await openByReference('XSS-1');
    expect(await textOf('#detail-title')).toBe(XSS_TITLE);
    expect(await textOf('.transcript')).toBe(XSS_TRANSCRIPT);
    expect(await page.locator('.transcript').innerText()).toContain('<svg onload=alert(1)>');
    expect(await page.locator('.transcript').innerText()).toContain('javascript:alert(2)');
    expect(await page.locator('main img, main svg, main a, main script, main iframe').count()).toBe(0);
    expect(await inPage<number>("document.images.length + document.querySelectorAll('script:not([src])').length")).toBe(0);
    await page.waitForTimeout(300);
    expect(dialogs).toEqual([]);
    await shot('detail-hostile-en');
    await backToList();
  });

  it('never leaves the app origin, never shows a dialog, and breaks no CSP rule', () => {
    expect(requests.length).toBeGreaterThan(0);
    expect(requests.filter((url) => new URL(url).origin !== origin)).toEqual([]);
    expect(dialogs).toEqual([]);
    expect(consoleProblems).toEqual([]);
    expect(pageErrors).toEqual([]);
    expect(failedResponses).toEqual([]);
  });
});
