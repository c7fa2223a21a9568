import { defineCommand } from '../CommandSpec.js';
import { parseCommandArgs, VAULT_HELP, VAULT_OPTIONS } from '../parseCommandArgs.js';
import { withProgressBar } from '../progressBar.js';
import { withVault } from '../withVault.js';

export const reindexCommand = defineCommand({
  words: ['reindex'],
  summary: 'rebuild the encrypted search index from the records and seal it',
  usage: 'reindex <dir>',
  help: [
    'Never needed for correctness: a missing, damaged or stale index is rebuilt or caught up on its',
    'own. Use it after restoring an old snapshot file or to compact the index.',
    ...VAULT_HELP,
  ],
  cancellable: false,
  async run(args, context) {
    const { values, positionals } = parseCommandArgs(context.spec, args, VAULT_OPTIONS, { min: 1, max: 1 });
    const [dir = ''] = positionals;
    const { out } = context;
    const report = await withVault(context, dir, values['passphrase-file'], (vault) => withProgressBar(context, { label: 'reindex', unit: 'items' }, (onProgress) => vault.reindex({ onProgress })));
    out.result({ documents: report.documents, snapshotBytes: report.bytes, milliseconds: report.milliseconds }, () =>
      out.line(`indexed ${report.documents} testimon${report.documents === 1 ? 'y' : 'ies'} in ${(report.milliseconds / 1000).toFixed(1)} s; sealed snapshot ${report.bytes} bytes`),
    );
  },
});
