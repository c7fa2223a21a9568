import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { exportBundle, type ExportDependencies, type ExportOptions } from '../../../src/main/core/export/exportBundle.js';
import type { ExportReport } from '../../../src/main/core/export/exportReport.js';
import type { VaultService } from '../../../src/main/core/VaultService.js';
import { repoRoot, sampleTestimony } from '../coreFixtures.js';

export const PHOTO_WITH_GPS = path.join(repoRoot, 'tests/fixtures/photo-with-gps.jpg');

/** Runs a real tool; returns stdout. Throws with stderr on a non-zero exit. */
export function run(command: string, args: readonly string[], options: { cwd?: string; input?: string | Buffer } = {}): string {
  return execFileSync(command, args, { cwd: options.cwd, input: options.input, encoding: 'utf8', stdio: ['pipe', 'pipe', 'pipe'], maxBuffer: 256 * 1024 * 1024 });
}

/** Runs a shell pipeline (for `age -d … | tar -x …` exactly as README.txt says). */
export function shell(script: string, cwd: string): string {
  return execFileSync('bash', ['-eo', 'pipefail', '-c', script], { cwd, encoding: 'utf8', stdio: ['pipe', 'pipe', 'pipe'] });
}

export type LawyerKey = { keyPath: string; recipient: string; identityText: string };

/** A lawyer's identity made by the real `age-keygen`. */
export function lawyerKey(dir: string, name = 'key.txt'): LawyerKey {
  const keyPath = path.join(dir, name);
  execFileSync('age-keygen', ['-o', keyPath], { stdio: 'ignore' });
  const identityText = fs.readFileSync(keyPath, 'utf8');
  const recipient = /public key: (age1[a-z0-9]+)/.exec(identityText)?.[1];
  if (!recipient) throw new Error('age-keygen wrote no public key');
  return { keyPath, recipient, identityText };
}

/**
 * The shared sample, plus Arabic with harakat, Arabic-Indic digits, other spellings and a birth date,
 * so every redaction path is exercised. Returns the strings that must never appear in an export.
 */
export function richSample(): { input: Record<string, unknown>; secrets: string[] } {
  const input = sampleTestimony();
  const extra = ' وقال سَمِير يُوسُف قاسِم إن رقمه ٠٩٣٣ ٤١٠ ٥٥٢ وإن أخاه كان مع وسمير في الزنزانة. Born on 3 June 1985; write to S.Qassem@example.net or call +963-933-410-552. ID 02110498765. Nour  Hamdan was taken.';
  input.transcript = `${String(input.transcript)}${extra}`;
  input.summary = `${String(input.summary)} Interview with Samir Qassem.`;
  return {
    input,
    secrets: ['Samir Youssef Qassem', 'Sameer Yusuf Kassem', 'سمير يوسف قاسم', 'Nour Hamdan', 'نور حمدان', '+963 933 410 552', '0933410552', '933410552', '02110498765', 's.qassem@example.net', '1985-06-03', '3 June 1985', 'Qassem', 'Samir'],
  };
}

export async function exportTo(service: VaultService, options: Omit<ExportOptions, 'appVersion'> & { appVersion?: string }, dependencies: ExportDependencies = {}): Promise<ExportReport> {
  return exportBundle(service.sessionForCore, { appVersion: '0.1.0-test', scryptWorkFactor: 12, ...options }, dependencies);
}

/** Every file under `dir`, relative, sorted. */
export function listFiles(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  const out: string[] = [];
  const walk = (current: string) => {
    for (const name of fs.readdirSync(current).sort()) {
      const full = path.join(current, name);
      if (fs.lstatSync(full).isDirectory()) walk(full);
      else out.push(path.relative(dir, full));
    }
  };
  walk(dir);
  return out;
}
