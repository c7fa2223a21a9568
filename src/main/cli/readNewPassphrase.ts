import type { CliIo } from './CliIo.js';
import { readPassphrase } from './readPassphrase.js';

/** The option that `passwd`, `key add` and `recover` take for the new passphrase. */
export const NEW_PASSPHRASE_OPTIONS = { 'new-passphrase-file': { type: 'string' } } as const;
export const NEW_PASSPHRASE_HELP = [
  '--new-passphrase-file <f>  read the new passphrase from the first line of <f>',
  '                         (else TVAULT_NEW_PASSPHRASE, else a no-echo prompt, asked twice)',
] as const;

/**
 * A new passphrase (passwd, key add, recover): from --new-passphrase-file, TVAULT_NEW_PASSPHRASE,
 * or a no-echo prompt asked twice. Core checks its length when it is used.
 */
export function readNewPassphrase(io: CliIo, file: string | undefined, question = 'New passphrase: '): Promise<string> {
  return readPassphrase(io, {
    file,
    envName: 'TVAULT_NEW_PASSPHRASE',
    fileOption: '--new-passphrase-file',
    question,
    confirm: true,
  });
}
