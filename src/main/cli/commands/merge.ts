import type { MergeReport, RecordCounts } from '../../core/merge/mergeReport.js';
import type { ProgressListener } from '../../core/platform.js';
import { isVaultError, VaultError } from '../../core/errors.js';
import { CliError } from '../CliError.js';
import { defineCommand } from '../CommandSpec.js';
import type { Output } from '../Output.js';
import { parseCommandArgs, VAULT_HELP, VAULT_OPTIONS } from '../parseCommandArgs.js';
import { createProgressBar } from '../progressBar.js';
import { readKeyFile } from '../readKeyFile.js';
import { oneLine } from '../terminalText.js';
import { withVault } from '../withVault.js';

const TRUST_TEXT: Record<MergeReport['sender']['trust'], string> = {
  'trusted-sender': 'on the trusted-senders list',
  'this-vault': "this vault's own key",
  'trusted-now': 'added to the trusted-senders list by --trust',
};

function counts(name: string, c: RecordCounts): string {
  return `${name}: ${c.added} added, ${c.extended} extended, ${c.alreadyPresent} already present, ${c.conflictCopies} conflict cop${c.conflictCopies === 1 ? 'y' : 'ies'}, ${c.skippedDeleted} deleted here (skipped)`;
}

function printReport(out: Output, report: MergeReport): void {
  const { sender, media, vocabulary } = report;
  out.line(`merged bundle ${report.bundleId} (created ${report.bundleCreatedAt})`);
  out.line(`sender: minisign key ${sender.keyId} "${oneLine(sender.label ?? '-')}" (${TRUST_TEXT[sender.trust]})`);
  out.line(counts('testimonies', report.testimonies));
  out.line(counts('persons', report.persons));
  out.line(`vocabulary: ${vocabulary.matched} matched, ${vocabulary.added} added, ${vocabulary.labelsAdded} label(s) added`);
  out.line(`media: ${media.added} added, ${media.alreadyPresent} already present, ${media.custodyExtended} custody log(s) extended, ${media.bytesDeduplicated} deduplicated, ${media.skippedDeleted} deleted here (skipped)`);
  for (const conflict of report.conflicts) out.line(`  conflict: ${conflict.kind} ${conflict.recordId} edited here and there; the incoming history is kept as ${conflict.conflictCopyId}`);
  for (const skipped of report.skipped) out.line(`  skipped: ${skipped.kind} ${skipped.id}: ${skipped.reason}`);
  if (report.nothingNew) out.line('nothing new: the vault already held everything the bundle carries');
}

export const mergeCommand = defineCommand({
  words: ['merge'],
  summary: 'verify a transfer bundle from a trusted sender and merge it into the vault; nothing is overwritten',
  usage: 'merge <dir> <bundle-dir> --identity key.txt [--trust [--label "<who>"]]',
  help: [
    '<bundle-dir>             a transfer bundle (tvault export --profile transfer) made for your age key',
    '--identity <key.txt>     your age identity file (tvault keygen or age-keygen)',
    '--trust                  merge even though the signer is not on the trusted-senders list, and add it;',
    '                         compare its key (tvault identity --minisign-pub) by another channel first',
    '--label "<who>"          with --trust: who the sender is, for tvault trust list (encrypted)',
    'Records new here are added, later versions appended, records edited on both sides kept as a',
    'conflict copy beside the local one; nothing is overwritten or duplicated. Prints what was added.',
    'A refusal writes nothing and exits with its code (UNTRUSTED_SENDER, WRONG_PROFILE, a bundle code, ...).',
    ...VAULT_HELP,
  ],
  cancellable: true,
  async run(args, context) {
    const { values, positionals } = parseCommandArgs(
      context.spec,
      args,
      { ...VAULT_OPTIONS, identity: { type: 'string' }, trust: { type: 'boolean' }, label: { type: 'string' } },
      { min: 2, max: 2 },
    );
    const [dir = '', bundleDir = ''] = positionals;
    const { io, out } = context;
    if (values.identity === undefined) throw new CliError('USAGE', '--identity <key.txt> is required');
    const trust = values.trust === true;
    if (values.label !== undefined && !trust) throw new CliError('USAGE', '--label goes with --trust');
    const identityText = readKeyFile(values.identity, '--identity');
    const report = await withVault(context, dir, values['passphrase-file'], async (vault) => {
      const bar = createProgressBar(io.stderr, { enabled: io.isTTY.stderr && !out.json, label: 'merge', unit: 'items' });
      const onProgress: ProgressListener = (progress) => {
        if (io.signal?.aborted) throw new VaultError('CANCELLED', 'cancelled');
        bar.update(progress);
      };
      try {
        return await vault.mergeTransferBundle(bundleDir, {
          identityText,
          ...(trust ? { trust } : {}),
          ...(values.label !== undefined ? { senderLabel: values.label } : {}),
          onProgress,
        });
      } catch (error) {
        if (isVaultError(error) && error.code === 'CANCELLED') throw new VaultError('CANCELLED', 'cancelled; nothing was merged');
        throw error;
      } finally {
        bar.finish();
      }
    });
    out.result({ ...report }, () => printReport(out, report));
  },
});
