import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'electron-vite';

const root = fileURLToPath(new URL('.', import.meta.url));

// Layout: out/main/index.js (ESM), out/preload/index.cjs (CommonJS), out/renderer/ (served as app://app/).
export default defineConfig({
  main: {
    // Dependencies stay external: better-sqlite3 is native, and core resolves
    // libsodium-wrappers-sumo at run time with createRequire (for its Argon2id worker).
    build: {
      externalizeDeps: true,
      outDir: resolve(root, 'out/main'),
      lib: { entry: resolve(root, 'src/main/index.ts') },
    },
  },
  preload: {
    // Sandboxed preloads cannot be ESM and may require only `electron`: bundle the rest, emit CJS.
    build: {
      externalizeDeps: false,
      outDir: resolve(root, 'out/preload'),
      lib: { entry: resolve(root, 'src/preload/index.ts'), formats: ['cjs'], fileName: () => 'index.cjs' },
    },
  },
  renderer: {
    root: resolve(root, 'src/renderer'),
    // Relative asset URLs, which app://app/ serves; no inline module-preload polyfill (the CSP allows 'self' scripts only).
    base: './',
    plugins: [react()],
    build: {
      outDir: resolve(root, 'out/renderer'),
      modulePreload: { polyfill: false },
      sourcemap: false,
    },
  },
});
