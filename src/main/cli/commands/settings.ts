import { VaultError } from '../../core/errors.js';
import { CONTROL_PREFIX_PATTERN } from '../../core/export/controlNumbers.js';
import { ExportError } from '../../core/export/ExportError.js';
import { MAX_WIPE_AFTER, MIN_WIPE_AFTER } from '../../core/vault/unlockGuard.js';
import { CliError } from '../CliError.js';
import { defineCommand } from '../CommandSpec.js';
import { parseCommandArgs, VAULT_HELP, VAULT_OPTIONS } from '../parseCommandArgs.js';
import { canPrompt, promptLine } from '../promptLine.js';
import { withVault } from '../withVault.js';

const CONFIRM_FLAG = 'yes-i-understand-this-is-irreversible';

/** `--wipe-after N|off`, checked before the vault is unlocked: null is off. */
function parseWipeAfter(value: string): number | null {
  if (value === 'off') return null;
  const n = /^\d{1,3}$/.test(value) ? Number(value) : NaN;
  if (!(n >= MIN_WIPE_AFTER && n <= MAX_WIPE_AFTER)) {
    throw new CliError('USAGE', `--wipe-after must be off or a whole number from ${MIN_WIPE_AFTER} to ${MAX_WIPE_AFTER}`);
  }
  return n;
}

/** What turning the setting on means, said before it is confirmed and again once it is on. */
function wipeWarning(n: number): string[] {
  return [
    `after ${n} consecutive wrong passphrases (or recovery keys), every key slot, the recovery key included, is destroyed for good: the vault can then only come back from a backup`,
    'this does not protect against someone who copies the disk first: they can guess against their copy without limit',
  ];
}

/** `--control-prefix`, checked before the vault is unlocked (core checks again). */
function parseControlPrefix(value: string): string {
  if (!CONTROL_PREFIX_PATTERN.test(value)) {
    throw new ExportError('CONTROL_PREFIX_INVALID', 'the control-number prefix must be 1 to 12 upper-case letters or digits, starting with a letter');
  }
  return value;
}

function describeSetting(wipeAfter: number | null): string {
  if (wipeAfter === null) return 'wipe-after: off (wrong passphrases only make the next attempts wait longer)';
  return `wipe-after: ${wipeAfter} (${wipeAfter} consecutive failed unlocks destroy every key slot)`;
}

export const settingsCommand = defineCommand({
  words: ['settings'],
  summary: 'show or change the vault settings (wipe-after, control-number prefix)',
  usage: `settings <dir> [--wipe-after N|off [--${CONFIRM_FLAG}]] [--control-prefix PREFIX]`,
  help: [
    'Without options, shows the settings. Failed unlocks always make the next attempts wait',
    '(two free, then 1 s, 2 s, 4 s ... up to 5 minutes); wipe-after adds a hard limit.',
    `--wipe-after <N|off>     destroy every key slot after N (${MIN_WIPE_AFTER} to ${MAX_WIPE_AFTER}) consecutive failed unlocks;`,
    '                         the vault then only comes back from a backup. Off by default.',
    `--${CONFIRM_FLAG}`,
    '                         needed to turn it on without a terminal (on one, you type "wipe")',
    '--control-prefix <P>     the prefix of the control numbers exports give (P-000001); 1 to 12',
    '                         upper-case letters or digits, starting with a letter; TV by default.',
    '                         Numbering continues: no number is ever issued twice, under any prefix.',
    ...VAULT_HELP,
  ],
  cancellable: false,
  async run(args, context) {
    const { values, positionals } = parseCommandArgs(
      context.spec,
      args,
      { ...VAULT_OPTIONS, 'wipe-after': { type: 'string' }, [CONFIRM_FLAG]: { type: 'boolean' }, 'control-prefix': { type: 'string' } },
      { min: 1, max: 1 },
    );
    const [dir = ''] = positionals;
    const { io, out } = context;
    const requested = values['wipe-after'] === undefined ? undefined : parseWipeAfter(values['wipe-after']);
    const prefix = values['control-prefix'] === undefined ? undefined : parseControlPrefix(values['control-prefix']);
    const confirmed = values[CONFIRM_FLAG] === true;
    if (confirmed && requested === undefined) throw new CliError('USAGE', `--${CONFIRM_FLAG} goes with --wipe-after N`);
    // Refused before the unlock: without the flag, only a person at a terminal can confirm.
    if (typeof requested === 'number' && !confirmed && !canPrompt(io)) {
      throw new CliError('USAGE', `turning wipe-after on is irreversible when it triggers: add --${CONFIRM_FLAG} (or run in a terminal to confirm)`);
    }
    const outcome = await withVault(context, dir, values['passphrase-file'], async (vault) => {
      let warned = false;
      // Asked first: "not confirmed; nothing was changed" must hold for the prefix too.
      if (typeof requested === 'number' && !confirmed) {
        for (const line of wipeWarning(requested)) io.stderr.write(`tvault: warning: ${line}\n`);
        warned = true;
        const answer = await promptLine(io, `Turn on wipe after ${requested} failed unlocks? Type "wipe" to confirm: `, { echo: true });
        if (answer.trim() !== 'wipe') throw new VaultError('CANCELLED', 'not confirmed; nothing was changed');
      }
      const prefixChanged = prefix !== undefined && prefix !== vault.controlNumberPrefix;
      if (prefixChanged) vault.setControlNumberPrefix(prefix);
      if (requested !== undefined) vault.setWipeAfterFailures(requested);
      return {
        wipeAfterFailures: requested === undefined ? vault.wipeAfterFailures : requested,
        controlNumberPrefix: vault.controlNumberPrefix,
        changed: prefixChanged || requested !== undefined,
        wipeChanged: requested !== undefined,
        warned,
      };
    });
    const { wipeAfterFailures, controlNumberPrefix, changed, wipeChanged } = outcome;
    const warning = wipeChanged && wipeAfterFailures !== null ? wipeWarning(wipeAfterFailures).join('; ') : undefined;
    out.result({ wipeAfterFailures, controlNumberPrefix, changed, ...(warning ? { warning } : {}) }, () => {
      out.line(describeSetting(wipeAfterFailures));
      out.line(`control-number prefix: ${controlNumberPrefix} (numbering continues under it; no control number is ever issued twice)`);
      if (wipeChanged && wipeAfterFailures !== null && !outcome.warned) {
        for (const line of wipeWarning(wipeAfterFailures)) out.note(`warning: ${line}`);
      }
    });
  },
});
