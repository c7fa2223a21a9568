import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  APP_ENTRY_URL, applySessionPolicy, cspHeader, hardenWebContents, isAllowedNavigation, isAllowedRequestUrl, isAppUrl,
  isPermissionGranted, isTrustedSender,
} from '../../src/main/electron/security.js';

const EXPECTED_CSP =
  "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' blob:; media-src 'self' blob:; font-src 'self'; " +
  "connect-src 'none'; object-src 'none'; frame-src 'none'; base-uri 'none'; form-action 'none'";

describe('content security policy', () => {
  it('is the agreed policy', () => {
    expect(cspHeader()).toBe(EXPECTED_CSP);
  });

  it('is also in the renderer index.html as a meta tag', () => {
    const html = fs.readFileSync(new URL('../../src/renderer/index.html', import.meta.url), 'utf8');
    const meta = /<meta http-equiv="Content-Security-Policy" content="([^"]+)"/.exec(html);
    expect(meta?.[1]).toBe(cspHeader());
  });
});

describe('request policy', () => {
  it.each([
    APP_ENTRY_URL,
    'app://app/',
    'app://app/assets/index-abc123.js',
    'blob:app://app/6c1f5a0e-1f27-4a52-9f0b-d3f6a2c1b7e4',
    'devtools://devtools/bundled/inspector.html',
  ])('allows %s', (url) => {
    expect(isAllowedRequestUrl(url)).toBe(true);
  });

  it.each([
    'http://127.0.0.1:8080/',
    'https://example.org/collect',
    'http://localhost:5173/src/main.tsx',
    'ws://localhost:5173/',
    'wss://example.org/socket',
    'file:///etc/passwd',
    'ftp://example.org/',
    'data:text/html,<script>alert(1)</script>',
    'javascript:alert(1)',
    'app://evil/index.html',
    'app://app.evil.example/index.html',
    'app://user:pass@app/index.html',
    'blob:https://example.org/6c1f5a0e',
    'chrome://settings',
    'about:blank',
    'not a url',
    '',
  ])('cancels %s', (url) => {
    expect(isAllowedRequestUrl(url)).toBe(false);
  });

  it('recognises the app origin by scheme and host', () => {
    expect(isAppUrl('app://app/x')).toBe(true);
    expect(isAppUrl('APP://APP/x')).toBe(true); // URLs lower-case scheme and host
    expect(isAppUrl('https://app/x')).toBe(false);
  });
});

describe('navigation and permissions', () => {
  it('never navigates, not even within the app', () => {
    for (const url of ['https://example.org', 'app://app/index.html', 'file:///etc/passwd', 'javascript:alert(1)']) {
      expect(isAllowedNavigation(url)).toBe(false);
    }
  });

  it('grants no permission', () => {
    for (const permission of ['media', 'geolocation', 'notifications', 'clipboard-read', 'clipboard-sanitized-write', 'openExternal', 'hid', 'usb', 'serial', 'fullscreen', 'unknown']) {
      expect(isPermissionGranted(permission)).toBe(false);
    }
  });
});

describe('sender check', () => {
  it('trusts only the app origin top-level frame', () => {
    expect(isTrustedSender({ url: APP_ENTRY_URL, parent: null })).toBe(true);
    expect(isTrustedSender({ url: 'https://example.org/', parent: null })).toBe(false);
    expect(isTrustedSender({ url: 'file:///tmp/x.html', parent: null })).toBe(false);
    expect(isTrustedSender({ url: 'app://evil/index.html', parent: null })).toBe(false);
    expect(isTrustedSender({ url: APP_ENTRY_URL, parent: {} as never })).toBe(false);
    expect(isTrustedSender(null)).toBe(false);
    expect(isTrustedSender(undefined)).toBe(false);
    const disposed = { get url(): string { throw new Error('Render frame was disposed'); }, parent: null };
    expect(isTrustedSender(disposed)).toBe(false);
  });
});

type Listener = (...args: never[]) => unknown;

/** A stand-in that only records what applySessionPolicy/hardenWebContents register, so each handler can be called. */
function recorder() {
  const handlers = new Map<string, Listener>();
  const record = (name: string) => (listener: Listener) => void handlers.set(name, listener);
  return { handlers, record };
}

describe('wiring', () => {
  it('applySessionPolicy denies permissions and downloads and cancels foreign requests', () => {
    const { handlers, record } = recorder();
    let spellcheck: boolean | undefined;
    applySessionPolicy({
      setPermissionRequestHandler: record('permissionRequest'),
      setPermissionCheckHandler: record('permissionCheck'),
      setDevicePermissionHandler: record('devicePermission'),
      setSpellCheckerEnabled: (enabled: boolean) => void (spellcheck = enabled),
      on: (event: string, listener: Listener) => void handlers.set(event, listener),
      webRequest: { onBeforeRequest: record('beforeRequest') },
    } as never);

    const granted: boolean[] = [];
    (handlers.get('permissionRequest') as (c: unknown, p: string, cb: (g: boolean) => void) => void)(null, 'media', (g) => granted.push(g));
    expect(granted).toEqual([false]);
    expect((handlers.get('permissionCheck') as (c: unknown, p: string) => boolean)(null, 'clipboard-read')).toBe(false);
    expect((handlers.get('devicePermission') as () => boolean)()).toBe(false);
    expect(spellcheck).toBe(false);

    let prevented = false;
    (handlers.get('will-download') as (e: { preventDefault(): void }) => void)({ preventDefault: () => void (prevented = true) });
    expect(prevented).toBe(true);

    const decisions: Record<string, boolean> = {};
    const beforeRequest = handlers.get('beforeRequest') as (d: { url: string }, cb: (r: { cancel: boolean }) => void) => void;
    for (const url of [APP_ENTRY_URL, 'https://example.org/', 'ws://localhost:1/', 'file:///etc/passwd']) {
      beforeRequest({ url }, (response) => void (decisions[url] = response.cancel));
    }
    expect(decisions).toEqual({ [APP_ENTRY_URL]: false, 'https://example.org/': true, 'ws://localhost:1/': true, 'file:///etc/passwd': true });
  });

  it('hardenWebContents prevents navigation, redirects, webviews and new windows', () => {
    const { handlers, record } = recorder();
    hardenWebContents({ on: (event: string, listener: Listener) => void handlers.set(event, listener), setWindowOpenHandler: record('windowOpen') } as never);
    for (const event of ['will-navigate', 'will-frame-navigate', 'will-redirect', 'will-attach-webview']) {
      let prevented = false;
      (handlers.get(event) as (e: { url: string; preventDefault(): void }) => void)({ url: 'https://example.org/', preventDefault: () => void (prevented = true) });
      expect(prevented, event).toBe(true);
    }
    expect((handlers.get('windowOpen') as (d: { url: string }) => unknown)({ url: 'https://example.org/' })).toEqual({ action: 'deny' });
  });
});
