import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerAppScheme, resolveAppFile, serveAppRequest } from '../../src/main/electron/protocol.js';
import { cspHeader } from '../../src/main/electron/security.js';

let rendererDir: string;

beforeAll(() => {
  const base = fs.mkdtempSync(path.join(os.tmpdir(), 'tv-protocol-'));
  rendererDir = path.join(base, 'renderer');
  fs.mkdirSync(path.join(rendererDir, 'assets'), { recursive: true });
  fs.writeFileSync(path.join(rendererDir, 'index.html'), '<!doctype html><title>t</title>');
  fs.writeFileSync(path.join(rendererDir, 'assets', 'index-1.js'), 'console.log(1)');
  fs.writeFileSync(path.join(base, 'secret.txt'), 'outside the renderer');
});

afterAll(() => fs.rmSync(path.dirname(rendererDir), { recursive: true, force: true }));

describe('resolveAppFile', () => {
  it('maps app://app paths into the renderer folder', () => {
    expect(resolveAppFile('app://app/', rendererDir)).toBe(path.join(rendererDir, 'index.html'));
    expect(resolveAppFile('app://app/index.html', rendererDir)).toBe(path.join(rendererDir, 'index.html'));
    expect(resolveAppFile('app://app/assets/index-1.js?v=1#x', rendererDir)).toBe(path.join(rendererDir, 'assets', 'index-1.js'));
  });

  it.each([
    'app://app/../secret.txt',
    'app://app/%2e%2e/secret.txt',
    'app://app/assets/%2e%2e/%2e%2e/secret.txt',
    'app://app/..%2fsecret.txt',
    'app://app/..%5csecret.txt',
    'app://app/index.html%00.js',
    'app://app/%E0%A4%A',
    'app://other/index.html',
    'https://app/index.html',
    'file:///etc/passwd',
    'nonsense',
  ])('refuses %s', (url) => {
    const resolved = resolveAppFile(url, rendererDir);
    // The URL parser folds plain `..` segments first, so such a path may map inside the folder; it never leaves it.
    if (resolved !== null) expect(resolved.startsWith(rendererDir + path.sep)).toBe(true);
    expect(resolved).not.toBe(path.join(path.dirname(rendererDir), 'secret.txt'));
  });
});

describe('serveAppRequest', () => {
  it('serves files with the CSP, the right type and no-sniff', async () => {
    const response = await serveAppRequest({ url: 'app://app/index.html', method: 'GET' }, rendererDir);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-security-policy')).toBe(cspHeader());
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(await response.text()).toContain('<title>t</title>');
    const script = await serveAppRequest({ url: 'app://app/assets/index-1.js', method: 'GET' }, rendererDir);
    expect(script.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
  });

  it('answers 404 for missing files, folders and escapes, and 405 for anything but GET', async () => {
    for (const url of ['app://app/missing.js', 'app://app/assets', 'app://app/%2e%2e/secret.txt', 'app://evil/index.html']) {
      const response = await serveAppRequest({ url, method: 'GET' }, rendererDir);
      expect(response.status, url).toBe(404);
      expect(await response.text()).not.toContain('outside the renderer');
    }
    expect((await serveAppRequest({ url: 'app://app/index.html', method: 'POST' }, rendererDir)).status).toBe(405);
  });
});

describe('registerAppScheme', () => {
  it('registers app:// as a standard, secure scheme that other origins cannot read', () => {
    const registered: unknown[] = [];
    registerAppScheme({ registerSchemesAsPrivileged: (schemes) => void registered.push(...schemes) });
    expect(registered).toEqual([{ scheme: 'app', privileges: expect.objectContaining({ standard: true, secure: true, corsEnabled: false }) }]);
  });
});
