import { VaultError } from '../../core/errors.js';
import { defineCommand } from '../CommandSpec.js';
import { parseCommandArgs, VAULT_HELP, VAULT_OPTIONS } from '../parseCommandArgs.js';
import { canPrompt, promptLine } from '../promptLine.js';
import { withVault } from '../withVault.js';

export const testimonyDeleteCommand = defineCommand({
  words: ['testimony', 'delete'],
  summary: 'crypto-shred a testimony, its media and the persons only it names',
  usage: 'testimony delete <dir> <id> [--yes]',
  help: [
    'The keys are destroyed: the data cannot be recovered, from this vault or from any copy of it.',
    'On a terminal you are asked to confirm unless --yes is given; scripts are not asked.',
    '--yes                    do not ask for confirmation',
    ...VAULT_HELP,
  ],
  cancellable: false,
  async run(args, context) {
    const { values, positionals } = parseCommandArgs(context.spec, args, { ...VAULT_OPTIONS, yes: { type: 'boolean' } }, { min: 2, max: 2 });
    const [dir = '', id = ''] = positionals;
    const removed = await withVault(context, dir, values['passphrase-file'], async (vault) => {
      const testimony = vault.getTestimony(id);
      if (values.yes !== true && canPrompt(context.io)) {
        const mediaCount = vault.listMedia(id).length;
        const answer = await promptLine(
          context.io,
          `Delete testimony ${testimony.reference} (${id}) with ${mediaCount} media file(s), for good? Type "delete" to confirm: `,
          { echo: true },
        );
        if (answer.trim() !== 'delete') throw new VaultError('CANCELLED', 'not confirmed; nothing was deleted');
      }
      return { reference: testimony.reference, ...vault.deleteTestimony(id) };
    });
    context.out.result({ id, reference: removed.reference, mediaDeleted: removed.mediaDeleted, personsDeleted: removed.personsDeleted }, () => {
      context.out.line(`deleted testimony ${removed.reference} (${id}): ${removed.mediaDeleted} media file(s) and ${removed.personsDeleted} person(s) crypto-shredded`);
    });
  },
});
