import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'electron-vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cspHeader } from '../../src/main/electron/security.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
let outDir: string;

// The real `electron-vite build` (into a temp folder), which needs no Electron binary.
beforeAll(async () => {
  outDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tv-build-'));
  await build({ root: repoRoot, configFile: path.join(repoRoot, 'electron.vite.config.ts'), logLevel: 'warn', build: { outDir, emptyOutDir: true } });
});

afterAll(() => fs.rmSync(outDir, { recursive: true, force: true }));

const read = (relative: string) => fs.readFileSync(path.join(outDir, relative), 'utf8');

describe('electron-vite build', () => {
  it('emits an ESM main that keeps native and runtime-resolved dependencies external', () => {
    const main = read('main/index.js');
    expect(main).toMatch(/^import .* from "electron";$/m);
    expect(main).toMatch(/^import Database from "better-sqlite3";$/m);
    expect(main).toMatch(/^import \w+ from "libsodium-wrappers-sumo";$/m);
    expect(main).not.toMatch(/require\("electron"\)/);
  });

  it('emits a CommonJS preload that loads nothing but electron', () => {
    const preload = read('preload/index.cjs');
    const required = [...preload.matchAll(/require\(["']([^"']+)["']\)/g)].map((match) => match[1]);
    expect(required).toEqual(['electron']);
    expect(preload).not.toMatch(/^\s*(import|export)\s/m);
    expect(preload).toContain('exposeInMainWorld("testimonyVault"');
    expect(preload).not.toMatch(/exposeInMainWorld\([^)]*ipcRenderer\s*\)/);
    expect(fs.readdirSync(path.join(outDir, 'preload'))).toEqual(['index.cjs']);
  });

  it('emits a renderer whose index.html carries the CSP and loads only relative, same-origin assets', () => {
    const html = read('renderer/index.html');
    expect(html).toContain(`<meta http-equiv="Content-Security-Policy" content="${cspHeader()}" />`);
    const urls = [...html.matchAll(/(?:src|href)="([^"]+)"/g)].map((match) => match[1] ?? '');
    expect(urls.length).toBeGreaterThanOrEqual(2);
    for (const url of urls) expect(url).toMatch(/^\.\/(assets\/[\w.-]+\.(js|css)|favicon\.svg)$/);
    expect(html).not.toMatch(/<script>(?!<\/script>)/); // no inline script
    expect(html).not.toContain('style=');
  });
});
