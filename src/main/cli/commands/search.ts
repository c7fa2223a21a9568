import { defineCommand } from '../CommandSpec.js';
import { parseCommandArgs, VAULT_HELP, VAULT_OPTIONS } from '../parseCommandArgs.js';
import { withVault } from '../withVault.js';

export const searchCommand = defineCommand({
  words: ['search'],
  summary: 'find testimonies containing every word of the query',
  usage: 'search <dir> "<query>"',
  help: [
    'Matches reference, title, summary, transcript, tags and vocabulary labels; Arabic is matched',
    'with or without harakat and alef variants. Decrypts in memory only; nothing is written.',
    ...VAULT_HELP,
  ],
  cancellable: false,
  async run(args, context) {
    const { values, positionals } = parseCommandArgs(context.spec, args, VAULT_OPTIONS, { min: 2, max: 2 });
    const [dir = '', query = ''] = positionals;
    // Thin on purpose: core's search() is the one to be replaced by the encrypted FTS index.
    const hits = await withVault(context, dir, values['passphrase-file'], (vault) => vault.search(query));
    context.out.result({ hits }, () => {
      if (hits.length === 0) return context.out.note('no testimony matches');
      context.out.table(hits.map((hit) => [hit.id, hit.reference]));
    });
  },
});
