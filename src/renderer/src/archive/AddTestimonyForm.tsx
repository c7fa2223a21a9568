import { useState, type FormEvent } from 'react';
import type { IpcFailure } from '../../../shared/ipc/result.js';
import { MAX_TRANSCRIPT_CHARS } from '../../../shared/ipc/vocabularies.js';
import { callVault } from '../api/client';
import { ErrorNotice } from '../common/ErrorNotice';
import { useI18n } from '../i18n/useI18n';
import { TESTIMONY_LANGUAGES, type TestimonyLanguage } from './languageLabel';
import { useLanguageName } from './useLanguageName';

type Props = { onSaved: (testimonyId: string) => void; onCancel: () => void; onFailure: (failure: IpcFailure) => void };

/** The first fields of a testimony; core fills safe defaults (draft, high sensitivity, no consent). */
export function AddTestimonyForm({ onSaved, onCancel, onFailure }: Props) {
  const { t, language: interfaceLanguage } = useI18n();
  const languageName = useLanguageName();
  const [reference, setReference] = useState('');
  const [title, setTitle] = useState('');
  const [language, setLanguage] = useState<TestimonyLanguage>(interfaceLanguage);
  const [transcript, setTranscript] = useState('');
  const [saving, setSaving] = useState(false);
  const [failure, setFailure] = useState<IpcFailure | null>(null);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setSaving(true);
    setFailure(null);
    const result = await callVault('testimony:create', { reference, title, language, transcript });
    setSaving(false);
    if (result.ok) {
      onSaved(result.value.testimonyId);
    } else {
      setFailure(result);
      onFailure(result);
    }
  }

  return (
    <section className="card" aria-labelledby="add-heading">
      <h2 id="add-heading">{t('add.heading')}</h2>
      <form className="form" onSubmit={submit}>
        <div className="row">
          <label className="field">
            <span>{t('add.reference')}</span>
            <input name="reference" dir="auto" maxLength={100} required value={reference} onChange={(event) => setReference(event.target.value)} />
            <small className="muted">{t('add.referenceHint')}</small>
          </label>
          <label className="field">
            <span>{t('add.language')}</span>
            <select name="language" value={language} onChange={(event) => setLanguage(event.target.value as TestimonyLanguage)}>
              {TESTIMONY_LANGUAGES.map((code) => (
                <option key={code} value={code}>{languageName(code)}</option>
              ))}
            </select>
          </label>
        </div>
        <label className="field">
          <span>{t('add.title')}</span>
          <input name="title" dir="auto" maxLength={1000} required value={title} onChange={(event) => setTitle(event.target.value)} />
        </label>
        <label className="field">
          <span>{t('add.transcript')}</span>
          <textarea
            name="transcript"
            dir="auto"
            rows={10}
            maxLength={MAX_TRANSCRIPT_CHARS}
            value={transcript}
            onChange={(event) => setTranscript(event.target.value)}
          />
        </label>
        <ErrorNotice failure={failure} />
        <div className="actions">
          <button type="submit" className="primary" disabled={saving}>{saving ? t('add.saving') : t('add.submit')}</button>
          <button type="button" className="quiet" onClick={onCancel}>{t('add.cancel')}</button>
        </div>
      </form>
    </section>
  );
}
