import { VOCABULARY_SCHEMES } from '../../core/records/vocabularySchema.js';
import { CliError } from '../CliError.js';
import { defineCommand } from '../CommandSpec.js';
import { parseCommandArgs, VAULT_HELP, VAULT_OPTIONS } from '../parseCommandArgs.js';
import { parseScheme } from '../parseScheme.js';
import { withVault } from '../withVault.js';

export const vocabAddCommand = defineCommand({
  words: ['vocab', 'add'],
  summary: 'add a vocabulary term; prints its id',
  usage: `vocab add <dir> --scheme ${VOCABULARY_SCHEMES.join('|')} [--en LABEL] [--ar LABEL] [--alias A ...]`,
  help: [
    '--scheme <scheme>        required',
    '--en <label>             English label  } at least one of the two',
    '--ar <label>             Arabic label   }',
    '--alias <alias>          another spelling; repeat for several',
    ...VAULT_HELP,
  ],
  cancellable: false,
  async run(args, context) {
    const { values, positionals } = parseCommandArgs(
      context.spec,
      args,
      { ...VAULT_OPTIONS, scheme: { type: 'string' }, en: { type: 'string' }, ar: { type: 'string' }, alias: { type: 'string', multiple: true } },
      { min: 1, max: 1 },
    );
    const [dir = ''] = positionals;
    if (values.scheme === undefined) throw new CliError('USAGE', '--scheme is required');
    const scheme = parseScheme(values.scheme);
    if (values.en === undefined && values.ar === undefined) throw new CliError('USAGE', 'give --en, --ar or both');
    const input = {
      scheme,
      ...(values.en !== undefined ? { labelEn: values.en } : {}),
      ...(values.ar !== undefined ? { labelAr: values.ar } : {}),
      aliases: values.alias ?? [],
    };
    const term = await withVault(context, dir, values['passphrase-file'], (vault) => vault.addVocabularyTerm(input));
    context.out.result({ term }, () => context.out.line(term.id));
  },
});
