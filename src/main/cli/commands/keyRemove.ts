import { VaultError } from '../../core/errors.js';
import { defineCommand } from '../CommandSpec.js';
import { parseCommandArgs, VAULT_HELP, VAULT_OPTIONS } from '../parseCommandArgs.js';
import { canPrompt, promptLine } from '../promptLine.js';
import { oneLine } from '../terminalText.js';
import { withVault } from '../withVault.js';

export const keyRemoveCommand = defineCommand({
  words: ['key', 'remove'],
  summary: 'remove a key slot; its passphrase (or recovery key) stops opening the vault',
  usage: 'key remove <dir> <slot-id> [--yes]',
  help: [
    '<slot-id>                as shown by `tvault key list`',
    'Nothing is re-encrypted: anyone who copied the vault before still opens that copy with it.',
    'Removing the slot of the passphrase you use locks you out unless you hold another one.',
    'The last slot is never removed. On a terminal you are asked to confirm unless --yes is given.',
    '--yes                    do not ask for confirmation',
    ...VAULT_HELP,
  ],
  cancellable: false,
  async run(args, context) {
    const { values, positionals } = parseCommandArgs(context.spec, args, { ...VAULT_OPTIONS, yes: { type: 'boolean' } }, { min: 2, max: 2 });
    const [dir = '', slotId = ''] = positionals;
    const removed = await withVault(context, dir, values['passphrase-file'], async (vault) => {
      const slots = vault.listKeySlots();
      const slot = slots.find((candidate) => candidate.slotId === slotId);
      if (!slot) throw new VaultError('NOT_FOUND', `no key slot ${slotId} (see tvault key list)`);
      // The last slot is refused by core below; asking first would be a question for nothing.
      if (values.yes !== true && slots.length > 1 && canPrompt(context.io)) {
        const answer = await promptLine(
          context.io,
          `Remove key slot ${slotId} (${slot.kind}, "${oneLine(slot.label ?? '-')}")? It will no longer open the vault. Type "remove" to confirm: `,
          { echo: true },
        );
        if (answer.trim() !== 'remove') throw new VaultError('CANCELLED', 'not confirmed; nothing was removed');
      }
      vault.removeKeySlot(slotId);
      return slot;
    });
    context.out.result({ removed: true, slotId: removed.slotId, kind: removed.kind, label: removed.label }, () => {
      context.out.line(`removed key slot ${removed.slotId} (${removed.kind}, "${oneLine(removed.label ?? '-')}")`);
    });
  },
});
