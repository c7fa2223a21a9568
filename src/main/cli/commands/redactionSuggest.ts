import { defineCommand } from '../CommandSpec.js';
import { jsonText } from '../jsonText.js';
import { assertNewFile, writeNewFile } from '../newOutput.js';
import { parseCommandArgs, VAULT_HELP, VAULT_OPTIONS } from '../parseCommandArgs.js';
import { PLAN_FILE_WARNING, planCounts, planSummary } from '../planSummary.js';
import { withVault } from '../withVault.js';

export const redactionSuggestCommand = defineCommand({
  words: ['redaction', 'suggest'],
  summary: 'draft a redaction plan (JSON): every suggested name, phone, ID, ... accepted',
  usage: 'redaction suggest <dir> <testimony-id> [--out plan.json]',
  help: [
    'Prints the plan (JSON, format tvault-redaction-plan/1), or writes it to --out (mode 0600, never',
    'overwrites). Edit the decisions ("accept" / "reject"), add terms, spans and image regions, then',
    '`tvault redaction save` it, or pass it to `tvault export --plan`. See docs/EXPORT.md.',
    'The plan holds the text it hides: do not leave it on disk.',
    '--out <file>             write the plan to <file> instead of stdout',
    ...VAULT_HELP,
  ],
  cancellable: false,
  async run(args, context) {
    const { values, positionals } = parseCommandArgs(context.spec, args, { ...VAULT_OPTIONS, out: { type: 'string' } }, { min: 2, max: 2 });
    const [dir = '', testimonyId = ''] = positionals;
    const outFile = values.out === undefined ? undefined : assertNewFile(values.out);
    const plan = await withVault(context, dir, values['passphrase-file'], (vault) => vault.suggestRedactionPlan(testimonyId));
    const { io, out } = context;
    if (outFile !== undefined) {
      writeNewFile(outFile, jsonText(plan), 0o600);
      out.result({ testimonyId, out: outFile, ...planCounts(plan) }, () => {
        out.line(`wrote ${outFile}: ${planSummary(plan)}`);
        out.note(`warning: ${PLAN_FILE_WARNING}`);
      });
      return;
    }
    out.result({ testimonyId, plan }, () => {
      io.stdout.write(jsonText(plan));
      out.note(planSummary(plan));
    });
  },
});
