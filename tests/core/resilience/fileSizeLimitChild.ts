/**
 * The child of the RLIMIT_FSIZE scenario in diskFull.test.ts, started under `ulimit -f`:
 *   node --import tsx tests/core/resilience/fileSizeLimitChild.ts <vaultDir> <testimonyId> <mediaFile>
 * with TV_LIMIT_PASSPHRASE set. Tries a media intake and a large testimony; each write past the
 * limit fails with EFBIG (Node ignores SIGXFSZ). Prints one JSON line with what each call answered.
 */
import { silentLogger } from '../../../src/main/core/platform.js';
import { VaultService } from '../../../src/main/core/VaultService.js';

function describeError(error: unknown): string {
  return error instanceof Error ? `${(error as { code?: string }).code ?? error.name}: ${error.message}` : String(error);
}

async function main(): Promise<void> {
  const [vaultDir, testimonyId, mediaFile] = process.argv.slice(2);
  const passphrase = process.env.TV_LIMIT_PASSPHRASE;
  if (!vaultDir || !testimonyId || !mediaFile || !passphrase) throw new Error('usage: fileSizeLimitChild.ts <vaultDir> <testimonyId> <mediaFile> (TV_LIMIT_PASSPHRASE set)');
  const service = await VaultService.open(vaultDir, passphrase, { now: () => new Date(), logger: silentLogger });
  const answers: Record<string, string> = {};
  try {
    try {
      await service.addMedia(testimonyId, mediaFile, { custodian: 'file size limit' });
      answers.media = 'accepted';
    } catch (error) {
      answers.media = describeError(error);
    }
    try {
      service.addTestimony({ reference: 'LIM-2', title: 'too large for the limit', language: 'en', transcript: 'the guards came at night. '.repeat(150_000) });
      answers.testimony = 'accepted';
    } catch (error) {
      answers.testimony = describeError(error);
    }
  } finally {
    service.lock();
  }
  process.stdout.write(`${JSON.stringify(answers)}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`fileSizeLimitChild failed: ${describeError(error)}\n`);
  process.exit(2);
});
