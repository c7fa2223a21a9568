import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const nodeBuiltins = ['node:*', 'fs', 'path', 'os', 'crypto', 'child_process', 'worker_threads', 'http', 'https', 'net', 'tls', 'dgram'];
const networkModules = ['http', 'https', 'net', 'tls', 'dgram', 'node:http', 'node:https', 'node:net', 'node:tls', 'node:dgram', 'undici', 'ws'];

export default tseslint.config(
  { ignores: ['out/**', 'dist/**', 'node_modules/**', 'docs/**', 'coverage/**', 'bench/results/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-restricted-globals': ['error', { name: 'fetch', message: 'The app is air-gapped: no network APIs.' }, { name: 'WebSocket', message: 'The app is air-gapped: no network APIs.' }],
    },
  },
  // Core: plain Node, never electron, never the network; only crypto/ may load libsodium.
  {
    files: ['src/main/core/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: [
          { name: 'electron', message: 'src/main/core runs in plain Node; only src/main/electron may import electron.' },
          ...networkModules.map((name) => ({ name, message: 'The app is air-gapped: no network APIs in core.' })),
        ],
        patterns: [
          { group: ['libsodium-wrappers*', 'libsodium*'], message: 'Only src/main/core/crypto/ may import libsodium; use its intent-level API.' },
          { group: ['**/cli/**', '**/electron/**', '**/renderer/**', '**/preload/**'], message: 'core must not depend on its hosts.' },
        ],
      }],
    },
  },
  {
    files: ['src/main/core/crypto/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: [
          { name: 'electron', message: 'src/main/core runs in plain Node.' },
          ...networkModules.map((name) => ({ name, message: 'The app is air-gapped.' })),
        ],
      }],
    },
  },
  {
    files: ['src/main/cli/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: [{ name: 'electron', message: 'The CLI runs in plain Node.' }, ...networkModules.map((name) => ({ name, message: 'The app is air-gapped.' }))],
        patterns: [
          { group: ['libsodium-wrappers*'], message: 'Only src/main/core/crypto/ may import libsodium.' },
          { group: ['**/electron/**', '**/renderer/**', '**/preload/**'], message: 'The CLI drives core only.' },
        ],
      }],
    },
  },
  {
    files: ['src/main/electron/**/*.ts', 'src/main/index.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: networkModules.map((name) => ({ name, message: 'The app is air-gapped.' })),
        patterns: [
          { group: ['libsodium-wrappers*'], message: 'Only src/main/core/crypto/ may import libsodium.' },
          { group: ['**/renderer/**'], message: 'Main never imports renderer code.' },
        ],
      }],
    },
  },
  // Shared: pure TypeScript, zod only.
  {
    files: ['src/shared/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [
          // Anything but zod, ./x or ../x (one level, staying inside src/shared).
          { regex: '^(?!zod$|\\./|\\.\\./(?!\\.\\./))', message: 'src/shared may import only zod and other shared modules.' },
          { group: ['**/main/**', '**/renderer/**', '**/preload/**'], message: 'src/shared may import only zod and other shared modules.' },
        ],
      }],
    },
  },
  // Preload: exposes typed functions only; never hands ipcRenderer itself to the page.
  {
    files: ['src/preload/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [
          { group: ['**/main/**', '**/renderer/**', 'libsodium-wrappers*', 'better-sqlite3'], message: 'The preload sees only electron and src/shared.' },
        ],
      }],
    },
  },
  // Renderer: browser code; no Node, no electron, no main; one client module touches window.
  {
    files: ['src/renderer/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    rules: {
      'no-restricted-imports': ['error', {
        paths: [{ name: 'electron', message: 'The renderer is sandboxed: use the typed API client.' }],
        patterns: [
          { group: nodeBuiltins, message: 'The renderer is sandboxed: no Node modules.' },
          { group: ['**/main/**', '**/preload/**', 'better-sqlite3', 'libsodium-wrappers*'], message: 'The renderer talks to main only through src/renderer/src/api/client.ts.' },
        ],
      }],
      'no-restricted-syntax': ['error', { selector: "JSXAttribute[name.name='dangerouslySetInnerHTML']", message: 'Record text is rendered as text, never as HTML.' }],
    },
  },
  {
    files: ['**/*.{js,mjs,cjs}'],
    languageOptions: { globals: { ...globals.node } },
  },
);
