import fs from 'node:fs';
import { VaultError } from '../../core/errors.js';
import { VaultService } from '../../core/VaultService.js';
import { vaultPaths } from '../../core/vault/vaultPaths.js';
import { defineCommand } from '../CommandSpec.js';
import { parseCommandArgs, VAULT_HELP, VAULT_OPTIONS } from '../parseCommandArgs.js';
import { printVerifyReport } from '../printVerifyReport.js';
import { createProgressBar } from '../progressBar.js';
import { readVaultPassphrase, useUnlockedVault } from '../withVault.js';

/** Checked before the prompt too (core checks again), so nobody types a passphrase for nothing. */
function assertRestorable(backupDir: string, targetDir: string): void {
  const backup = vaultPaths(backupDir);
  const target = vaultPaths(targetDir);
  if (!fs.existsSync(backup.dbPath)) throw new VaultError('VAULT_NOT_FOUND', `no backup at ${backup.dir}`);
  if (fs.existsSync(target.dir) && (!fs.statSync(target.dir).isDirectory() || fs.readdirSync(target.dir).length > 0)) {
    throw new VaultError('VAULT_EXISTS', `${target.dir} is not an empty folder; restore into a new one`);
  }
}

export const restoreCommand = defineCommand({
  words: ['restore'],
  summary: 'restore a backup into a new folder, then unlock it and verify it',
  usage: 'restore <backup> <dir>',
  help: [
    '<backup>                 a folder written by `tvault backup`',
    '<dir>                    a new or empty folder for the restored vault',
    'The passphrase (one that opened the vault when it was backed up) is read before the copy; then',
    'the restored vault is unlocked and checked like `tvault verify`: exit 3 if it does not verify.',
    'Ctrl-C stops the copy and removes what it had restored, so it can simply be run again.',
    ...VAULT_HELP,
  ],
  cancellable: true,
  async run(args, context) {
    const { values, positionals } = parseCommandArgs(context.spec, args, VAULT_OPTIONS, { min: 2, max: 2 });
    const [backupDir = '', dir = ''] = positionals;
    const { io, out, platform } = context;
    assertRestorable(backupDir, dir);
    const passphrase = await readVaultPassphrase(context, dir, values['passphrase-file']);
    const showProgress = io.isTTY.stderr && !out.json;
    const copyBar = createProgressBar(io.stderr, { enabled: showProgress, label: 'restore', unit: 'bytes' });
    const restored = await VaultService.restore(backupDir, dir, { onProgress: copyBar.update, ...(io.signal ? { signal: io.signal } : {}) }).finally(() => copyBar.finish());
    // Said before the unlock, so a wrong passphrase cannot hide that the copy itself is done.
    if (!out.json) out.line(`restored ${restored.blobs} blob(s) (${restored.bytes} bytes) and the database into ${restored.dir}`);
    const verify = await useUnlockedVault(context, () => VaultService.open(dir, passphrase, platform), async (vault) => {
      const bar = createProgressBar(io.stderr, { enabled: showProgress, label: 'verify', unit: 'items' });
      try {
        return await vault.verify(bar.update);
      } finally {
        bar.finish();
      }
    });
    printVerifyReport(out, verify, { lead: 'verified the restored vault: checked', failure: 'the restored vault did not verify:', details: { ...restored } });
    out.result({ ...restored, verify }, () => undefined);
  },
});
