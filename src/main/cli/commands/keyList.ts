import { defineCommand } from '../CommandSpec.js';
import { parseCommandArgs, VAULT_HELP, VAULT_OPTIONS } from '../parseCommandArgs.js';
import { withVault } from '../withVault.js';

export const keyListCommand = defineCommand({
  words: ['key', 'list'],
  summary: 'list the key slots: id, kind (passphrase or recovery), creation date, label',
  usage: 'key list <dir>',
  help: [
    'Each slot opens the same vault: one per team member\'s passphrase, plus at most one recovery key.',
    'Labels are stored encrypted; nothing about a slot is shown before the vault is unlocked.',
    ...VAULT_HELP,
  ],
  cancellable: false,
  async run(args, context) {
    const { values, positionals } = parseCommandArgs(context.spec, args, VAULT_OPTIONS, { min: 1, max: 1 });
    const [dir = ''] = positionals;
    const slots = await withVault(context, dir, values['passphrase-file'], (vault) => vault.listKeySlots());
    context.out.result({ slots }, () => {
      context.out.table([['SLOT', 'KIND', 'CREATED', 'LABEL'], ...slots.map((slot) => [slot.slotId, slot.kind, slot.createdAt ?? '-', slot.label ?? '-'])]);
    });
  },
});
