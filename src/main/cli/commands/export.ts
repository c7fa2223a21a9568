import path from 'node:path';
import { isVaultError, VaultError } from '../../core/errors.js';
import { ExportError } from '../../core/export/ExportError.js';
import { TRANSFER_PROFILE } from '../../core/export/bundleVocabulary.js';
import type { ExportReport } from '../../core/export/exportReport.js';
import type { TransferExportReport } from '../../core/export/exportTransferBundle.js';
import type { ProgressListener } from '../../core/platform.js';
import { CliError } from '../CliError.js';
import { defineCommand, type CommandContext } from '../CommandSpec.js';
import { isNewOrEmptyFolder } from '../newOutput.js';
import type { Output } from '../Output.js';
import { packageVersion } from '../packageVersion.js';
import { parseCommandArgs, VAULT_HELP, VAULT_OPTIONS } from '../parseCommandArgs.js';
import { parseProfile, PROFILE_HELP } from '../parseProfile.js';
import { createProgressBar } from '../progressBar.js';
import { BUNDLE_PASSPHRASE_HELP, BUNDLE_PASSPHRASE_OPTIONS, readBundlePassphrase } from '../readBundlePassphrase.js';
import { readJsonFile } from '../readJsonFile.js';
import { withVault } from '../withVault.js';

const TESTIMONY_ID = /^[0-9a-f]{32}$/;
/** An age X25519 recipient: `age1` and 58 bech32 characters. Core parses it fully. */
const AGE_RECIPIENT = /^age1[qpzry9x8gf2tvdw0s3jn54khce6mua7l]{58}$/;

/** `--ids a,b --ids c`: every id, in order, each checked before the vault is unlocked. */
function parseIds(values: string[]): string[] {
  const ids = values.flatMap((value) => value.split(',')).map((id) => id.trim()).filter((id) => id.length > 0);
  if (ids.length === 0) throw new CliError('USAGE', '--ids needs at least one testimony id');
  const bad = ids.find((id) => !TESTIMONY_ID.test(id));
  if (bad !== undefined) throw new CliError('USAGE', `--ids: '${bad}' is not a testimony id (32 hex characters)`);
  return ids;
}

/** Each `--plan` file, keyed by the testimony it names; core validates the rest. */
function readPlans(files: string[]): Record<string, unknown> {
  const plans: Record<string, unknown> = {};
  for (const file of files) {
    const plan = readJsonFile(file);
    const testimonyId = typeof plan === 'object' && plan !== null && !Array.isArray(plan) ? (plan as { testimonyId?: unknown }).testimonyId : undefined;
    if (typeof testimonyId !== 'string' || !TESTIMONY_ID.test(testimonyId)) {
      throw new VaultError('INVALID_INPUT', `invalid redaction plan ${file}: testimonyId: must be a testimony id`);
    }
    if (testimonyId in plans) throw new CliError('USAGE', `two --plan files are for testimony ${testimonyId}`);
    plans[testimonyId] = plan;
  }
  return plans;
}

function printSummary(out: Output, report: ExportReport, readme: string): void {
  out.line(`bundle ${report.bundleId} written to ${report.outDir} (profile ${report.profile})`);
  for (const item of report.items) {
    const included = item.media.filter((media) => media.status === 'included').length;
    const excluded = item.media.length - included;
    out.line(`  ${item.controlNumber}  ${item.testimonyId}  ${item.anonymised ? 'anonymised' : 'not anonymised'}, ${item.redactions} redaction(s), ${included} media included, ${excluded} excluded`);
    for (const media of item.media) {
      if (media.status === 'included') out.line(`      included ${media.mediaId} as ${media.file}`);
      else out.line(`      excluded ${media.mediaId}: ${media.reason}`);
    }
    for (const warning of item.warnings) out.line(`      warning: ${warning}`);
  }
  for (const item of report.refused) out.line(`refused: ${item.testimonyId} ${item.code}: ${item.reason} (skipped)`);
  const payload = report.payload;
  if (payload) {
    const to = payload.passphrase ? 'protected by a passphrase' : `for ${payload.recipients} age recipient(s)`;
    out.line(`payload.age: ${payload.size} bytes, ${to}, sha256 ${payload.sha256}`);
  }
  if (report.signer) out.line(`signed by minisign key ${report.signer.keyId}: ${report.signer.publicKey}`);
  out.line(`README.txt: ${readme} (the commands that check and open the bundle with standard tools)`);
}

function printTransferSummary(out: Output, report: TransferExportReport): void {
  const { counts } = report;
  out.line(`transfer bundle ${report.bundleId} written to ${report.outDir} (profile ${report.profile}, unredacted)`);
  out.line(`  ${counts.testimonies} testimon${counts.testimonies === 1 ? 'y' : 'ies'}, ${counts.persons} person(s), ${counts.vocabularyTerms} vocabulary term(s), ${counts.recordVersions} record version(s), ${counts.conflictCopies} conflict cop${counts.conflictCopies === 1 ? 'y' : 'ies'}, ${counts.media} media (${counts.mediaBytes} bytes)`);
  if (report.withdrawnConsent > 0) out.line(`  ${report.withdrawnConsent} testimon${report.withdrawnConsent === 1 ? 'y travels' : 'ies travel'} with consent withdrawn (consent is not checked for a transfer)`);
  out.line(`payload.age: ${report.payload.size} bytes, for ${report.payload.recipients} age recipient(s), sha256 ${report.payload.sha256}`);
  out.line(`signed by minisign key ${report.signer.keyId}: ${report.signer.publicKey}`);
}

type TransferArgs = { dir: string; passphraseFile: string | undefined; givenIds: string[] | undefined; query: string | undefined; recipients: string[]; outDir: string };

/**
 * `--profile transfer`: the whole vault (or the testimonies named), unredacted, for the
 * organisation's central archive (docs/MERGE.md). Options checked by the caller.
 */
async function runTransferExport(context: CommandContext, args: TransferArgs): Promise<void> {
  const { io, out } = context;
  const signal = io.signal;
  const report = await withVault(context, args.dir, args.passphraseFile, async (vault) => {
    let testimonyIds = args.givenIds;
    if (args.query !== undefined) {
      testimonyIds = await vault.searchIds({ query: args.query });
      if (testimonyIds.length === 0) throw new ExportError('NOTHING_TO_EXPORT', 'no testimony matches the query; nothing was written');
      out.note(`the query matches ${testimonyIds.length} testimon${testimonyIds.length === 1 ? 'y' : 'ies'}`);
    }
    const bar = createProgressBar(io.stderr, { enabled: io.isTTY.stderr && !out.json, label: 'transfer', unit: 'items' });
    const onProgress: ProgressListener = (progress) => {
      if (signal?.aborted) throw new VaultError('CANCELLED', 'cancelled');
      bar.update(progress);
    };
    try {
      return await vault.exportTransferBundle({
        recipients: args.recipients,
        outDir: args.outDir,
        ...(testimonyIds !== undefined ? { testimonyIds } : {}),
        appVersion: packageVersion(),
        onProgress,
      });
    } catch (error) {
      if (isVaultError(error) && error.code === 'CANCELLED') throw new VaultError('CANCELLED', 'cancelled; no bundle was written');
      throw error;
    } finally {
      bar.finish();
    }
  });
  out.result({ ...report }, () => {
    printTransferSummary(out, report);
    out.note(`give the archive your minisign public key by another channel than the bundle: tvault identity ${args.dir} --minisign-pub`);
  });
}

export const exportCommand = defineCommand({
  words: ['export'],
  summary: 'write a redacted, consent-checked, signed, age-encrypted bundle for a recipient',
  usage: 'export <dir> (--ids <id,...> | --query "<query>") --profile <profile> (--recipient age1... ... | --passphrase-protect) --out <bundle-dir> [--plan plan.json ...] [--skip-refused]',
  help: [
    '--ids <id,...>           the testimonies to export (comma-separated; the option may repeat)',
    '--query "<query>"        or every testimony that `tvault search` finds for the query',
    ...PROFILE_HELP,
    '                         a testimony whose consent does not cover it is refused',
    '--recipient <age1...>    an age public key to encrypt to (repeat for several recipients);',
    '                         the recipient makes one with `tvault keygen` or `age-keygen`',
    '--passphrase-protect     encrypt to a passphrase instead (age scrypt); not with --recipient',
    ...BUNDLE_PASSPHRASE_HELP,
    '                         asked twice when prompted; give it to the recipient by another channel',
    '--out <bundle-dir>       a new or empty folder for the bundle',
    '--plan <plan.json>       a redaction plan (tvault redaction suggest) for one testimony; repeat for',
    '                         several. Without one, the plan saved in the vault, else every suggestion.',
    '--skip-refused           export the other testimonies when some are refused (else nothing is written)',
    'Prints the bundle id, the control number of each testimony, the media included and excluded (with',
    'the reason), the SHA-256 of payload.age and where README.txt is. A refusal exits 51 and lists each',
    'testimony with its reason; a leak found by the last check exits 53 and names category and file.',
    'Ctrl-C stops between two testimonies and removes the partial bundle.',
    'export <dir> --profile transfer --recipient age1... [...] --out <bundle-dir> [--ids <id,...> | --query "<query>"]',
    '--profile transfer       a full, unredacted, signed transfer bundle for the central archive',
    '                         (tvault merge); without --ids or --query, the whole vault; consent is',
    '                         not checked; only --recipient, never --passphrase-protect, --plan or',
    '                         --skip-refused. Prints the bundle id, the counts and the payload SHA-256.',
    ...VAULT_HELP,
  ],
  cancellable: true,
  async run(args, context) {
    const { values, positionals } = parseCommandArgs(
      context.spec,
      args,
      {
        ...VAULT_OPTIONS,
        ...BUNDLE_PASSPHRASE_OPTIONS,
        ids: { type: 'string', multiple: true },
        query: { type: 'string' },
        profile: { type: 'string' },
        recipient: { type: 'string', multiple: true },
        'passphrase-protect': { type: 'boolean' },
        out: { type: 'string' },
        plan: { type: 'string', multiple: true },
        'skip-refused': { type: 'boolean' },
      },
      { min: 1, max: 1 },
    );
    const [dir = ''] = positionals;
    const { io, out } = context;
    const signal = io.signal;

    // Everything that can be checked without the vault is checked before a passphrase is asked.
    const transfer = values.profile === TRANSFER_PROFILE;
    if (values.ids !== undefined && values.query !== undefined) throw new CliError('USAGE', 'give either --ids or --query, not both');
    if (!transfer && values.ids === undefined && values.query === undefined) throw new CliError('USAGE', 'give either --ids or --query');
    const givenIds = values.ids === undefined ? undefined : parseIds(values.ids);
    const query = values.query;
    if (query !== undefined && query.trim().length === 0) throw new CliError('USAGE', '--query must not be empty');
    const recipients = values.recipient ?? [];
    const passphraseProtect = values['passphrase-protect'] === true;
    if (transfer) {
      const refused = (['passphrase-protect', 'bundle-passphrase-file', 'plan', 'skip-refused'] as const).find((option) => values[option] !== undefined);
      if (refused !== undefined) throw new CliError('USAGE', `--${refused} does not go with --profile transfer (a transfer is unredacted and only for --recipient keys)`);
      if (recipients.length === 0) throw new CliError('USAGE', 'give --recipient age1... (the central archive key; one per recipient)');
      const badKey = recipients.find((recipient) => !AGE_RECIPIENT.test(recipient));
      if (badKey !== undefined) throw new ExportError('INVALID_OPTIONS', `--recipient '${badKey}' is not an age public key (age1... from age-keygen or tvault keygen)`);
      if (values.out === undefined) throw new CliError('USAGE', '--out <bundle-dir> is required');
      const transferOut = path.resolve(values.out);
      if (!isNewOrEmptyFolder(transferOut)) throw new ExportError('OUT_DIR_NOT_EMPTY', `${transferOut} exists and is not an empty folder; choose a new folder for the bundle`);
      await runTransferExport(context, { dir, passphraseFile: values['passphrase-file'], givenIds, query, recipients, outDir: transferOut });
      return;
    }
    const profile = parseProfile(values.profile);
    if (passphraseProtect && recipients.length > 0) {
      throw new CliError('USAGE', '--passphrase-protect does not go with --recipient (age allows a passphrase only on its own)');
    }
    if (!passphraseProtect && recipients.length === 0) throw new CliError('USAGE', 'give --recipient age1... (one per recipient) or --passphrase-protect');
    if (!passphraseProtect && values['bundle-passphrase-file'] !== undefined) throw new CliError('USAGE', '--bundle-passphrase-file goes with --passphrase-protect');
    const badRecipient = recipients.find((recipient) => !AGE_RECIPIENT.test(recipient));
    if (badRecipient !== undefined) throw new ExportError('INVALID_OPTIONS', `--recipient '${badRecipient}' is not an age public key (age1... from age-keygen or tvault keygen)`);
    if (values.out === undefined) throw new CliError('USAGE', '--out <bundle-dir> is required');
    const outDir = path.resolve(values.out);
    if (!isNewOrEmptyFolder(outDir)) throw new ExportError('OUT_DIR_NOT_EMPTY', `${outDir} exists and is not an empty folder; choose a new folder for the bundle`);
    const plans = readPlans(values.plan ?? []);
    if (givenIds) {
      const foreign = Object.keys(plans).find((id) => !givenIds.includes(id));
      if (foreign !== undefined) throw new CliError('USAGE', `a --plan file is for testimony ${foreign}, which is not in --ids`);
    }

    const report = await withVault(context, dir, values['passphrase-file'], async (vault) => {
      const testimonyIds = givenIds ?? (await vault.searchIds({ query: query ?? '' }));
      if (testimonyIds.length === 0) throw new ExportError('NOTHING_TO_EXPORT', 'no testimony matches the query; nothing was written');
      if (!givenIds) {
        const foreign = Object.keys(plans).find((id) => !testimonyIds.includes(id));
        if (foreign !== undefined) throw new CliError('USAGE', `a --plan file is for testimony ${foreign}, which the query does not match`);
        out.note(`the query matches ${testimonyIds.length} testimon${testimonyIds.length === 1 ? 'y' : 'ies'}`);
      }
      // After the unlock: a wrong vault passphrase is reported before the new one is typed twice.
      const passphrase = passphraseProtect ? await readBundlePassphrase(io, values['bundle-passphrase-file'], { confirm: true }) : undefined;
      const bar = createProgressBar(io.stderr, { enabled: io.isTTY.stderr && !out.json, label: 'export', unit: 'items' });
      const onProgress: ProgressListener = (progress) => {
        // Core calls this between testimonies, inside its clean-up: the partial bundle is removed.
        if (signal?.aborted) throw new VaultError('CANCELLED', 'cancelled');
        bar.update(progress);
      };
      try {
        return await vault.exportBundle({
          testimonyIds,
          profile,
          recipients,
          ...(passphrase !== undefined ? { passphrase } : {}),
          outDir,
          skipRefused: values['skip-refused'] === true,
          plans,
          appVersion: packageVersion(),
          onProgress,
        });
      } catch (error) {
        if (isVaultError(error) && error.code === 'CANCELLED') {
          throw new VaultError('CANCELLED', 'cancelled; no bundle was written (the control numbers it took are not issued again)');
        }
        throw error;
      } finally {
        bar.finish();
      }
    });

    const readme = path.join(report.outDir, 'README.txt');
    out.result({ ...report, readme }, () => {
      printSummary(out, report, readme);
      out.note(`give the recipient your minisign public key by another channel than the bundle: tvault identity ${dir} --minisign-pub`);
      if (report.payload?.passphrase === true) out.note('and the passphrase, by yet another channel');
    });
  },
});
