import { useState, type FormEvent } from 'react';
import type { VaultStatus } from '../../../shared/ipc/outputSchemas.js';
import type { IpcFailure } from '../../../shared/ipc/result.js';
import { callVault } from '../api/client';
import { ErrorNotice } from '../common/ErrorNotice';
import { useI18n } from '../i18n/useI18n';
import { passphraseStrength } from '../../../shared/passphraseStrength.js';

type Props = { mode: 'create' | 'unlock'; onStatus: (status: VaultStatus) => void };

/** First run: create the vault. Later: unlock it. The passphrase lives only in this form's state. */
export function UnlockScreen({ mode, onStatus }: Props) {
  const { t } = useI18n();
  const [passphrase, setPassphrase] = useState('');
  const [confirmation, setConfirmation] = useState('');
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<IpcFailure | null>(null);
  const [mismatch, setMismatch] = useState(false);
  const creating = mode === 'create';
  const strength = creating && passphrase.length > 0 ? passphraseStrength(passphrase) : null;

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setFailure(null);
    setMismatch(false);
    if (creating && passphrase !== confirmation) {
      setMismatch(true);
      return;
    }
    setBusy(true);
    const result = await callVault(creating ? 'vault:create' : 'vault:unlock', { passphrase });
    setBusy(false);
    if (result.ok) {
      setPassphrase('');
      setConfirmation('');
      onStatus(result.value);
    } else {
      setFailure(result);
    }
  }

  return (
    <section className="card gate" aria-labelledby="gate-heading">
      <h2 id="gate-heading">{t(creating ? 'create.heading' : 'unlock.heading')}</h2>
      <p className="muted">{t(creating ? 'create.intro' : 'unlock.intro')}</p>
      <form onSubmit={submit} className="form">
        <label className="field">
          <span>{t(creating ? 'create.passphrase' : 'unlock.passphrase')}</span>
          <input
            name="passphrase"
            type="password"
            autoComplete={creating ? 'new-password' : 'current-password'}
            dir="auto"
            value={passphrase}
            onChange={(event) => setPassphrase(event.target.value)}
            required
            autoFocus
          />
        </label>
        {strength ? (
          <div className={`strength strength-${strength.level}`} role="status">
            <meter min={0} max={80} low={40} high={60} optimum={80} value={Math.min(strength.bits, 80)} aria-label={t('create.strength')} />
            <span>{t(`create.strength.${strength.level}`)}</span>
          </div>
        ) : null}
        {creating ? (
          <label className="field">
            <span>{t('create.confirm')}</span>
            <input
              name="confirmation"
              type="password"
              autoComplete="new-password"
              dir="auto"
              value={confirmation}
              onChange={(event) => setConfirmation(event.target.value)}
              required
            />
          </label>
        ) : null}
        <ErrorNotice failure={failure} localMessage={mismatch ? t('create.mismatch') : null} />
        {busy ? (
          <div className="kdf-progress" role="status">
            <progress aria-label={t(creating ? 'create.kdf' : 'unlock.kdf')} />
            <span>{t(creating ? 'create.kdf' : 'unlock.kdf')}</span>
          </div>
        ) : null}
        <div className="actions">
          <button type="submit" className="primary" disabled={busy}>
            {busy ? t(creating ? 'create.busy' : 'unlock.busy') : t(creating ? 'create.submit' : 'unlock.submit')}
          </button>
        </div>
      </form>
    </section>
  );
}
