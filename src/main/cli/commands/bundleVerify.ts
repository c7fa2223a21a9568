import { BundleError } from '../../core/export/BundleError.js';
import { verifyBundle, type BundleVerifyReport } from '../../core/export/verifyBundle.js';
import { CliError } from '../CliError.js';
import { defineCommand } from '../CommandSpec.js';
import type { Output } from '../Output.js';
import { COMMON_HELP, COMMON_OPTIONS, parseCommandArgs } from '../parseCommandArgs.js';
import { ReportedError } from '../ReportedError.js';
import { readSigner, SIGNER_HELP, SIGNER_OPTION, UNCHECKED_SIGNER_NOTE } from '../signerOption.js';

function describeRecipients(recipients: { type: string }[]): string {
  if (recipients.some((recipient) => recipient.type === 'scrypt')) return 'protected by a passphrase';
  return `for ${recipients.length} age recipient(s)`;
}

function printReport(out: Output, report: BundleVerifyReport): void {
  for (const check of report.checks.filter((c) => c.ok)) out.line(`ok: ${check.name}`);
  if (!report.ok) return;
  out.line(`bundle ${report.bundleId ?? '?'}: created ${report.createdAt ?? '?'} by Testimony Vault ${report.appVersion ?? '?'}, profile ${report.profile ?? '?'}`);
  if (report.signer) {
    out.line(`signed by minisign key ${report.signer.keyId}: ${report.signer.publicKey}${report.signerExpected ? ' (the expected signer)' : ''}`);
  }
  const items = report.items ?? [];
  out.line(`${items.length} testimon${items.length === 1 ? 'y' : 'ies'}: ${items.map((item) => `${item.controlNumber} (${item.media} media, ${item.excludedMedia} excluded)`).join(', ')}`);
  if (report.payload) {
    const { size, plaintextSize, sha256, recipients } = report.payload;
    out.line(`payload.age: ${size} bytes (${plaintextSize} unpacked), ${describeRecipients(recipients)}, sha256 ${sha256}`);
  }
  out.line('verified: every file is intact and the manifest is signed; the payload was not decrypted (tvault bundle open does that)');
}

export const bundleVerifyCommand = defineCommand({
  words: ['bundle', 'verify'],
  summary: 'check a received bundle without decrypting it (signature, hashes, recipients)',
  usage: 'bundle verify <bundle-dir> [--signer <file|RW...>]',
  help: [
    'Needs no vault and no key. Checks the minisign signature of manifest.json, its trusted comment,',
    'SHA256SUMS, README.txt and viewer.html, and payload.age (size, age header, recipients, SHA-256).',
    'On a problem, prints the checks that passed and exits with the code of the first failure',
    "(PAYLOAD_HASH_MISMATCH, UNKNOWN_SIGNER, ...; see 'tvault --help').",
    ...SIGNER_HELP,
    ...COMMON_HELP,
  ],
  cancellable: false,
  async run(args, context) {
    const { values, positionals } = parseCommandArgs(context.spec, args, { ...COMMON_OPTIONS, ...SIGNER_OPTION }, { min: 1, max: 1 });
    const [bundleDir = ''] = positionals;
    const expectedSigner = readSigner(values.signer);
    const { out } = context;
    const report = await verifyBundle(bundleDir, expectedSigner === undefined ? {} : { expectedSigner });
    if (!out.json) printReport(out, report);
    const { ok: _ok, ...fields } = report;
    if (!report.ok) {
      const failure = report.code === undefined ? new CliError('VERIFY_FAILED', report.message ?? 'the bundle did not verify') : new BundleError(report.code, report.message ?? 'the bundle did not verify');
      throw new ReportedError(failure, { checks: report.checks, signerExpected: report.signerExpected });
    }
    out.result(fields, () => {
      if (!report.signerExpected) out.note(UNCHECKED_SIGNER_NOTE);
    });
  },
});
