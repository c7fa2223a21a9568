import { useState, type FormEvent } from 'react';
import type { IpcFailure } from '../../../shared/ipc/result.js';
import { callVault } from '../api/client';
import { ErrorNotice } from '../common/ErrorNotice';
import { useI18n } from '../i18n/useI18n';

type Props = { id: string; reference: string; onDeleted: () => void; onFailure: (failure: IpcFailure) => void };

/**
 * Crypto-shredding (for example when a witness withdraws and asks for erasure): the testimony's
 * keys, every version, its media and the persons no other testimony names are destroyed. Typing
 * the reference confirms it; no browser dialog is used.
 */
export function DeleteTestimony({ id, reference, onDeleted, onFailure }: Props) {
  const { t } = useI18n();
  const [open, setOpen] = useState(false);
  const [typed, setTyped] = useState('');
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<IpcFailure | null>(null);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (typed.trim() !== reference) return;
    setBusy(true);
    const result = await callVault('testimony:delete', { id });
    setBusy(false);
    if (result.ok) onDeleted();
    else {
      setFailure(result);
      onFailure(result);
    }
  }

  if (!open) return <button type="button" className="quiet danger delete-testimony" onClick={() => setOpen(true)}>{t('delete.open')}</button>;
  return (
    <form className="danger-zone" onSubmit={submit} aria-labelledby="delete-heading">
      <h3 id="delete-heading">{t('delete.heading')}</h3>
      <p>{t('delete.explain')}</p>
      <label className="field">
        <span>{t('delete.typeReference', { reference })}</span>
        <input name="confirmReference" dir="ltr" autoComplete="off" value={typed} onChange={(event) => setTyped(event.target.value)} />
      </label>
      <ErrorNotice failure={failure} />
      <div className="actions">
        <button type="submit" className="danger-strong confirm-delete" disabled={busy || typed.trim() !== reference}>{t('delete.confirm')}</button>
        <button type="button" className="quiet" onClick={() => { setOpen(false); setTyped(''); }}>{t('add.cancel')}</button>
      </div>
    </form>
  );
}
