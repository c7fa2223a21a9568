import { readKeyFile } from './readKeyFile.js';

/** The one-line form of a minisign public key, as `minisign -P` takes it. */
const MINISIGN_KEY_LINE = /^RW[A-Za-z0-9+/]{54}$/;

/** `--signer` of `bundle verify` and `bundle open`. */
export const SIGNER_OPTION = { signer: { type: 'string' } } as const;
export const SIGNER_HELP = [
  "--signer <file|RW...>    the exporter's minisign public key (exporter.pub, or its RW... line),",
  '                         received by another channel; without it the bundle is only checked',
  '                         against the key it names itself',
] as const;
export const UNCHECKED_SIGNER_NOTE = 'the signer was not compared with a key you hold: add --signer exporter.pub (received from the organisation by another channel)';

/** The expected signer: the `RW…` line itself, or the text of a minisign `.pub` file. Core parses it. */
export function readSigner(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  return MINISIGN_KEY_LINE.test(value.trim()) ? value.trim() : readKeyFile(value, '--signer');
}
