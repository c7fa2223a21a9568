import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { makeTempDir } from '../helpers/makeTempDir.js';
import { findNetworkApiUse } from './findNetworkApiUse.js';

const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));
/** Empty on purpose: main and core have no reason to touch the network. Adding a line here needs a threat-model entry. */
const ALLOW_LIST = new Set<string>();

describe('air gap: no network API in main or core', () => {
  const temp = makeTempDir('tv-airgap-');
  afterAll(() => temp.remove());

  it('finds no network API use in src/main/** (core, cli, electron) outside an empty allow-list', () => {
    const { scannedFiles, uses } = findNetworkApiUse(REPO_ROOT, ['src/main'], ALLOW_LIST);
    console.log(`air gap: ${scannedFiles} source files scanned, ${uses.length} network API uses, allow-list ${ALLOW_LIST.size}`);
    expect(scannedFiles).toBeGreaterThan(200);
    expect(uses).toEqual([]);
  });

  // The check must be able to fail: each planted line is one way code could reach the network.
  const planted: [string, string][] = [
    ["import http from 'node:http';", 'import of a network module'],
    ["import { request } from 'https';", 'import of a network module'],
    ["import type { Socket } from 'net';", 'import of a network module'],
    ["import 'node:tls';", 'side-effect import of a network module'],
    ["const dgram = require('dgram');", 'require of a network module'],
    ["const h2 = await import('node:http2');", 'dynamic import of a network module'],
    ["import { fetch as get } from 'undici';", 'import of a network module'],
    ["import { net } from 'electron';", "electron's net module"],
    ["await fetch('https://example.org/')", 'fetch('],
    ['const socket = new WebSocket(url);', 'WebSocket'],
    ['const xhr = new XMLHttpRequest();', 'XMLHttpRequest'],
    ["const events = new EventSource('/x');", 'EventSource'],
  ];
  for (const [line, what] of planted) {
    it(`fails on a planted ${JSON.stringify(line)}`, () => {
      const dir = path.join(temp.path, 'src', 'main', 'core');
      fs.rmSync(path.join(temp.path, 'src'), { recursive: true, force: true });
      fs.mkdirSync(dir, { recursive: true });
      fs.writeFileSync(path.join(dir, 'innocent.ts'), `export const answer = 42;\n${line}\n`);
      const { uses } = findNetworkApiUse(temp.path, ['src/main'], ALLOW_LIST);
      expect(uses.map((use) => `${use.file}:${use.line}:${use.what}`)).toContain(`src/main/core/innocent.ts:2:${what}`);
      // ... and an allow-list entry is the only way past it.
      expect(findNetworkApiUse(temp.path, ['src/main'], new Set([`src/main/core/innocent.ts:${what}`])).uses.filter((use) => use.what === what)).toEqual([]);
    });
  }

  it('does not flag harmless words', () => {
    const dir = path.join(temp.path, 'src', 'main');
    fs.rmSync(path.join(temp.path, 'src'), { recursive: true, force: true });
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, 'words.ts'), "import path from 'node:path';\nconst network = 'internet';\nconst prefetched = refetchCount;\n");
    expect(findNetworkApiUse(temp.path, ['src/main']).uses).toEqual([]);
  });
});
