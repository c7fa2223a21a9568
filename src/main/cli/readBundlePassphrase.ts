import type { CliIo } from './CliIo.js';
import { readPassphrase } from './readPassphrase.js';

/** The option that `export --passphrase-protect` and `bundle open --passphrase-protected` take. */
export const BUNDLE_PASSPHRASE_OPTIONS = { 'bundle-passphrase-file': { type: 'string' } } as const;
export const BUNDLE_PASSPHRASE_HELP = [
  '--bundle-passphrase-file <f>  read the bundle passphrase from the first line of <f>',
  '                         (else TVAULT_BUNDLE_PASSPHRASE, else a no-echo prompt)',
] as const;

/**
 * The passphrase of a passphrase-protected bundle (age scrypt), not the vault's: from
 * --bundle-passphrase-file, TVAULT_BUNDLE_PASSPHRASE, or a no-echo prompt, asked twice when
 * exporting so a typo cannot make the bundle unreadable.
 */
export function readBundlePassphrase(io: CliIo, file: string | undefined, options: { confirm: boolean }): Promise<string> {
  return readPassphrase(io, {
    file,
    envName: 'TVAULT_BUNDLE_PASSPHRASE',
    fileOption: '--bundle-passphrase-file',
    question: options.confirm ? 'Passphrase for the bundle (give it to the recipient by another channel): ' : 'Bundle passphrase: ',
    confirm: options.confirm,
  });
}
