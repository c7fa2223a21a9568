import { useEffect, useState, type FormEvent } from 'react';
import { CONTROL_PREFIX_PATTERN, KDF_PRESETS, QUICK_LOCK_KEYS, type AppSettings } from '../../../shared/ipc/inputSchemas.js';
import type { IpcFailure } from '../../../shared/ipc/result.js';
import { callVault } from '../api/client';
import { ErrorNotice } from '../common/ErrorNotice';
import { useI18n } from '../i18n/useI18n';
import type { Language } from '../i18n/messages';

const AUTO_LOCK_CHOICES = [0, 1, 2, 5, 10, 15, 30, 60] as const;
type KdfPreset = (typeof KDF_PRESETS)[number];

type Props = {
  settings: AppSettings;
  onSettings: (patch: Partial<AppSettings>) => Promise<IpcFailure | null>;
  onFailure: (failure: IpcFailure) => void;
};

/** Interface settings (kept by main, no names) and vault settings (kept in the vault, audited). */
export function SettingsScreen({ settings, onSettings, onFailure }: Props) {
  const { t, setLanguage, formatNumber } = useI18n();
  const [failure, setFailure] = useState<IpcFailure | null>(null);
  const [saved, setSaved] = useState(false);

  async function change(patch: Partial<AppSettings>) {
    setSaved(false);
    const problem = await onSettings(patch);
    setFailure(problem);
    if (problem) onFailure(problem);
    else setSaved(true);
  }

  return (
    <section className="card settings" aria-labelledby="settings-heading">
      <h2 id="settings-heading">{t('settings.heading')}</h2>
      <p className="muted">{t('settings.intro')}</p>
      <ErrorNotice failure={failure} />
      <div className="settings-grid">
        <label className="field">
          <span>{t('settings.language')}</span>
          <select name="language" value={settings.language} onChange={(event) => setLanguage(event.target.value as Language)}>
            <option value="en" lang="en">English</option>
            <option value="ar" lang="ar">العربية</option>
          </select>
        </label>
        <label className="field">
          <span>{t('settings.autoLock')}</span>
          <select name="autoLockMinutes" value={settings.autoLockMinutes} onChange={(event) => void change({ autoLockMinutes: Number(event.target.value) })}>
            {AUTO_LOCK_CHOICES.map((minutes) => (
              <option key={minutes} value={minutes}>{minutes === 0 ? t('settings.autoLockOff') : t('settings.autoLockMinutes', { minutes: formatNumber(minutes) })}</option>
            ))}
          </select>
          <small className="muted">{t('settings.autoLockHint')}</small>
        </label>
        <label className="field">
          <span>{t('settings.quickLock')}</span>
          <select name="quickLockKey" value={settings.quickLockKey} onChange={(event) => void change({ quickLockKey: event.target.value as AppSettings['quickLockKey'] })}>
            {QUICK_LOCK_KEYS.map((key) => (
              <option key={key} value={key}>{t(`settings.quickLock.${key}`)}</option>
            ))}
          </select>
          <small className="muted">{t('settings.quickLockHint')}</small>
        </label>
      </div>
      {saved ? <p className="notice notice-ok" role="status">{t('settings.saved')}</p> : null}
      <ControlPrefixSettings onFailure={onFailure} />
      <KeyStrengthSettings onFailure={onFailure} />
    </section>
  );
}

function ControlPrefixSettings({ onFailure }: { onFailure: (failure: IpcFailure) => void }) {
  const { t } = useI18n();
  const [prefix, setPrefix] = useState('');
  const [stored, setStored] = useState<string | null>(null);
  const [failure, setFailure] = useState<IpcFailure | null>(null);
  const [done, setDone] = useState(false);

  useEffect(() => {
    void callVault('vaultSettings:get', undefined).then((result) => {
      if (result.ok) {
        setStored(result.value.controlNumberPrefix);
        setPrefix(result.value.controlNumberPrefix);
      } else onFailure(result);
    });
  }, [onFailure]);

  const valid = CONTROL_PREFIX_PATTERN.test(prefix);
  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setDone(false);
    const result = await callVault('vaultSettings:set', { controlNumberPrefix: prefix });
    if (result.ok) {
      setStored(result.value.controlNumberPrefix);
      setFailure(null);
      setDone(true);
    } else {
      setFailure(result);
      onFailure(result);
    }
  }

  return (
    <form className="form settings-section" onSubmit={submit} aria-labelledby="prefix-heading">
      <h3 id="prefix-heading">{t('settings.prefix')}</h3>
      <p className="muted">{t('settings.prefixHint', { example: `${prefix || 'TV'}-000001` })}</p>
      <div className="inline-form">
        <input name="controlNumberPrefix" dir="ltr" value={prefix} maxLength={12} aria-invalid={!valid} aria-label={t('settings.prefix')} onChange={(event) => setPrefix(event.target.value.toUpperCase())} />
        <button type="submit" className="primary" disabled={!valid || prefix === stored}>{t('settings.prefixSave')}</button>
      </div>
      {!valid && prefix !== '' ? <p className="field-error">{t('settings.prefixInvalid')}</p> : null}
      <ErrorNotice failure={failure} />
      {done ? <p className="notice notice-ok" role="status">{t('settings.prefixSaved', { prefix: stored ?? '' })}</p> : null}
    </form>
  );
}

/**
 * Key strength is the Argon2id cost of this member's passphrase slot. Changing it re-wraps the
 * master key under the passphrase typed here (the same one or a new one); nothing else is re-encrypted.
 */
function KeyStrengthSettings({ onFailure }: { onFailure: (failure: IpcFailure) => void }) {
  const { t } = useI18n();
  const [preset, setPreset] = useState<KdfPreset>('strong');
  const [passphrase, setPassphrase] = useState('');
  const [confirmation, setConfirmation] = useState('');
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<IpcFailure | null>(null);
  const [mismatch, setMismatch] = useState(false);
  const [done, setDone] = useState(false);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setDone(false);
    setFailure(null);
    setMismatch(passphrase !== confirmation);
    if (passphrase !== confirmation) return;
    setBusy(true);
    const result = await callVault('vault:changePassphrase', { passphrase, kdfPreset: preset });
    setBusy(false);
    setPassphrase('');
    setConfirmation('');
    if (result.ok) setDone(true);
    else {
      setFailure(result);
      onFailure(result);
    }
  }

  return (
    <form className="form settings-section" onSubmit={submit} aria-labelledby="kdf-heading">
      <h3 id="kdf-heading">{t('settings.kdf')}</h3>
      <p className="muted">{t('settings.kdfHint')}</p>
      <fieldset className="choices">
        <legend className="visually-hidden">{t('settings.kdf')}</legend>
        {KDF_PRESETS.map((choice) => (
          <label key={choice} className="choice">
            <input type="radio" name="kdfPreset" value={choice} checked={preset === choice} onChange={() => setPreset(choice)} />
            <span>
              <strong>{t(`settings.kdf.${choice}`)}</strong>
              <small className="muted">{t(`settings.kdf.${choice}.hint`)}</small>
            </span>
          </label>
        ))}
      </fieldset>
      <div className="row-2">
        <label className="field">
          <span>{t('settings.kdfPassphrase')}</span>
          <input name="kdfPassphrase" type="password" autoComplete="new-password" dir="auto" required value={passphrase} onChange={(event) => setPassphrase(event.target.value)} />
        </label>
        <label className="field">
          <span>{t('create.confirm')}</span>
          <input name="kdfConfirmation" type="password" autoComplete="new-password" dir="auto" required value={confirmation} onChange={(event) => setConfirmation(event.target.value)} />
        </label>
      </div>
      <ErrorNotice failure={failure} localMessage={mismatch ? t('create.mismatch') : null} />
      {done ? <p className="notice notice-ok" role="status">{t('settings.kdfDone')}</p> : null}
      <div className="actions">
        <button type="submit" className="primary" disabled={busy}>{busy ? t('settings.kdfBusy') : t('settings.kdfApply')}</button>
      </div>
    </form>
  );
}
