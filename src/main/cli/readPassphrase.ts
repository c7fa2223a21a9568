import fs from 'node:fs';
import { VaultError } from '../core/errors.js';
import { CliError } from './CliError.js';
import type { CliIo } from './CliIo.js';
import { canPrompt, promptLine } from './promptLine.js';

export type PassphraseSource = {
  /** `--passphrase-file` (or `--new-passphrase-file`, `--recovery-key-file`, `--bundle-passphrase-file`), when given. */
  file: string | undefined;
  envName: 'TVAULT_PASSPHRASE' | 'TVAULT_NEW_PASSPHRASE' | 'TVAULT_RECOVERY_KEY' | 'TVAULT_BUNDLE_PASSPHRASE';
  fileOption: '--passphrase-file' | '--new-passphrase-file' | '--recovery-key-file' | '--bundle-passphrase-file';
  question: string;
  /** Ask twice when prompting (new passphrases), so a typo cannot lock the archive for good. */
  confirm: boolean;
  /**
   * A recovery key: named so in messages, and read from the whole file (it may be copied over
   * several lines; core ignores spaces and dashes). A passphrase is the file's first line.
   */
  recoveryKey?: boolean;
};

function readSecretFile(file: string, source: PassphraseSource): string {
  let content: string;
  try {
    content = fs.readFileSync(file, 'utf8');
  } catch {
    throw new VaultError('FILE_NOT_FOUND', `cannot read the ${source.fileOption} ${file}`);
  }
  const text = content.replace(/^\uFEFF/, '');
  const secret = source.recoveryKey === true ? text.trim() : (text.split(/\r?\n/)[0] ?? '');
  if (secret.length === 0) throw new CliError('NO_PASSPHRASE', `the ${source.fileOption} ${file} is empty`);
  return secret;
}

/**
 * The passphrase (or recovery key), from (in order) the file option, the environment, or a no-echo
 * prompt. Never logged, never written anywhere, never part of an error message.
 */
export async function readPassphrase(io: CliIo, source: PassphraseSource): Promise<string> {
  if (source.file !== undefined) return readSecretFile(source.file, source);
  const fromEnv = io.env[source.envName];
  if (fromEnv !== undefined && fromEnv !== '') return fromEnv;
  const noun = source.recoveryKey === true ? 'recovery key' : 'passphrase';
  if (!canPrompt(io)) {
    throw new CliError('NO_PASSPHRASE', `no ${noun}: set ${source.envName}, use ${source.fileOption}, or run in a terminal`);
  }
  const first = await promptLine(io, source.question, { echo: false });
  if (first.length === 0) throw new CliError('NO_PASSPHRASE', `no ${noun} entered`);
  if (!source.confirm) return first;
  const second = await promptLine(io, 'Repeat it: ', { echo: false });
  if (first !== second) throw new CliError('PASSPHRASE_MISMATCH', 'the two passphrases differ; nothing was changed');
  return first;
}
