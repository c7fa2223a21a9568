import { KDF_PRESETS, type KdfPreset } from '../core/crypto/index.js';
import { CliError } from './CliError.js';

/** `--kdf`, checked before any passphrase is asked; absent means core's default, moderate. */
export function parseKdfPreset(value: string | undefined): KdfPreset {
  if (value === undefined) return 'moderate';
  const preset = (Object.keys(KDF_PRESETS) as KdfPreset[]).find((name) => name === value);
  if (!preset) throw new CliError('USAGE', `--kdf must be one of ${Object.keys(KDF_PRESETS).join(', ')}`);
  return preset;
}
