import type { CommandSpec } from './CommandSpec.js';
import { EXIT_CODES } from './exitCodes.js';

function commandRows(commands: readonly CommandSpec[]): string[] {
  const width = Math.max(...commands.map((c) => c.words.join(' ').length));
  return commands.map((c) => `  ${c.words.join(' ').padEnd(width)}   ${c.summary}`);
}

/** The exit-code table, generated from EXIT_CODES so the help text cannot drift from the code. */
export function exitCodeLines(): string[] {
  const rows = Object.entries(EXIT_CODES).sort(([, a], [, b]) => a.exit - b.exit);
  const width = Math.max(...rows.map(([code]) => code.length));
  return ['    0  ' + 'OK'.padEnd(width) + '  success', ...rows.map(([code, { exit, meaning }]) => `  ${String(exit).padStart(3)}  ${code.padEnd(width)}  ${meaning}`)];
}

export function globalHelp(version: string, commands: readonly CommandSpec[]): string {
  return [
    `tvault ${version}: the Testimony Vault command line (offline, encrypted)`,
    '',
    'Usage: tvault <command> [arguments] [options]',
    '       tvault <command> --help | tvault --help | tvault --version',
    '',
    'Commands:',
    ...commandRows(commands),
    '',
    'Every command takes --json (one JSON document on stdout) and --help.',
    'Passphrase: --passphrase-file <f> (first line), else TVAULT_PASSPHRASE, else a no-echo prompt',
    'on a terminal; with none of these the command fails. passwd, key add and recover read the new',
    'passphrase from --new-passphrase-file, TVAULT_NEW_PASSPHRASE, or a prompt (asked twice);',
    'recover reads the recovery key from --recovery-key-file, TVAULT_RECOVERY_KEY, or a no-echo prompt.',
    'A passphrase-protected bundle (export --passphrase-protect, bundle open --passphrase-protected)',
    'has its own: --bundle-passphrase-file, TVAULT_BUNDLE_PASSPHRASE, or a prompt (asked twice on export).',
    'keygen, bundle verify and bundle open need no vault and no vault passphrase.',
    'After an unlock that follows failed attempts, a warning line says how many there were.',
    '',
    'Environment: TVAULT_PASSPHRASE, TVAULT_NEW_PASSPHRASE, TVAULT_RECOVERY_KEY, TVAULT_BUNDLE_PASSPHRASE,',
    '             TVAULT_CUSTODIAN (media add),',
    '             TVAULT_DEBUG=1 (core events and internal-error stacks on stderr)',
    '',
    'Errors: one line on stderr, "tvault: <message> (<CODE>)". With --json, stdout also gets',
    '{"ok": false, "code": ..., "message": ..., "exitCode": ...}; success documents have "ok": true.',
    '',
    'Exit codes:',
    ...exitCodeLines(),
    '',
  ].join('\n');
}

export function groupHelp(group: string, commands: readonly CommandSpec[]): string {
  return [`Usage: tvault ${group} <subcommand> ...`, '', 'Subcommands:', ...commandRows(commands), '', `Run 'tvault ${group} <subcommand> --help' for details.`, ''].join('\n');
}

export function commandHelp(spec: CommandSpec): string {
  return [`Usage: tvault ${spec.usage}`, '', `${spec.summary}.`, '', ...spec.help.map((line) => `  ${line}`), '', "Exit codes: see 'tvault --help'.", ''].join('\n');
}
