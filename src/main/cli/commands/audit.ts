import { CliError } from '../CliError.js';
import { defineCommand } from '../CommandSpec.js';
import { parseCommandArgs, VAULT_HELP, VAULT_OPTIONS } from '../parseCommandArgs.js';
import { withVault } from '../withVault.js';

export const auditCommand = defineCommand({
  words: ['audit'],
  summary: 'list the signed audit log and check its chain',
  usage: 'audit <dir>',
  help: ['Entries hold ids and counts only. Exits with code 4 if the chain has any problem.', ...VAULT_HELP],
  cancellable: false,
  async run(args, context) {
    const { values, positionals } = parseCommandArgs(context.spec, args, VAULT_OPTIONS, { min: 1, max: 1 });
    const [dir = ''] = positionals;
    const { out } = context;
    const { report, signingPublicKey } = await withVault(context, dir, values['passphrase-file'], (vault) => ({
      report: vault.auditLog(),
      signingPublicKey: vault.signingPublicKeyHex,
    }));
    const { entries, problems } = report;
    if (!out.json) {
      out.table([
        ['SEQ', 'AT', 'ACTION', 'RECORD', 'VERSION', 'DETAILS'],
        ...entries.map((e) => [
          String(e.seq), e.at, e.action, e.recordId ?? '-', e.version === undefined ? '-' : String(e.version),
          Object.entries(e.details ?? {}).map(([key, value]) => `${key}=${String(value)}`).join(' '),
        ]),
      ]);
      for (const problem of problems) out.line(`problem: entry ${problem.seq}: ${problem.problem}`);
      out.line(`chain: ${problems.length === 0 ? 'intact' : 'BROKEN'}, ${entries.length} entries, signing key ${signingPublicKey}`);
    }
    if (problems.length > 0) throw new CliError('AUDIT_CHAIN_BROKEN', `the audit chain has ${problems.length} problem(s)`, { entries, problems, signingPublicKey });
    out.result({ entries, problems, signingPublicKey }, () => undefined);
  },
});
