import fs from 'node:fs';
import { readKeyFile } from './readKeyFile.js';

/** The one-line form of a minisign public key, as `minisign -P` takes it. */
const MINISIGN_KEY_LINE = /^RW[A-Za-z0-9+/]{54}$/;
/** A minisign key id as `tvault trust list` prints it. */
const KEY_ID = /^[0-9A-Fa-f]{16}$/;

/**
 * A sender's key for `trust add` / `trust remove`: the `RW…` line itself, a key id (when `allowKeyId`),
 * or the text of a minisign `.pub` file. Core parses it and names what is wrong.
 */
export function readSenderKeyArg(value: string, allowKeyId: boolean): string {
  const trimmed = value.trim();
  if (MINISIGN_KEY_LINE.test(trimmed)) return trimmed;
  if (allowKeyId && KEY_ID.test(trimmed) && !fs.existsSync(value)) return trimmed;
  return readKeyFile(value, 'sender key');
}
