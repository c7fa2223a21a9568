import { CliError } from '../CliError.js';
import { defineCommand } from '../CommandSpec.js';
import { assertNewFile, writeNewFile } from '../newOutput.js';
import { parseCommandArgs, VAULT_HELP, VAULT_OPTIONS } from '../parseCommandArgs.js';
import { withVault } from '../withVault.js';

export const identityCommand = defineCommand({
  words: ['identity'],
  summary: "print the vault's minisign public key, for recipients to check its exports",
  usage: 'identity <dir> --minisign-pub [--out exporter.pub]',
  help: [
    '--minisign-pub           the minisign public key file (two lines) that `minisign -V -p` reads',
    '--out <file>             write it to <file> (never overwrites) instead of printing it',
    'Give it to recipients by another channel than the bundle (in person, on paper, by phone for the',
    'RW... line): a key that travels with the bundle proves nothing.',
    ...VAULT_HELP,
  ],
  cancellable: false,
  async run(args, context) {
    const { values, positionals } = parseCommandArgs(
      context.spec,
      args,
      { ...VAULT_OPTIONS, 'minisign-pub': { type: 'boolean' }, out: { type: 'string' } },
      { min: 1, max: 1 },
    );
    const [dir = ''] = positionals;
    if (values['minisign-pub'] !== true) throw new CliError('USAGE', 'say which key: --minisign-pub');
    const outFile = values.out === undefined ? undefined : assertNewFile(values.out);
    const key = await withVault(context, dir, values['passphrase-file'], (vault) => vault.exporterPublicKey());
    // A public key: readable by anyone, like the .pub file minisign -G writes.
    if (outFile !== undefined) writeNewFile(outFile, key.fileText, 0o644);
    const { io, out } = context;
    out.result({ keyId: key.keyId, publicKey: key.publicKey, fileText: key.fileText, ...(outFile !== undefined ? { out: outFile } : {}) }, () => {
      if (outFile !== undefined) out.line(`wrote ${outFile} (minisign key ${key.keyId}: ${key.publicKey})`);
      // Exactly the file's text on stdout, so `minisign -V -p <(tvault identity ...)` reads it.
      else io.stdout.write(key.fileText);
    });
  },
});
