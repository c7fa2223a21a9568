/**
 * What an export pays to learn the highest control number ever issued, at a large audit log:
 *   npx tsx bench/auditDigest.bench.ts [--entries 100000] [--since 200]
 * 1. a vault whose signed audit log holds `--entries` entries (testimony, media and export actions,
 *    appended as the app appends them: sealed, chained, signed);
 * 2. baseline: verifyAuditChain over the whole log (what every export did before the digest);
 * 3. ours: readAuditDigest with no checkpoint yet (the first export after the upgrade: the same
 *    walk plus sealing the checkpoint), then after `--since` more entries (the usual case: only
 *    what was logged since the last export), then in a new session from the sealed checkpoint.
 * Prints one JSON line and writes bench/results/audit-digest.json.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { readAuditDigest } from '../src/main/core/audit/auditDigest.js';
import { appendAuditEntry, verifyAuditChain } from '../src/main/core/audit/auditLog.js';
import type { NewAuditEntry } from '../src/main/core/audit/auditEntry.js';
import { systemPlatform } from '../src/main/core/platform.js';
import type { VaultSession } from '../src/main/core/vault/VaultSession.js';
import { VaultService } from '../src/main/core/VaultService.js';
import { loadAverage, machine, numberArgument, round } from './benchSupport.js';

const PASSPHRASE = 'audit digest bench: several unrelated words';
const RESULTS_DIR = fileURLToPath(new URL('./results/', import.meta.url));
const log = (line: string) => process.stderr.write(`[audit digest bench] ${line}\n`);

/** A realistic mix: mostly record changes, an export every thousand entries. */
function entryAt(index: number): NewAuditEntry {
  if (index % 1000 === 999) return { action: 'export', recordId: `bundle-${index}`, details: { items: 10, lastControlValue: index } };
  const actions = ['testimony.create', 'testimony.edit', 'media.attach', 'person.create'] as const;
  return { action: actions[index % actions.length] ?? 'testimony.edit', recordId: index.toString(16).padStart(32, '0'), version: 1 };
}

function appendEntries(session: VaultSession, from: number, count: number): void {
  const batch = 5000;
  for (let start = from; start < from + count; start += batch) {
    session.db.transaction(() => {
      for (let index = start; index < Math.min(from + count, start + batch); index += 1) appendAuditEntry(session, entryAt(index));
    })();
    if ((start - from) % 50_000 === 0) log(`appended ${start - from + Math.min(batch, count)}/${count}`);
  }
}

function timed<T>(work: () => T): { value: T; ms: number } {
  const started = performance.now();
  const value = work();
  return { value, ms: round(performance.now() - started, 1) };
}

async function main(argv: readonly string[]): Promise<void> {
  const entries = numberArgument(argv, '--entries', 100_000);
  const since = numberArgument(argv, '--since', 200);
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'tv-audit-bench-'));
  const vaultDir = path.join(work, 'vault');
  const loadAtStart = loadAverage();
  try {
    let service = await VaultService.create(vaultDir, PASSPHRASE, systemPlatform());
    const setup = timed(() => appendEntries(service.sessionForCore, 0, entries));
    log(`${entries} entries in ${setup.ms} ms`);
    const baseline = timed(() => verifyAuditChain(service.sessionForCore));
    if (baseline.value.problems.length > 0) throw new Error('the bench log does not verify');
    const highest = Math.max(0, ...baseline.value.entries.map((entry) => (entry.action === 'export' ? Number(entry.details?.lastControlValue ?? 0) : 0)));
    const first = timed(() => readAuditDigest(service.sessionForCore, { save: true }));
    appendEntries(service.sessionForCore, entries, since);
    const later = timed(() => readAuditDigest(service.sessionForCore, { save: true }));
    service.lock();
    service = await VaultService.open(vaultDir, PASSPHRASE, systemPlatform());
    const newSession = timed(() => readAuditDigest(service.sessionForCore, { save: false }));
    service.lock();
    const agrees = first.value.highestControlValue === highest && newSession.value.highestControlValue === later.value.highestControlValue;
    if (!agrees) throw new Error('the digest disagrees with the full walk');
    const result = {
      bench: 'audit-digest',
      at: new Date().toISOString(),
      machine: machine(),
      loadAverageAtStart: loadAtStart,
      loadAverageAtEnd: loadAverage(),
      entries,
      since,
      baseline: { what: 'verifyAuditChain over the whole log', ms: baseline.ms },
      ours: {
        firstWithoutCheckpointMs: first.ms,
        afterNewEntriesMs: later.ms,
        newSessionFromCheckpointMs: newSession.ms,
      },
      ratio: { usualCaseToBaseline: round(later.ms / baseline.ms, 4), newSessionToBaseline: round(newSession.ms / baseline.ms, 4) },
      highestControlValue: later.value.highestControlValue,
    };
    fs.mkdirSync(RESULTS_DIR, { recursive: true });
    fs.writeFileSync(path.join(RESULTS_DIR, 'audit-digest.json'), `${JSON.stringify(result, null, 2)}\n`);
    process.stdout.write(`${JSON.stringify(result)}\n`);
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}

await main(process.argv.slice(2));
