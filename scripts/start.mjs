// `npm start`: runs the app when the Electron binary is installed; otherwise says why it cannot.
// It uses `electron-vite preview` (build, then run the built app), because the app only ever serves
// its renderer from app:// with a strict CSP; a dev server over http would be refused by design.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

const require = createRequire(import.meta.url);

function electronBinary() {
  try {
    const binary = require('electron');
    return typeof binary === 'string' && fs.existsSync(binary) ? binary : null;
  } catch {
    return null;
  }
}

if (!electronBinary()) {
  console.error(
    'Testimony Vault cannot start here: the Electron binary is not installed (this machine cannot download it). ' +
      'Run `npm install` on a machine with internet access, or use the `tvault` CLI (`npx tvault --help`).',
  );
  process.exit(1);
}

const cli = path.join(path.dirname(require.resolve('electron-vite/package.json')), 'bin', 'electron-vite.js');
const child = spawn(process.execPath, [cli, 'preview', ...process.argv.slice(2)], { stdio: 'inherit' });
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
