import fs from 'node:fs';
import { VaultError } from '../core/errors.js';
import { CliError } from './CliError.js';

// Generous for a 5M-character transcript in Arabic (2 bytes a character) plus JSON escaping.
const MAX_JSON_BYTES = 64 * 1024 * 1024;

function lineAndColumn(text: string, position: number): string {
  const before = text.slice(0, position);
  const line = before.split('\n').length;
  const column = position - before.lastIndexOf('\n');
  return `line ${line}, column ${column}`;
}

/**
 * V8's JSON.parse messages quote a slice of the input; that slice may be testimony text, so the
 * error keeps only the reason and where it is.
 */
function describeJsonError(error: Error, text: string): string {
  const atPosition = /^(.*?) in JSON at position (\d+)/.exec(error.message);
  if (atPosition?.[1] && atPosition[2]) return `${atPosition[1].toLowerCase()} at ${lineAndColumn(text, Number(atPosition[2]))}`;
  if (/Unexpected end of JSON input/.test(error.message)) return 'unexpected end of input';
  const token = /^Unexpected token '(.+?)', /.exec(error.message);
  if (token?.[1]) return `unexpected character '${token[1]}'`;
  return 'syntax error';
}

/** Reads a JSON input file (a testimony, a patch, a person); the value is validated by core. */
export function readJsonFile(file: string): unknown {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(file);
  } catch {
    throw new VaultError('FILE_NOT_FOUND', `cannot read ${file}`);
  }
  if (!stat.isFile()) throw new VaultError('INVALID_INPUT', `${file} is not a regular file`);
  if (stat.size > MAX_JSON_BYTES) throw new VaultError('INVALID_INPUT', `${file} is larger than ${MAX_JSON_BYTES} bytes`);
  const text = fs.readFileSync(file, 'utf8').replace(/^\uFEFF/, '');
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new CliError('BAD_JSON', `${file} is not valid JSON: ${describeJsonError(error as Error, text)}`);
  }
}
