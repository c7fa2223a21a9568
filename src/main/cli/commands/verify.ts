import { defineCommand } from '../CommandSpec.js';
import { parseCommandArgs, VAULT_HELP, VAULT_OPTIONS } from '../parseCommandArgs.js';
import { printVerifyReport } from '../printVerifyReport.js';
import { withProgressBar } from '../progressBar.js';
import { withVault } from '../withVault.js';

export const verifyCommand = defineCommand({
  words: ['verify'],
  summary: 'decrypt and check everything: records, blobs, header, audit chain',
  usage: 'verify <dir>',
  help: ['Prints every problem found and exits with code 3 if there is any.', ...VAULT_HELP],
  cancellable: false,
  async run(args, context) {
    const { values, positionals } = parseCommandArgs(context.spec, args, VAULT_OPTIONS, { min: 1, max: 1 });
    const [dir = ''] = positionals;
    const { out } = context;
    const report = await withVault(context, dir, values['passphrase-file'], (vault) => withProgressBar(context, { label: 'verify', unit: 'items' }, (onProgress) => vault.verify(onProgress)));
    printVerifyReport(out, report, { lead: 'checked', failure: 'verify found' });
    out.result({ problems: report.problems, counts: report.counts }, () => undefined);
  },
});
