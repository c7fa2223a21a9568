import { defineCommand } from '../CommandSpec.js';
import type { Output } from '../Output.js';
import { parseCommandArgs, VAULT_HELP, VAULT_OPTIONS } from '../parseCommandArgs.js';
import { parseProfile, PROFILE_HELP } from '../parseProfile.js';
import { readJsonFile } from '../readJsonFile.js';
import { withVault } from '../withVault.js';

type Preview = { anonymised: boolean; title: string; summary: string; transcript: string; warnings: string[]; replacements: { field: string; category: string; pseudonym: string; offset: number }[] };

function printPreview(out: Output, profile: string, preview: Preview): void {
  out.line(`profile ${profile}: ${preview.anonymised ? 'anonymised (names and identifiers replaced)' : 'not anonymised (only accepted plan items, terms and spans apply)'}`);
  out.line(`title: ${preview.title}`);
  for (const [label, text] of [['summary', preview.summary], ['transcript', preview.transcript]] as const) {
    if (text.length === 0) continue;
    out.line();
    out.line(`${label}:`);
    for (const line of text.split(/\r?\n/)) out.line(`  ${line}`);
  }
  const byCategory = new Map<string, number>();
  for (const replacement of preview.replacements) byCategory.set(replacement.category, (byCategory.get(replacement.category) ?? 0) + 1);
  out.line();
  out.line(`${preview.replacements.length} replacement(s)${byCategory.size > 0 ? `: ${[...byCategory].map(([category, count]) => `${count} ${category}`).join(', ')}` : ''}`);
  for (const warning of preview.warnings) out.line(`warning: ${warning}`);
}

export const redactionPreviewCommand = defineCommand({
  words: ['redaction', 'preview'],
  summary: "show a testimony's text as an export with --profile would redact it",
  usage: 'redaction preview <dir> <testimony-id> --profile <profile> [--plan plan.json]',
  help: [
    ...PROFILE_HELP,
    '--plan <plan.json>       preview with this plan (default: the saved plan, else every suggestion)',
    'Refuses as the export would (withdrawn consent, a profile outside the consent, a stale plan).',
    'Pseudonym numbers are those of a one-testimony bundle; in a larger bundle they may differ.',
    ...VAULT_HELP,
  ],
  cancellable: false,
  async run(args, context) {
    const { values, positionals } = parseCommandArgs(
      context.spec,
      args,
      { ...VAULT_OPTIONS, profile: { type: 'string' }, plan: { type: 'string' } },
      { min: 2, max: 2 },
    );
    const [dir = '', testimonyId = ''] = positionals;
    const profile = parseProfile(values.profile);
    const plan = values.plan === undefined ? undefined : readJsonFile(values.plan);
    const result = await withVault(context, dir, values['passphrase-file'], (vault) => vault.previewRedaction(testimonyId, profile, plan));
    const preview: Preview = {
      anonymised: result.anonymised,
      title: result.title,
      summary: result.summary,
      transcript: result.transcript,
      warnings: result.warnings,
      // An event's reason may hold the documenter's own words about the person: left out.
      replacements: result.events.map(({ field, category, pseudonym, offset }) => ({ field, category, pseudonym, offset })),
    };
    const { out } = context;
    out.result({ testimonyId, profile, ...preview }, () => printPreview(out, profile, preview));
  },
});
