import { parseArgs, type ParseArgsConfig } from 'node:util';
import { CliError } from './CliError.js';
import type { CommandSpec } from './CommandSpec.js';

/** Options every command accepts. `--help` is answered by the dispatcher before parsing. */
export const COMMON_OPTIONS = {
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

/** Options of every command that unlocks a vault. */
export const VAULT_OPTIONS = {
  ...COMMON_OPTIONS,
  'passphrase-file': { type: 'string' },
} as const;

export const COMMON_HELP = ['--json                   print one JSON document on stdout', '-h, --help               show this help'] as const;
export const VAULT_HELP = [
  '--passphrase-file <f>    read the passphrase from the first line of <f>',
  '                         (else TVAULT_PASSPHRASE, else a no-echo prompt on a terminal)',
  ...COMMON_HELP,
] as const;

type Options = NonNullable<ParseArgsConfig['options']>;

function usageError(spec: CommandSpec, message: string): CliError {
  return new CliError('USAGE', `${message}; usage: tvault ${spec.usage} (see 'tvault ${spec.words.join(' ')} --help')`);
}

/**
 * node:util parseArgs in strict mode, with its errors turned into one-line usage errors and the
 * positional count checked against the command's usage.
 */
export function parseCommandArgs<O extends Options>(spec: CommandSpec, args: string[], options: O, positionals: { min: number; max: number }) {
  let parsed;
  try {
    parsed = parseArgs({ args, options, allowPositionals: true, strict: true });
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    if (typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS')) {
      // Node's message explains '--' at length; the first sentence is the useful part.
      const first = (error as Error).message.split(/\.\s/)[0] ?? 'bad arguments';
      throw usageError(spec, first.replace(/\.$/, '').replace(/^Unknown/, 'unknown'));
    }
    throw error;
  }
  const count = parsed.positionals.length;
  if (count < positionals.min) throw usageError(spec, 'missing argument');
  if (count > positionals.max) throw usageError(spec, `unexpected argument '${parsed.positionals[positionals.max] ?? ''}'`);
  return parsed;
}

/** A positive integer option such as `--version 2`. */
export function parsePositiveInteger(spec: CommandSpec, name: string, value: string): number {
  if (!/^[1-9]\d{0,8}$/.test(value)) throw usageError(spec, `--${name} must be a positive whole number`);
  return Number(value);
}
