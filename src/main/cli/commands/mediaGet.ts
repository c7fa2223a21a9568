import fs from 'node:fs';
import path from 'node:path';
import { CliError } from '../CliError.js';
import { defineCommand } from '../CommandSpec.js';
import { parseCommandArgs, VAULT_HELP, VAULT_OPTIONS } from '../parseCommandArgs.js';
import { createProgressBar } from '../progressBar.js';
import { withVault } from '../withVault.js';

function exists(file: string): boolean {
  try {
    // lstat: a dangling symlink counts as "exists" too; it must never be followed and written through.
    fs.lstatSync(file);
    return true;
  } catch {
    return false;
  }
}

export const mediaGetCommand = defineCommand({
  words: ['media', 'get'],
  summary: 'decrypt a media file to --out (never overwrites); checks its SHA-256',
  usage: 'media get <dir> <media-id> --out <file>',
  help: [
    '--out <file>             where to write the original bytes; must not exist yet',
    'The SHA-256 taken at intake is checked; on a mismatch the output is removed.',
    ...VAULT_HELP,
  ],
  cancellable: false,
  async run(args, context) {
    const { values, positionals } = parseCommandArgs(context.spec, args, { ...VAULT_OPTIONS, out: { type: 'string' } }, { min: 2, max: 2 });
    const [dir = '', mediaId = ''] = positionals;
    if (values.out === undefined) throw new CliError('USAGE', '--out <file> is required');
    const out = path.resolve(values.out);
    if (exists(out)) throw new CliError('OUTPUT_EXISTS', `${out} already exists; choose a new file name`);
    const { io } = context;
    const media = await withVault(context, dir, values['passphrase-file'], async (vault) => {
      const bar = createProgressBar(io.stderr, { enabled: io.isTTY.stderr && !context.out.json, label: path.basename(out), unit: 'bytes' });
      try {
        return await vault.exportMedia(mediaId, out, bar.update);
      } finally {
        bar.finish();
      }
    });
    context.out.result({ id: media.id, out, sizeBytes: media.sizeBytes, sha256: media.sha256 }, () => {
      context.out.line(`wrote ${out} (${media.sizeBytes} bytes, SHA-256 ${media.sha256} verified)`);
    });
  },
});
