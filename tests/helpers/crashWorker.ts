/**
 * The child of the crash loop (tests/core/resilience/crashLoop.test.ts):
 *   node --import tsx tests/helpers/crashWorker.ts <vaultDir> <ackFile>
 * with TV_CRASH_PASSPHRASE, TV_CRASH_FIXTURES, TV_CRASH_SEED and TV_CRASH_ROUND in the environment.
 * It opens the vault, checks everything the ack file vouches for, prints `VERIFIED <json>` (or
 * `VERIFY-FAILED <json>` and exits 1), prints `WORKING`, then mutates the vault until it is killed.
 */
import fs from 'node:fs';
import path from 'node:path';
import { listRecordIds } from '../../src/main/core/records/recordStore.js';
import { VaultSearch } from '../../src/main/core/search/VaultSearch.js';
import { BLOB_TEMP_PREFIX } from '../../src/main/core/vault/vaultPaths.js';
import {
  crashPassphrase, openAckLog, readAckLog, testimonyDigest, type AckedOp, type AckLogWriter, type CheckedTestimonyFields, type PendingOp,
} from './ackLog.js';
import { openAfterKill } from './openAfterKill.js';
import { checkAckedState } from './checkAckedState.js';
import { readCrashFixtures } from './crashFixtures.js';
import { seededRandom, type SeededRandom } from './seededRandom.js';

const LATIN_WORDS = ['detained', 'cell', 'night', 'guard', 'transfer', 'interrogation', 'branch', 'basement', 'names', 'release', 'court', 'witness'];
const ARABIC_WORDS = ['اعتقال', 'زنزانة', 'ليلا', 'حارس', 'نقل', 'تحقيق', 'فرع', 'قبو', 'أسماء', 'إفراج', 'محكمة', 'شاهد', 'الضرب', 'الكهرباء'];

function env(name: string): string {
  const value = process.env[name];
  if (value === undefined || value === '') throw new Error(`${name} is not set`);
  return value;
}

function words(random: SeededRandom, minChars: number, arabic: boolean): string {
  const pool = arabic ? ARABIC_WORDS : LATIN_WORDS;
  const parts: string[] = [];
  let length = 0;
  while (length < minChars) {
    const word = random.pick(pool);
    parts.push(word);
    length += word.length + 1;
  }
  return parts.join(' ');
}

/** Mostly short transcripts, some long, a few near a megabyte: rows that span one page, many pages, and overflow chains. */
function transcriptLength(random: SeededRandom): number {
  const roll = random.next();
  if (roll < 0.6) return random.int(0, 4_000);
  if (roll < 0.98) return random.int(4_000, 64_000);
  return random.int(64_000, 300_000);
}

function newTestimony(random: SeededRandom, round: number, n: number) {
  const arabic = random.chance(0.5);
  const fields: CheckedTestimonyFields = {
    reference: `CR-${round}-${n}`,
    title: words(random, random.int(5, 80), arabic),
    language: arabic ? 'ar' : 'en',
    transcript: words(random, transcriptLength(random), arabic),
    summary: words(random, random.int(0, 500), arabic),
    tags: Array.from({ length: random.int(0, 4) }, () => words(random, 3, random.chance(0.5))),
  };
  const interviewee = random.chance(0.4) ? { interviewee: { name: words(random, 8, true), phone: `+963 ${random.int(100000, 999999)}` } } : {};
  return { fields, input: { ...fields, ...interviewee } };
}

async function main(): Promise<void> {
  const [vaultDir, ackFile] = process.argv.slice(2);
  if (!vaultDir || !ackFile) throw new Error('usage: crashWorker.ts <vaultDir> <ackFile>');
  const fixturesDir = env('TV_CRASH_FIXTURES');
  const round = Number(env('TV_CRASH_ROUND'));
  const random = seededRandom(Number(env('TV_CRASH_SEED')) + round * 7919);
  const fixtures = readCrashFixtures(fixturesDir);

  // Counted before the open sweeps them: evidence that kills land inside intake and after blob renames.
  const blobDir = path.join(vaultDir, 'blobs');
  const incomingBeforeOpen = fs.readdirSync(blobDir).filter((name) => name.startsWith(BLOB_TEMP_PREFIX)).length;
  let orphansSwept = 0;
  const startedAt = performance.now();
  const lines = readAckLog(ackFile);
  const basePassphrase = env('TV_CRASH_PASSPHRASE');
  const { service, openedWithPassphrase } = await openAfterKill(vaultDir, basePassphrase, lines, {
    now: () => new Date(),
    logger: {
      info() {},
      warn(event, details) {
        if (event === 'vault.orphanBlobsRemoved' && typeof details?.count === 'number') orphansSwept += details.count;
      },
    },
  });

  const openedAt = performance.now();
  const report = await checkAckedState(service, lines, { openedWithPassphrase });
  const timing = { openMs: Math.round(openedAt - startedAt), checkMs: Math.round(performance.now() - openedAt) };
  const summary = { round, incomingBeforeOpen, orphansSwept, openedWithPassphrase, resolutions: report.resolutions, counts: report.counts, timing };
  if (report.problems.length > 0) {
    process.stdout.write(`VERIFY-FAILED ${JSON.stringify({ ...summary, problems: report.problems })}\n`);
    process.exit(1);
  }
  process.stdout.write(`VERIFIED ${JSON.stringify(summary)}\n`);

  const log: AckLogWriter = openAckLog(ackFile);
  let seq = lines.reduce((max, line) => ('seq' in line ? Math.max(max, line.seq) : max), 0);
  let nextPassphraseNumber = lines.reduce((max, line) => (line.k === 'begin' && line.pending.op === 'passwd' ? Math.max(max, line.pending.to) : max), 0) + 1;
  for (const resolution of report.resolutions) log.append({ k: 'resolve', seq: resolution.seq, applied: resolution.applied });
  log.append({ k: 'round', round, pid: process.pid });

  const session = service.sessionForCore;
  const liveTestimonies = listRecordIds(session, 'testimony');
  const mediaOwner = new Map(service.listMedia().map((media) => [media.id, media.testimonyId]));

  /** Logs the op, runs it, and acks it only once the call has returned. */
  async function run(pending: PendingOp, call: () => Promise<AckedOp> | AckedOp): Promise<void> {
    seq += 1;
    const opSeq = seq;
    log.append({ k: 'begin', seq: opSeq, pending });
    const acked = await call();
    log.append({ k: 'ack', seq: opSeq, acked });
  }

  process.stdout.write('WORKING\n');
  for (let n = 0; ; n += 1) {
    const rare = random.next();
    const roll = random.next();
    // Every eighth round starts with a passphrase change (its Argon2id run outlasts most kill delays;
    // the parent gives these rounds longer ones), so kills land before, inside and after its commit.
    const passwdFirst = n === 0 && round % 8 === 0;
    if (passwdFirst || rare < 0.03) {
      // A passphrase change: a fresh Argon2id run, then one transaction that replaces the slot.
      const to = nextPassphraseNumber;
      nextPassphraseNumber += 1;
      await run({ op: 'passwd', to }, async () => {
        await service.changePassphrase(crashPassphrase(basePassphrase, to));
        return { op: 'passwd', to };
      });
    } else if (rare < 0.08) {
      // tvault reindex: rebuild the search index from the records, then seal and rename its snapshot.
      await run({ op: 'reindex' }, async () => {
        const search = await VaultSearch.open(session, { rebuild: true });
        try {
          await search.saveSnapshot();
        } finally {
          search.close();
        }
        return { op: 'reindex' };
      });
    } else if (liveTestimonies.length === 0 || roll < 0.25) {
      const { fields, input } = newTestimony(random, round, n);
      const digest = testimonyDigest(fields);
      await run({ op: 'add', digest }, () => {
        const { testimonyId } = service.addTestimony(input);
        liveTestimonies.push(testimonyId);
        return { op: 'add', id: testimonyId, version: 1, digest };
      });
    } else if (roll < 0.5) {
      const id = random.pick(liveTestimonies);
      const before = service.getTestimony(id);
      const arabic = random.chance(0.5);
      const patch = {
        title: words(random, random.int(5, 80), arabic),
        ...(random.chance(0.6) ? { transcript: words(random, transcriptLength(random), arabic) } : {}),
        ...(random.chance(0.3) ? { tags: [words(random, 3, arabic)] } : {}),
      };
      const version = before.headVersion + 1;
      // The expected fields come from the state before the call plus the patch, never from a read-back.
      const digest = testimonyDigest({ ...before, ...patch });
      await run({ op: 'edit', id, version, digest }, () => {
        const result = service.updateTestimony(id, patch);
        if (result.version !== version) throw new Error(`edit of ${id} returned v${result.version}, expected v${version}`);
        return { op: 'edit', id, version, digest };
      });
    } else if (roll < 0.8) {
      const testimonyId = random.pick(liveTestimonies);
      const fixture = random.pick(fixtures);
      await run({ op: 'attach', testimonyId, sha256: fixture.sha256, size: fixture.size }, async () => {
        const media = await service.addMedia(testimonyId, path.join(fixturesDir, fixture.file), { custodian: 'crash loop' });
        if (media.sha256 !== fixture.sha256 || media.sizeBytes !== fixture.size) throw new Error(`intake of ${fixture.file} returned a different hash or size`);
        mediaOwner.set(media.id, testimonyId);
        return { op: 'attach', id: media.id, testimonyId, sha256: fixture.sha256, size: fixture.size };
      });
    } else if (roll < 0.92 || mediaOwner.size === 0) {
      const id = random.pick(liveTestimonies);
      await run({ op: 'deleteTestimony', id }, () => {
        service.deleteTestimony(id);
        liveTestimonies.splice(liveTestimonies.indexOf(id), 1);
        for (const [mediaId, owner] of mediaOwner) if (owner === id) mediaOwner.delete(mediaId);
        return { op: 'deleteTestimony', id };
      });
    } else {
      const id = random.pick([...mediaOwner.keys()]);
      await run({ op: 'deleteMedia', id }, () => {
        service.deleteMedia(id);
        mediaOwner.delete(id);
        return { op: 'deleteMedia', id };
      });
    }
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`crashWorker failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(2);
});
