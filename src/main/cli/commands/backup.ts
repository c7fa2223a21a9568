import fs from 'node:fs';
import { VaultError } from '../../core/errors.js';
import type { ProgressListener } from '../../core/platform.js';
import { vaultPaths } from '../../core/vault/vaultPaths.js';
import { defineCommand } from '../CommandSpec.js';
import { parseCommandArgs, VAULT_HELP, VAULT_OPTIONS } from '../parseCommandArgs.js';
import { printVerifyReport } from '../printVerifyReport.js';
import { createPhasedProgressBar } from '../progressBar.js';
import { withVault } from '../withVault.js';

/** Checked before the prompt too (core checks again, fully), so nobody types a passphrase for nothing. */
function assertNotForeignFolder(destDir: string): void {
  const dest = vaultPaths(destDir);
  if (!fs.existsSync(dest.dir) || !fs.statSync(dest.dir).isDirectory()) return;
  const entries = fs.readdirSync(dest.dir);
  if (entries.length > 0 && !entries.some((name) => name.startsWith('vault.db'))) {
    throw new VaultError('VAULT_EXISTS', `${dest.dir} is not empty and holds no backup; choose an empty folder`);
  }
}

export const backupCommand = defineCommand({
  words: ['backup'],
  summary: 'copy the vault, still encrypted, to a folder (incremental) and verify the copy',
  usage: 'backup <dir> <dest>',
  help: [
    '<dest>                   a new or empty folder, or an earlier backup of this vault (then only',
    '                         new blobs are copied and deleted ones removed)',
    'The copy is consistent even while the app writes to the vault, opens with the same passphrases',
    'and recovery key, and is decrypted and checked like `tvault verify`: exit 3 if it does not verify.',
    'Ctrl-C stops the copy between two files; the previous backup in <dest> stays whole and usable.',
    ...VAULT_HELP,
  ],
  cancellable: true,
  async run(args, context) {
    const { values, positionals } = parseCommandArgs(context.spec, args, VAULT_OPTIONS, { min: 2, max: 2 });
    const [dir = '', destDir = ''] = positionals;
    const { io, out } = context;
    const signal = io.signal;
    assertNotForeignFolder(destDir);
    const report = await withVault(context, dir, values['passphrase-file'], async (vault) => {
      const bar = createPhasedProgressBar(io.stderr, {
        enabled: io.isTTY.stderr && !out.json,
        label: 'backup',
        unitOf: (phase) => (phase === 'copying blobs' ? 'bytes' : 'items'),
      });
      const onProgress: ProgressListener = (progress) => {
        // Core stops the copy itself (signal below); the check of the copy stops at its next step.
        if (signal?.aborted && progress.phase !== 'copying blobs') {
          throw new VaultError('CANCELLED', 'cancelled while checking the backup: it was written but not verified; run tvault backup again');
        }
        bar.update(progress);
      };
      try {
        return await vault.backup(destDir, { onProgress, ...(signal ? { signal } : {}) });
      } finally {
        bar.finish();
      }
    });
    const { verify, ...copied } = report;
    if (!out.json) {
      out.line(`backup written to ${copied.dest}: ${copied.blobsCopied} blob(s) copied (${copied.bytesCopied} bytes), ${copied.blobsAlreadyThere} already there, ${copied.blobsRemoved} removed`);
    }
    printVerifyReport(out, verify, { lead: 'verified the backup: checked', failure: 'the backup did not verify:', details: copied });
    out.result({ ...copied, verify }, () => undefined);
  },
});
