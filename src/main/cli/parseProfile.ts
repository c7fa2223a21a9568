import { EXPORT_PROFILES, isExportProfile, type ExportProfile } from '../core/export/checkConsent.js';
import { CliError } from './CliError.js';

export const PROFILE_HELP = [
  '--profile <profile>      who receives it, one of the consent scopes:',
  `                         ${EXPORT_PROFILES.join(', ')}`,
] as const;

/** `--profile`, checked before the vault is unlocked. */
export function parseProfile(value: string | undefined): ExportProfile {
  if (value === undefined) throw new CliError('USAGE', `--profile is required (${EXPORT_PROFILES.join(', ')})`);
  if (!isExportProfile(value)) throw new CliError('USAGE', `--profile must be one of ${EXPORT_PROFILES.join(', ')}`);
  return value;
}
