/**
 * The archive list on a large vault, first and again in the same session:
 *   npx tsx bench/testimonyList.bench.ts --vault DIR [--passphrase TEXT]
 * DIR is a vault made by the search bench (`npx tsx bench/search.bench.ts --work W` keeps it in
 * W/vault; its passphrase is the default here). Baseline: the first listing of the session, which
 * decrypts every summary. Ours: listing again after one edit, which decrypts only that testimony.
 * Prints one JSON line.
 */
import { systemPlatform } from '../src/main/core/platform.js';
import { VaultService } from '../src/main/core/VaultService.js';
import { loadAverage, machine, round, textArgument } from './benchSupport.js';

const SEARCH_BENCH_PASSPHRASE = 'bench: several unrelated words for the search vault';

async function main(argv: readonly string[]): Promise<void> {
  const vaultDir = textArgument(argv, '--vault') ?? '';
  if (vaultDir === '') throw new Error('--vault DIR is required (a vault made by bench/search.bench.ts)');
  const loadAtStart = loadAverage();
  const service = await VaultService.open(vaultDir, textArgument(argv, '--passphrase') ?? SEARCH_BENCH_PASSPHRASE, systemPlatform());
  try {
    let started = performance.now();
    const first = service.listTestimonies();
    const firstMs = performance.now() - started;
    const edited = first[0];
    if (!edited) throw new Error('the vault holds no testimony');
    // An edit the way the app makes one (a new version), then the list again.
    service.updateTestimony(edited.id, { status: edited.status === 'verified' ? 'draft' : 'verified' });
    started = performance.now();
    const again = service.listTestimonies();
    const againMs = performance.now() - started;
    if (again.length !== first.length || again[0]?.version !== edited.version + 1) throw new Error('the second listing does not show the edit');
    process.stdout.write(`${JSON.stringify({
      bench: 'testimony-list',
      at: new Date().toISOString(),
      machine: machine(),
      loadAverageAtStart: loadAtStart,
      loadAverageAtEnd: loadAverage(),
      testimonies: first.length,
      baseline: { what: 'first listing of the session (every summary decrypted)', ms: round(firstMs, 0) },
      ours: { what: 'listing again after one edit', ms: round(againMs, 0) },
      ratio: round(againMs / firstMs, 4),
    })}\n`);
  } finally {
    service.lock();
  }
}

await main(process.argv.slice(2));
