import fs from 'node:fs';
import path from 'node:path';
import { isVaultError, VaultError } from '../../core/errors.js';
import type { IntakeResult } from '../../core/media/intakeMedia.js';
import { CliError } from '../CliError.js';
import { defineCommand } from '../CommandSpec.js';
import { parseCommandArgs, VAULT_HELP, VAULT_OPTIONS } from '../parseCommandArgs.js';
import { createProgressBar } from '../progressBar.js';
import { withVault } from '../withVault.js';

const DEFAULT_CUSTODIAN = 'unrecorded';

/** Every file is checked before the vault is unlocked, so a typo in the last name costs nothing. */
function assertReadableFiles(files: string[]): void {
  for (const file of files) {
    let stat: fs.Stats;
    try {
      stat = fs.statSync(file);
    } catch {
      throw new VaultError('FILE_NOT_FOUND', `cannot read ${file}`);
    }
    if (!stat.isFile()) throw new VaultError('INVALID_INPUT', `${file} is not a regular file`);
  }
}

export const mediaAddCommand = defineCommand({
  words: ['media', 'add'],
  summary: 'encrypt files into the vault, attached to a testimony; prints id, SHA-256, size',
  usage: 'media add <dir> <testimony-id> <file>... [--custodian NAME]',
  help: [
    'Each file is hashed (SHA-256 of the original) and encrypted in one streaming pass.',
    'All or nothing: on Ctrl-C or any failure, files added by this command are removed again.',
    `--custodian <name>       who hands the files over (chain of custody); default TVAULT_CUSTODIAN, else "${DEFAULT_CUSTODIAN}"`,
    ...VAULT_HELP,
  ],
  cancellable: true,
  async run(args, context) {
    const { values, positionals } = parseCommandArgs(context.spec, args, { ...VAULT_OPTIONS, custodian: { type: 'string' } }, { min: 3, max: Infinity });
    const [dir = '', testimonyId = '', ...files] = positionals;
    const custodian = values.custodian ?? context.io.env.TVAULT_CUSTODIAN ?? DEFAULT_CUSTODIAN;
    if (custodian.trim().length === 0) throw new CliError('USAGE', '--custodian must not be empty');
    assertReadableFiles(files);
    const { io, out } = context;
    const signal = io.signal;
    const added = await withVault(context, dir, values['passphrase-file'], async (vault) => {
      const done: IntakeResult[] = [];
      try {
        for (const [index, file] of files.entries()) {
          if (signal?.aborted) throw new VaultError('CANCELLED', 'cancelled');
          const label = files.length > 1 ? `[${index + 1}/${files.length}] ${path.basename(file)}` : path.basename(file);
          const bar = createProgressBar(io.stderr, { enabled: io.isTTY.stderr && !out.json, label, unit: 'bytes' });
          try {
            done.push(await vault.addMedia(testimonyId, file, { custodian, onProgress: bar.update, ...(signal ? { signal } : {}) }));
          } finally {
            bar.finish();
          }
        }
        return done;
      } catch (error) {
        // All or nothing: the files this command already added are removed (crypto-shredded) again.
        const leftBehind: string[] = [];
        for (const media of done.reverse()) {
          try {
            vault.deleteMedia(media.id);
          } catch {
            leftBehind.push(media.id);
          }
        }
        if (leftBehind.length > 0) io.stderr.write(`tvault: warning: could not remove media ${leftBehind.join(', ')} again\n`);
        if (isVaultError(error) && error.code === 'CANCELLED') throw new VaultError('CANCELLED', 'cancelled; nothing was added');
        throw error;
      }
    });
    const media = added;
    out.result({ media }, () => {
      out.table(media.map((m) => [m.id, `sha256:${m.sha256}`, `${m.sizeBytes} bytes`, m.originalName]));
      for (const m of media.filter((item) => item.deduplicated)) out.note(`${m.originalName} was already in the vault; its encrypted copy is shared`);
    });
  },
});
