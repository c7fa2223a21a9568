import { useState, type FormEvent } from 'react';
import type { IpcFailure } from '../../../shared/ipc/result.js';
import { callVault } from '../api/client';
import { useVaultAnswer } from '../api/useVaultAnswer';
import { ErrorNotice } from '../common/ErrorNotice';
import { useI18n } from '../i18n/useI18n';

/**
 * Key slots: one passphrase per team member and at most one recovery key, all wrapping the same
 * master key. A new recovery key is shown once, here, and kept nowhere else.
 */
export function KeysScreen({ onFailure }: { onFailure: (failure: IpcFailure) => void }) {
  const { t, formatDateTime } = useI18n();
  const [label, setLabel] = useState('');
  const [passphrase, setPassphrase] = useState('');
  const [confirmation, setConfirmation] = useState('');
  const [mismatch, setMismatch] = useState(false);
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<IpcFailure | null>(null);
  const [recoveryKey, setRecoveryKey] = useState<string | null>(null);

  const { value: slots, reload } = useVaultAnswer('key:list', undefined, onFailure);

  const fail = (result: IpcFailure) => {
    setFailure(result);
    onFailure(result);
  };

  async function addSlot(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setMismatch(passphrase !== confirmation);
    if (passphrase !== confirmation) return;
    setBusy(true);
    const result = await callVault('key:add', { label: label.trim(), passphrase });
    setBusy(false);
    setPassphrase('');
    setConfirmation('');
    if (!result.ok) return fail(result);
    setLabel('');
    setFailure(null);
    reload();
  }

  async function createRecovery() {
    const replace = slots?.some((slot) => slot.kind === 'recovery') ?? false;
    const result = await callVault('key:recovery', { replace });
    if (!result.ok) return fail(result);
    setRecoveryKey(result.value.recoveryKey);
    setFailure(null);
    reload();
  }

  const hasRecovery = slots?.some((slot) => slot.kind === 'recovery') ?? false;

  return (
    <section className="card keys" aria-labelledby="keys-heading">
      <h2 id="keys-heading">{t('keys.heading')}</h2>
      <p className="muted">{t('keys.intro')}</p>
      <ErrorNotice failure={failure} />
      {slots ? (
        <table className="plain-table keys-table">
          <thead><tr><th scope="col">{t('keys.label')}</th><th scope="col">{t('keys.kind')}</th><th scope="col">{t('keys.created')}</th><th scope="col"><span className="visually-hidden">{t('keys.current')}</span></th></tr></thead>
          <tbody>
            {slots.map((slot) => (
              <tr key={slot.slotId}>
                <td><bdi dir="auto">{slot.label ?? t('keys.unnamed')}</bdi></td>
                <td>{t(slot.kind === 'recovery' ? 'keys.kind.recovery' : 'keys.kind.passphrase')}</td>
                <td className="date">{slot.createdAt ? formatDateTime(slot.createdAt) : '—'}</td>
                <td>{slot.current ? <span className="badge status-verified">{t('keys.current')}</span> : null}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      {recoveryKey ? (
        <div className="recovery-key" role="alert">
          <p><strong>{t('keys.recoveryShownOnce')}</strong></p>
          <p className="recovery-text" dir="ltr">{recoveryKey}</p>
          <button type="button" className="primary" onClick={() => setRecoveryKey(null)}>{t('keys.recoveryWritten')}</button>
        </div>
      ) : (
        <div className="settings-section">
          <h3>{t('keys.recovery')}</h3>
          <p className="muted">{hasRecovery ? t('keys.recoveryReplaceHint') : t('keys.recoveryHint')}</p>
          <button type="button" className="create-recovery" onClick={() => void createRecovery()}>{hasRecovery ? t('keys.recoveryReplace') : t('keys.recoveryCreate')}</button>
        </div>
      )}
      <form className="form settings-section" onSubmit={addSlot} aria-labelledby="add-slot-heading">
        <h3 id="add-slot-heading">{t('keys.add')}</h3>
        <p className="muted">{t('keys.addHint')}</p>
        <div className="row-3">
          <label className="field"><span>{t('keys.label')}</span><input name="slotLabel" dir="auto" required maxLength={200} value={label} onChange={(event) => setLabel(event.target.value)} /></label>
          <label className="field"><span>{t('create.passphrase')}</span><input name="slotPassphrase" type="password" autoComplete="new-password" dir="auto" required value={passphrase} onChange={(event) => setPassphrase(event.target.value)} /></label>
          <label className="field"><span>{t('create.confirm')}</span><input name="slotConfirmation" type="password" autoComplete="new-password" dir="auto" required value={confirmation} onChange={(event) => setConfirmation(event.target.value)} /></label>
        </div>
        <ErrorNotice localMessage={mismatch ? t('create.mismatch') : null} />
        <div className="actions"><button type="submit" className="primary add-slot" disabled={busy}>{busy ? t('keys.adding') : t('keys.add')}</button></div>
      </form>
    </section>
  );
}
