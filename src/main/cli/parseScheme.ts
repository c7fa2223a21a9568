import { VOCABULARY_SCHEMES, type VocabularyScheme } from '../core/records/vocabularySchema.js';
import { CliError } from './CliError.js';

/** `--scheme` is checked before unlocking, so a typo costs no passphrase. */
export function parseScheme(value: string): VocabularyScheme {
  const scheme = VOCABULARY_SCHEMES.find((known) => known === value);
  if (!scheme) throw new CliError('USAGE', `--scheme must be one of ${VOCABULARY_SCHEMES.join(', ')}`);
  return scheme;
}
