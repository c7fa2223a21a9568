import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The version in package.json, read at run time so the CLI never drifts from the package. */
export function packageVersion(): string {
  const packageJson = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../package.json');
  const parsed = JSON.parse(fs.readFileSync(packageJson, 'utf8')) as { version?: unknown };
  return typeof parsed.version === 'string' ? parsed.version : 'unknown';
}
