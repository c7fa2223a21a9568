import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'electron-vite';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { dispatchIpc } from '../../src/main/electron/ipcHandlers.js';
import { serveAppRequest } from '../../src/main/electron/protocol.js';
import { PAGE_CHANNELS } from '../../src/shared/ipc/channels.js';
import { IPC_TEST_PASSPHRASE, ipcFixture, type IpcFixture } from '../electron/ipcFixtures.js';

/**
 * One app session for an e2e file: the built renderer served by the app:// handler, Debian's
 * Chromium, and the preload API bridged to the real handler table over real core, a real vault in
 * a temp folder and real crypto. Records every request, dialog, console problem and page error.
 *
 *   const app = await startAppSession();          // in beforeAll
 *   await app.createVault();                      // or app.unlock(IPC_TEST_PASSPHRASE)
 *   await app.shot('search-en');
 *   await app.close();                            // in afterAll
 */
export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export { IPC_TEST_PASSPHRASE };
const CHROMIUM = '/usr/bin/chromium';
const BINDING = '__testimonyVaultInvoke';
// Stands in for electron's webUtils.getPathForFile: only files the test registered have a path.
const DROP_PATH_BINDING = '__testimonyVaultDroppedPath';
/** `UPDATE_SCREENSHOTS=1` writes docs/screenshots/<screen>-<lang>.png; otherwise shots go to a temp folder. */
export const updateScreenshots = process.env['UPDATE_SCREENSHOTS'] === '1';

export type AppSession = {
  page: Page;
  context: BrowserContext;
  browser: Browser;
  /** http://127.0.0.1:<port>, standing in for app://app. */
  origin: string;
  /** The IPC context, handler table and vault folder behind the page. */
  fixture: IpcFixture;
  requests: string[];
  dialogs: string[];
  consoleProblems: string[];
  pageErrors: string[];
  failedResponses: string[];
  screenshotDir: string;
  /** Files the next main-process "choose files" dialog answers with (null = the user cancels). */
  queueFileChoice: (paths: string[] | null) => void;
  /** A file the test will drop: its name maps to this path, as webUtils would give the preload. */
  allowDroppedFile: (name: string, filePath: string) => void;
  /** The answer of the next main-process "attach dropped files?" confirmation. */
  queueDropConfirmation: (confirmed: boolean) => void;
  /** Names the main process asked the user to confirm, one list per drop. */
  dropConfirmations: string[][];
  shot: (name: string) => Promise<void>;
  /** Evaluates a DOM expression in the page (a string: this code is compiled without DOM types). */
  inPage: <T>(expression: string) => Promise<T>;
  textOf: (selector: string) => Promise<string>;
  switchLanguage: (expected: 'ar' | 'en') => Promise<void>;
  /** Fills the gate's passphrase and submits (create or unlock). Does not wait for the result. */
  unlock: (passphrase: string) => Promise<void>;
  /** Creates the vault from the first-run gate and waits for the unlocked app. */
  createVault: (passphrase?: string) => Promise<void>;
  close: () => Promise<void>;
};

export type AppSessionOptions = {
  /** Temp-folder prefix for the vault. */
  prefix?: string;
  viewport?: { width: number; height: number };
  /** Installs Playwright's clock before the app loads, so a test can fast-forward idle timers. */
  clock?: boolean;
};

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
function installBridge({ channels, binding, dropPathBinding }: { channels: string[]; binding: string; dropPathBinding: string }): void {
  const page = globalThis as unknown as Record<string, ((first: unknown, second?: unknown) => Promise<unknown>) | undefined>;
  const api: Record<string, (input: unknown) => Promise<unknown>> = {};
  for (const channel of channels) {
    api[channel] = (input: unknown) => {
      const invoke = page[binding];
      if (!invoke) return Promise.reject(new Error('bridge missing'));
      return invoke(channel, input);
    };
  }
  Object.defineProperty(globalThis, 'testimonyVault', { value: Object.freeze(api), writable: false, configurable: false });
  // Like the preload's createDropApi: paths come from the (stand-in) webUtils, never from the page.
  const drop = {
    attachDroppedFiles: async (testimonyId: string, files: readonly { name: string }[]) => {
      const pathOf = page[dropPathBinding];
      const invoke = page[binding];
      if (!pathOf || !invoke) throw new Error('bridge missing');
      const paths = (await Promise.all(files.map((file) => pathOf(file.name)))).filter((filePath): filePath is string => typeof filePath === 'string' && filePath !== '');
      if (paths.length === 0) return { ok: false, code: 'INVALID_INPUT', message: 'no dropped file came from the computer' };
      return invoke('media:attachDropped', { testimonyId, paths });
    },
  };
  Object.defineProperty(globalThis, 'testimonyVaultDrop', { value: Object.freeze(drop), writable: false, configurable: false });
}

/** Builds the renderer into a temp folder (the shared out/ is left alone) and returns that folder. */
async function buildRenderer(): Promise<string> {
  const outDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tv-e2e-build-'));
  await build({ root: repoRoot, configFile: path.join(repoRoot, 'electron.vite.config.ts'), logLevel: 'warn', build: { outDir, emptyOutDir: true } });
  return outDir;
}

export async function startAppSession(options: AppSessionOptions = {}): Promise<AppSession> {
  const outDir = await buildRenderer();
  const server = await startServer(path.join(outDir, 'renderer'));
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error('server has no port');
  const origin = `http://127.0.0.1:${address.port}`;
  const screenshotDir = updateScreenshots ? path.join(repoRoot, 'docs/screenshots') : fs.mkdtempSync(path.join(os.tmpdir(), 'tv-shots-'));

  const fixture = ipcFixture(options.prefix ?? 'tv-e2e-');
  const fileChoices: (string[] | null)[] = [];
  // The seam for main's file dialog: the page asks main to choose, main (here: the test) answers.
  fixture.ctx.chooseFiles = () => Promise.resolve(fileChoices.length > 0 ? (fileChoices.shift() ?? null) : null);
  const droppable = new Map<string, string>();
  const dropAnswers: boolean[] = [];
  const dropConfirmations: string[][] = [];
  fixture.ctx.confirmDroppedFiles = (paths) => {
    dropConfirmations.push(paths.map((filePath) => path.basename(filePath)));
    return Promise.resolve(dropAnswers.shift() ?? false);
  };

  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  const context = await browser.newContext({ viewport: options.viewport ?? { width: 1280, height: 800 }, locale: 'en-US', serviceWorkers: 'block' });
  await context.exposeBinding(BINDING, async (source, channel: unknown, input: unknown) => {
    // Like registerIpc's sender check: only our own top-level page may call the vault.
    if (new URL(source.frame.url()).origin !== origin || source.frame.parentFrame() !== null) {
      return { ok: false, code: 'FORBIDDEN', message: 'only the Testimony Vault window may use the vault' };
    }
    const result = dispatchIpc(fixture.handlers, channel, input);
    if (!result) throw new Error('unknown channel');
    return result;
  });
  await context.exposeBinding(DROP_PATH_BINDING, (_source, name: unknown) => (typeof name === 'string' ? (droppable.get(name) ?? '') : ''));
  await context.addInitScript(installBridge, { channels: [...PAGE_CHANNELS], binding: BINDING, dropPathBinding: DROP_PATH_BINDING });
  if (options.clock) await context.clock.install();
  const page = await context.newPage();
  page.setDefaultTimeout(60_000); // Argon2id unlocks share two cores with the other suites

  const session: AppSession = {
    page,
    context,
    browser,
    origin,
    fixture,
    requests: [],
    dialogs: [],
    consoleProblems: [],
    pageErrors: [],
    failedResponses: [],
    screenshotDir,
    queueFileChoice: (paths) => void fileChoices.push(paths),
    allowDroppedFile: (name, filePath) => void droppable.set(name, filePath),
    queueDropConfirmation: (confirmed) => void dropAnswers.push(confirmed),
    dropConfirmations,
    shot: async (name) => {
      await page.mouse.move(640, 790); // no hover highlight in the picture
      await page.evaluate('document.fonts.ready.then(() => true)');
      await page.screenshot({ path: path.join(screenshotDir, `${name}.png`) });
    },
    inPage: <T>(expression: string) => page.evaluate(expression) as Promise<T>,
    textOf: async (selector) => (await page.locator(selector).first().textContent()) ?? '',
    switchLanguage: async (expected) => {
      await page.locator('button.language-switch').click();
      await page.waitForFunction(`document.documentElement.lang === ${JSON.stringify(expected)}`);
    },
    unlock: async (passphrase) => {
      await page.locator('input[name=passphrase]').fill(passphrase);
      await page.locator('form button[type=submit]').click();
    },
    createVault: async (passphrase = IPC_TEST_PASSPHRASE) => {
      await page.locator('#gate-heading').waitFor();
      await page.locator('input[name=passphrase]').fill(passphrase);
      await page.locator('input[name=confirmation]').fill(passphrase);
      await page.locator('form button[type=submit]').click();
      await page.locator('#list-heading').waitFor();
    },
    close: async () => {
      await browser.close();
      await new Promise((resolve) => server.close(resolve));
      fixture.cleanup();
      fs.rmSync(outDir, { recursive: true, force: true });
      if (!updateScreenshots) fs.rmSync(screenshotDir, { recursive: true, force: true });
    },
  };
  page.on('request', (request) => session.requests.push(request.url()));
  page.on('dialog', (dialog) => {
    session.dialogs.push(dialog.message());
    void dialog.dismiss();
  });
  page.on('console', (message) => {
    if (message.type() === 'error' || /Content Security Policy|Refused to/i.test(message.text())) session.consoleProblems.push(message.text());
  });
  page.on('pageerror', (error) => session.pageErrors.push(error.message));
  page.on('response', (response) => {
    if (response.status() >= 400) session.failedResponses.push(`${response.status()} ${response.url()}`);
  });
  await page.goto(`${origin}/index.html`);
  return session;
}

/** Requests that left the app's own origin (must stay empty). */
export function foreignRequests(session: AppSession): string[] {
  return session.requests.filter((url) => new URL(url).origin !== session.origin);
}
