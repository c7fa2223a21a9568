import fs from 'node:fs';
import { VaultError } from '../core/errors.js';
import { CliError } from './CliError.js';
import type { CliIo } from './CliIo.js';
import { canPrompt, promptLine } from './promptLine.js';

export type PassphraseSource = {
  /** `--passphrase-file` (or `--new-passphrase-file`), when given. */
  file: string | undefined;
  envName: 'TVAULT_PASSPHRASE' | 'TVAULT_NEW_PASSPHRASE';
  fileOption: '--passphrase-file' | '--new-passphrase-file';
  question: string;
  /** Ask twice when prompting (new passphrases), so a typo cannot lock the archive for good. */
  confirm: boolean;
};

function readPassphraseFile(file: string, fileOption: string): string {
  let content: string;
  try {
    content = fs.readFileSync(file, 'utf8');
  } catch {
    throw new VaultError('FILE_NOT_FOUND', `cannot read the ${fileOption} ${file}`);
  }
  const firstLine = content.replace(/^\uFEFF/, '').split(/\r?\n/)[0] ?? '';
  if (firstLine.length === 0) throw new CliError('NO_PASSPHRASE', `the ${fileOption} ${file} is empty`);
  return firstLine;
}

/**
 * The passphrase, from (in order) the file option, the environment, or a no-echo prompt.
 * Never logged, never written anywhere, never part of an error message.
 */
export async function readPassphrase(io: CliIo, source: PassphraseSource): Promise<string> {
  if (source.file !== undefined) return readPassphraseFile(source.file, source.fileOption);
  const fromEnv = io.env[source.envName];
  if (fromEnv !== undefined && fromEnv !== '') return fromEnv;
  if (!canPrompt(io)) {
    throw new CliError('NO_PASSPHRASE', `no passphrase: set ${source.envName}, use ${source.fileOption}, or run in a terminal`);
  }
  const first = await promptLine(io, source.question, { echo: false });
  if (first.length === 0) throw new CliError('NO_PASSPHRASE', 'no passphrase entered');
  if (!source.confirm) return first;
  const second = await promptLine(io, 'Repeat it: ', { echo: false });
  if (first !== second) throw new CliError('PASSPHRASE_MISMATCH', 'the two passphrases differ; nothing was changed');
  return first;
}
