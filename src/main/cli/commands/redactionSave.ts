import { defineCommand } from '../CommandSpec.js';
import { parseCommandArgs, VAULT_HELP, VAULT_OPTIONS } from '../parseCommandArgs.js';
import { planCounts, planSummary } from '../planSummary.js';
import { readJsonFile } from '../readJsonFile.js';
import { withVault } from '../withVault.js';

export const redactionSaveCommand = defineCommand({
  words: ['redaction', 'save'],
  summary: 'keep a reviewed redaction plan with its testimony, encrypted',
  usage: 'redaction save <dir> <testimony-id> <plan.json>',
  help: [
    'An export without --plan uses the saved plan of each testimony. The plan is encrypted in the vault',
    'and crypto-shredded with the testimony. Delete plan.json afterwards: it holds the text it hides.',
    ...VAULT_HELP,
  ],
  cancellable: false,
  async run(args, context) {
    const { values, positionals } = parseCommandArgs(context.spec, args, VAULT_OPTIONS, { min: 3, max: 3 });
    const [dir = '', testimonyId = '', file = ''] = positionals;
    const input = readJsonFile(file);
    const plan = await withVault(context, dir, values['passphrase-file'], (vault) => vault.saveRedactionPlan(testimonyId, input));
    const { out } = context;
    out.result({ testimonyId, ...planCounts(plan) }, () => {
      out.line(`saved the redaction plan of ${testimonyId}: ${planSummary(plan)}`);
      out.note(`${file} still holds the text it hides; delete it now that the vault keeps the plan`);
    });
  },
});
