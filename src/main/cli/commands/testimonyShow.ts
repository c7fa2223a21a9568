import type { TestimonyView } from '../../core/records/testimonies.js';
import { defineCommand } from '../CommandSpec.js';
import type { Output } from '../Output.js';
import { parseCommandArgs, parsePositiveInteger, VAULT_HELP, VAULT_OPTIONS } from '../parseCommandArgs.js';
import { personLines } from '../personLines.js';
import { termLabel } from '../termLabel.js';
import { withVault } from '../withVault.js';

function yesNo(value: boolean): string {
  return value ? 'yes' : 'no';
}

function printTestimony(out: Output, t: TestimonyView): void {
  const interview = [t.interviewDate, t.interviewPlace, t.interviewer ? `by ${t.interviewer}` : undefined].filter(Boolean).join(', ');
  const period = t.period ? `${t.period.from ?? '?'} to ${t.period.to ?? '?'}` : undefined;
  const consent = [
    `scopes: ${t.consent.scopes.length > 0 ? t.consent.scopes.join(', ') : 'none'}`,
    `anonymity: ${yesNo(t.consent.anonymity)}`,
    `media use: ${yesNo(t.consent.mediaUse)}`,
    ...(t.consent.date ? [`date: ${t.consent.date}`] : []),
    `withdrawn: ${yesNo(t.consent.withdrawn)}`,
  ].join('; ');
  const lines: [string, string | undefined][] = [
    ['id', t.id],
    ['version', t.version === t.headVersion ? `${t.version} (latest)` : `${t.version} of ${t.headVersion}`],
    ['reference', t.reference],
    ['title', t.title],
    ['language', t.language],
    ['status', t.status],
    ['sensitivity', t.sensitivity],
    ['interview', interview || undefined],
    ['facilities', t.facilities.map(termLabel).join('; ') || undefined],
    ['units', t.perpetratorUnits.map(termLabel).join('; ') || undefined],
    ['violations', t.violations.map(termLabel).join('; ') || undefined],
    ['period', period],
    ['consent', consent],
    ['tags', t.tags.join(', ') || undefined],
    ['created', t.createdAt],
    ['updated', t.updatedAt],
  ];
  for (const [label, value] of lines) if (value !== undefined) out.line(`${`${label}:`.padEnd(13)} ${value}`);
  if (t.interviewee) {
    out.line();
    out.line(`interviewee (${t.interviewee.id}):`);
    for (const line of personLines(t.interviewee)) out.line(`  ${line}`);
  }
  for (const person of t.persons) {
    out.line();
    out.line(`${person.role} (${person.id}):`);
    for (const line of personLines(person)) out.line(`  ${line}`);
  }
  for (const [label, text] of [['summary', t.summary], ['transcript', t.transcript]] as const) {
    if (text.length === 0) continue;
    out.line();
    out.line(`${label}:`);
    for (const line of text.split(/\r?\n/)) out.line(`  ${line}`);
  }
}

export const testimonyShowCommand = defineCommand({
  words: ['testimony', 'show'],
  summary: 'show a testimony (the latest version, or --version N)',
  usage: 'testimony show <dir> <id> [--version N]',
  help: ['--version <N>            show version N (every earlier version stays readable)', ...VAULT_HELP],
  cancellable: false,
  async run(args, context) {
    const { values, positionals } = parseCommandArgs(context.spec, args, { ...VAULT_OPTIONS, version: { type: 'string' } }, { min: 2, max: 2 });
    const [dir = '', id = ''] = positionals;
    const version = values.version === undefined ? undefined : parsePositiveInteger(context.spec, 'version', values.version);
    const testimony = await withVault(context, dir, values['passphrase-file'], (vault) => vault.getTestimony(id, version));
    context.out.result({ testimony }, () => printTestimony(context.out, testimony));
  },
});
