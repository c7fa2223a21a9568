import { VaultError } from '../errors.js';

export const MIN_PASSPHRASE_CHARS = 10;
export const MAX_PASSPHRASE_CHARS = 1024;

/** For new passphrases only. Unlock never lectures: a wrong passphrase is just wrong. */
export function assertAcceptablePassphrase(passphrase: string): void {
  const length = [...passphrase.normalize('NFC')].length;
  if (length < MIN_PASSPHRASE_CHARS) {
    throw new VaultError('WEAK_PASSPHRASE', `the passphrase must have at least ${MIN_PASSPHRASE_CHARS} characters; several unrelated words are best`);
  }
  if (length > MAX_PASSPHRASE_CHARS) {
    throw new VaultError('WEAK_PASSPHRASE', `the passphrase must have at most ${MAX_PASSPHRASE_CHARS} characters`);
  }
}

export function couldBeAPassphrase(passphrase: string): boolean {
  const length = [...passphrase.normalize('NFC')].length;
  return length >= 1 && length <= MAX_PASSPHRASE_CHARS;
}
