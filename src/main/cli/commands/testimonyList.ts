import { defineCommand } from '../CommandSpec.js';
import { parseCommandArgs, VAULT_HELP, VAULT_OPTIONS } from '../parseCommandArgs.js';
import { withVault } from '../withVault.js';

export const testimonyListCommand = defineCommand({
  words: ['testimony', 'list'],
  summary: 'list testimonies (id, reference, version, status, title)',
  usage: 'testimony list <dir>',
  help: [...VAULT_HELP],
  cancellable: false,
  async run(args, context) {
    const { values, positionals } = parseCommandArgs(context.spec, args, VAULT_OPTIONS, { min: 1, max: 1 });
    const [dir = ''] = positionals;
    const testimonies = await withVault(context, dir, values['passphrase-file'], (vault) => vault.listTestimonies());
    context.out.result({ testimonies }, () => {
      if (testimonies.length === 0) return context.out.note('the vault holds no testimony yet');
      context.out.table([
        ['ID', 'REFERENCE', 'V', 'STATUS', 'SENSITIVITY', 'INTERVIEW', 'TITLE'],
        ...testimonies.map((t) => [t.id, t.reference, String(t.version), t.status, t.sensitivity, t.interviewDate ?? '-', t.title]),
      ]);
    });
  },
});
