import fs from 'node:fs';
import path from 'node:path';

export type NetworkApiUse = { file: string; line: number; what: string; text: string };

const NETWORK_MODULES = ['http', 'https', 'net', 'tls', 'dgram', 'http2', 'undici', 'ws'];
const moduleName = `['"\`](?:node:)?(?:${NETWORK_MODULES.join('|')})(?:/[^'"\`]*)?['"\`]`;

/** Each pattern names one way a source file could reach the network; comments are scanned too (stricter, not looser). */
const PATTERNS: readonly { what: string; pattern: RegExp }[] = [
  { what: 'import of a network module', pattern: new RegExp(`\\bfrom\\s*${moduleName}`) },
  { what: 'side-effect import of a network module', pattern: new RegExp(`\\bimport\\s*${moduleName}`) },
  { what: 'require of a network module', pattern: new RegExp(`\\brequire\\s*\\(\\s*${moduleName}`) },
  { what: 'dynamic import of a network module', pattern: new RegExp(`\\bimport\\s*\\(\\s*${moduleName}`) },
  { what: "electron's net module", pattern: /\bimport\s*\{[^}]*\bnet\b[^}]*\}\s*from\s*['"]electron['"]|\bnet\.(?:request|fetch)\s*\(/ },
  { what: 'fetch(', pattern: /\bfetch\s*\(/ },
  { what: 'WebSocket', pattern: /\bWebSocket\b/ },
  { what: 'XMLHttpRequest', pattern: /\bXMLHttpRequest\b/ },
  { what: 'EventSource', pattern: /\bEventSource\b/ },
];

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(full);
    return /\.(?:ts|tsx|mts|cts|js|mjs|cjs)$/.test(entry.name) ? [full] : [];
  });
}

/**
 * Every line under `roots` that uses a network API, except those in `allowList` (entries are
 * `relative/path.ts:what`). Paths in the result are relative to `base`.
 */
export function findNetworkApiUse(base: string, roots: readonly string[], allowList: ReadonlySet<string> = new Set()): { scannedFiles: number; uses: NetworkApiUse[] } {
  const files = roots.flatMap((root) => sourceFiles(path.join(base, root)));
  const uses: NetworkApiUse[] = [];
  for (const file of files) {
    const relative = path.relative(base, file).split(path.sep).join('/');
    const lines = fs.readFileSync(file, 'utf8').split('\n');
    lines.forEach((text, index) => {
      for (const { what, pattern } of PATTERNS) {
        if (pattern.test(text) && !allowList.has(`${relative}:${what}`)) uses.push({ file: relative, line: index + 1, what, text: text.trim().slice(0, 160) });
      }
    });
  }
  return { scannedFiles: files.length, uses };
}
