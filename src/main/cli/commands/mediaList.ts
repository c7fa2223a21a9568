import { defineCommand } from '../CommandSpec.js';
import { parseCommandArgs, VAULT_HELP, VAULT_OPTIONS } from '../parseCommandArgs.js';
import { withVault } from '../withVault.js';

export const mediaListCommand = defineCommand({
  words: ['media', 'list'],
  summary: 'list media (all, or those of one testimony)',
  usage: 'media list <dir> [<testimony-id>]',
  help: [...VAULT_HELP],
  cancellable: false,
  async run(args, context) {
    const { values, positionals } = parseCommandArgs(context.spec, args, VAULT_OPTIONS, { min: 1, max: 2 });
    const [dir = '', testimonyId] = positionals;
    const media = await withVault(context, dir, values['passphrase-file'], (vault) => vault.listMedia(testimonyId));
    context.out.result({ media }, () => {
      if (media.length === 0) return context.out.note('no media');
      context.out.table([
        ['ID', 'TESTIMONY', 'BYTES', 'SHA-256', 'INTAKE', 'CUSTODIAN', 'NAME'],
        ...media.map((m) => [m.id, m.testimonyId, String(m.sizeBytes), m.sha256, m.intakeAt, m.custodian, m.originalName]),
      ]);
    });
  },
});
