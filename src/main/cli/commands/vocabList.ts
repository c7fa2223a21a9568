import { VOCABULARY_SCHEMES } from '../../core/records/vocabularySchema.js';
import { defineCommand } from '../CommandSpec.js';
import { parseCommandArgs, VAULT_HELP, VAULT_OPTIONS } from '../parseCommandArgs.js';
import { parseScheme } from '../parseScheme.js';
import { withVault } from '../withVault.js';

export const vocabListCommand = defineCommand({
  words: ['vocab', 'list'],
  summary: 'list vocabulary terms (facilities, perpetrator units, violations)',
  usage: `vocab list <dir> [--scheme ${VOCABULARY_SCHEMES.join('|')}]`,
  help: ['--scheme <scheme>        only this scheme', ...VAULT_HELP],
  cancellable: false,
  async run(args, context) {
    const { values, positionals } = parseCommandArgs(context.spec, args, { ...VAULT_OPTIONS, scheme: { type: 'string' } }, { min: 1, max: 1 });
    const [dir = ''] = positionals;
    const scheme = values.scheme === undefined ? undefined : parseScheme(values.scheme);
    const terms = await withVault(context, dir, values['passphrase-file'], (vault) => vault.listVocabulary(scheme));
    context.out.result({ terms }, () => {
      context.out.table([
        ['ID', 'SCHEME', 'ENGLISH', 'ARABIC', 'ALIASES'],
        ...terms.map((t) => [t.id, t.scheme, t.labelEn ?? '-', t.labelAr ?? '-', t.aliases.join(', ')]),
      ]);
    });
  },
});
