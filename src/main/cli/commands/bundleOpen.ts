import fs from 'node:fs';
import path from 'node:path';
import { ensureSodium } from '../../core/crypto/index.js';
import { VaultError } from '../../core/errors.js';
import { BundleError } from '../../core/export/BundleError.js';
import { openBundle, type OpenBundleResult } from '../../core/export/openBundle.js';
import { CliError } from '../CliError.js';
import { defineCommand } from '../CommandSpec.js';
import { isNewOrEmptyFolder } from '../newOutput.js';
import { COMMON_HELP, COMMON_OPTIONS, parseCommandArgs } from '../parseCommandArgs.js';
import { BUNDLE_PASSPHRASE_HELP, BUNDLE_PASSPHRASE_OPTIONS, readBundlePassphrase } from '../readBundlePassphrase.js';
import { readKeyFile } from '../readKeyFile.js';
import { readSigner, SIGNER_HELP, SIGNER_OPTION, UNCHECKED_SIGNER_NOTE } from '../signerOption.js';

/** Puts --out back as it was: removed if this command created it, emptied if it was an empty folder. */
function removeOutput(outDir: string, existed: boolean): void {
  if (!existed) {
    fs.rmSync(outDir, { recursive: true, force: true });
    return;
  }
  for (const name of fs.readdirSync(outDir)) fs.rmSync(path.join(outDir, name), { recursive: true, force: true });
}

export const bundleOpenCommand = defineCommand({
  words: ['bundle', 'open'],
  summary: 'check a received bundle completely, then decrypt it into a new folder',
  usage: 'bundle open <bundle-dir> (--identity key.txt | --passphrase-protected) --out <dir> [--signer <file|RW...>]',
  help: [
    'Needs no vault. Everything is checked before anything is written: the outer layer as in',
    '`bundle verify`, then a first decrypting pass that writes nothing (age to its final chunk, the',
    'tar, the inner signed manifest, every file hash, every testimony and image); then a second pass',
    'writes the files (mode 0600), only under --out, comparing each with the first pass.',
    '--identity <key.txt>     your age identity file (tvault keygen or age-keygen)',
    '--passphrase-protected   the bundle is protected by a passphrase instead',
    ...BUNDLE_PASSPHRASE_HELP,
    '--out <dir>              a new or empty folder for the contents',
    ...SIGNER_HELP,
    'Ctrl-C: the checks cannot be interrupted; once they end, whatever was written is removed.',
    'A second Ctrl-C quits at once (then remove --out yourself).',
    ...COMMON_HELP,
  ],
  cancellable: true,
  async run(args, context) {
    const { values, positionals } = parseCommandArgs(
      context.spec,
      args,
      {
        ...COMMON_OPTIONS,
        ...BUNDLE_PASSPHRASE_OPTIONS,
        identity: { type: 'string' },
        'passphrase-protected': { type: 'boolean' },
        out: { type: 'string' },
        ...SIGNER_OPTION,
      },
      { min: 1, max: 1 },
    );
    const [bundleDir = ''] = positionals;
    const { io, out } = context;
    const signal = io.signal;
    const byPassphrase = values['passphrase-protected'] === true;
    if (byPassphrase === (values.identity !== undefined)) throw new CliError('USAGE', 'give either --identity <key.txt> or --passphrase-protected');
    if (!byPassphrase && values['bundle-passphrase-file'] !== undefined) throw new CliError('USAGE', '--bundle-passphrase-file goes with --passphrase-protected');
    if (values.out === undefined) throw new CliError('USAGE', '--out <dir> is required');
    const outDir = path.resolve(values.out);
    if (!isNewOrEmptyFolder(outDir)) throw new BundleError('OUT_DIR_NOT_EMPTY', `${outDir} exists and is not an empty folder`);
    const existed = fs.existsSync(outDir);
    const expectedSigner = readSigner(values.signer);
    const identityText = values.identity === undefined ? undefined : readKeyFile(values.identity, '--identity');
    const passphrase = byPassphrase ? await readBundlePassphrase(io, values['bundle-passphrase-file'], { confirm: false }) : undefined;
    if (signal?.aborted) throw new VaultError('CANCELLED', 'cancelled');

    const onAbort = () => out.note('stopping once the checks under way end; everything written will be removed (Ctrl-C again to quit at once)');
    signal?.addEventListener('abort', onAbort, { once: true });
    // openBundle parses the identity before it loads libsodium itself (a core bug); load it first.
    await ensureSodium();
    let result: OpenBundleResult | undefined;
    try {
      result = await openBundle({
        bundleDir,
        outDir,
        ...(identityText !== undefined ? { identityText } : {}),
        ...(passphrase !== undefined ? { passphrase } : {}),
        ...(expectedSigner !== undefined ? { expectedSigner } : {}),
      });
    } catch (error) {
      // openBundle has removed what it wrote; a refusal keeps its own code even after Ctrl-C.
      if (signal?.aborted && !(error instanceof BundleError)) throw new VaultError('CANCELLED', `cancelled; nothing was left in ${outDir}`);
      throw error;
    } finally {
      signal?.removeEventListener('abort', onAbort);
    }
    if (signal?.aborted) {
      removeOutput(outDir, existed);
      throw new VaultError('CANCELLED', `cancelled; nothing was left in ${outDir}`);
    }

    const opened = result;
    out.result({ ...opened, signerExpected: expectedSigner !== undefined }, () => {
      out.line(`opened bundle ${opened.bundleId} (profile ${opened.profile}, signed by minisign key ${opened.signer.keyId}) into ${opened.outDir}`);
      out.table(opened.items.map((item) => [item.controlNumber, item.testimony, item.media.join(' ')]));
      out.line(`${opened.files.length} files, each checked against the signed manifest`);
      if (expectedSigner === undefined) out.note(UNCHECKED_SIGNER_NOTE);
    });
  },
});
