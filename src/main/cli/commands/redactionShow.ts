import { defineCommand } from '../CommandSpec.js';
import { jsonText } from '../jsonText.js';
import { parseCommandArgs, VAULT_HELP, VAULT_OPTIONS } from '../parseCommandArgs.js';
import { planSummary } from '../planSummary.js';
import { withVault } from '../withVault.js';

export const redactionShowCommand = defineCommand({
  words: ['redaction', 'show'],
  summary: 'print the redaction plan saved with a testimony (JSON), if any',
  usage: 'redaction show <dir> <testimony-id>',
  help: [
    'Prints the plan as `redaction suggest` does, so it can be edited and saved again. Without a saved',
    'plan it says so (exit 0, "plan": null): an export would then use every suggestion.',
    ...VAULT_HELP,
  ],
  cancellable: false,
  async run(args, context) {
    const { values, positionals } = parseCommandArgs(context.spec, args, VAULT_OPTIONS, { min: 2, max: 2 });
    const [dir = '', testimonyId = ''] = positionals;
    const plan = await withVault(context, dir, values['passphrase-file'], (vault) => {
      vault.getTestimony(testimonyId); // NOT_FOUND for an unknown id, rather than "no plan"
      return vault.loadRedactionPlan(testimonyId);
    });
    const { io, out } = context;
    out.result({ testimonyId, plan }, () => {
      if (plan === null) return out.note(`no redaction plan is saved for ${testimonyId}; an export would use every suggestion`);
      io.stdout.write(jsonText(plan));
      out.note(planSummary(plan));
    });
  },
});
