import fs from 'node:fs';
import path from 'node:path';
import { AppSettingsSchema, type AppSettings } from '../../shared/ipc/inputSchemas.js';

export const DEFAULT_APP_SETTINGS: AppSettings = { language: 'en', autoLockMinutes: 10, quickLockKey: 'ctrl+l' };

/**
 * Interface settings that must be known before unlock (language of the lock screen, auto-lock).
 * They hold no record content and no names, so they live in a small JSON file beside the vault
 * (userData/settings.json); vault settings (control-number prefix, key strength) stay in the vault.
 * Without a file path (tests), they are kept in memory. A damaged file falls back to the defaults.
 */
export class AppSettingsStore {
  private current: AppSettings;

  constructor(private readonly filePath: string | null) {
    this.current = filePath ? readSettings(filePath) : { ...DEFAULT_APP_SETTINGS };
  }

  get(): AppSettings {
    return { ...this.current };
  }

  update(patch: Partial<AppSettings>): AppSettings {
    const next = AppSettingsSchema.parse({ ...this.current, ...patch });
    if (this.filePath) writeAtomically(this.filePath, `${JSON.stringify(next, null, 2)}\n`);
    this.current = next;
    return this.get();
  }
}

function readSettings(filePath: string): AppSettings {
  try {
    const parsed = AppSettingsSchema.safeParse({ ...DEFAULT_APP_SETTINGS, ...(JSON.parse(fs.readFileSync(filePath, 'utf8')) as object) });
    return parsed.success ? parsed.data : { ...DEFAULT_APP_SETTINGS };
  } catch {
    return { ...DEFAULT_APP_SETTINGS };
  }
}

function writeAtomically(filePath: string, text: string): void {
  fs.mkdirSync(path.dirname(filePath), { recursive: true });
  const temp = `${filePath}.tmp-${process.pid}`;
  fs.writeFileSync(temp, text, { mode: 0o600 });
  fs.renameSync(temp, filePath);
}
