import { useEffect, useState, type FormEvent } from 'react';
import type { TestimonyCreateInput } from '../../../shared/ipc/inputSchemas.js';
import type { TestimonyView, VocabularyTerm } from '../../../shared/ipc/outputSchemas.js';
import type { IpcFailure } from '../../../shared/ipc/result.js';
import { MAX_SUMMARY_CHARS, MAX_TRANSCRIPT_CHARS, SENSITIVITY_LEVELS, TESTIMONY_STATUSES } from '../../../shared/ipc/vocabularies.js';
import { callVault } from '../api/client';
import { ErrorNotice } from '../common/ErrorNotice';
import { useI18n } from '../i18n/useI18n';
import { ConsentPanel, NO_CONSENT, type Consent } from './ConsentPanel';
import { TESTIMONY_LANGUAGES } from './languageLabel';
import { useLanguageName } from './useLanguageName';
import { termLabel, VocabularyPicker } from './VocabularyPicker';

type Props = {
  /** null: a new testimony. */
  testimonyId: string | null;
  onSaved: (testimonyId: string) => void;
  onCancel: () => void;
  onFailure: (failure: IpcFailure) => void;
};

type Draft = {
  reference: string;
  title: string;
  language: string;
  interviewDate: string;
  interviewPlace: string;
  interviewer: string;
  transcript: string;
  summary: string;
  tags: string;
  facilities: string[];
  perpetratorUnits: string[];
  violations: string[];
  periodFrom: string;
  periodTo: string;
  consent: Consent;
  status: TestimonyView['status'];
  sensitivity: TestimonyView['sensitivity'];
};

function draftOf(view: TestimonyView, language: 'en' | 'ar'): Draft {
  const labels = (terms: VocabularyTerm[]) => terms.map((term) => termLabel(term, language));
  return {
    reference: view.reference,
    title: view.title,
    language: view.language,
    interviewDate: view.interviewDate ?? '',
    interviewPlace: view.interviewPlace ?? '',
    interviewer: view.interviewer ?? '',
    transcript: view.transcript,
    summary: view.summary,
    tags: view.tags.join(', '),
    facilities: labels(view.facilities),
    perpetratorUnits: labels(view.perpetratorUnits),
    violations: labels(view.violations),
    periodFrom: view.period?.from ?? '',
    periodTo: view.period?.to ?? '',
    consent: view.consent,
    status: view.status,
    sensitivity: view.sensitivity,
  };
}

/** Empty optional text is left out (core keeps what it had, or its default). */
function given(value: string): string | undefined {
  const trimmed = value.trim();
  return trimmed === '' ? undefined : trimmed;
}

function inputOf(draft: Draft): TestimonyCreateInput {
  const period = { ...(given(draft.periodFrom) ? { from: draft.periodFrom.trim() } : {}), ...(given(draft.periodTo) ? { to: draft.periodTo.trim() } : {}) };
  const optional = {
    interviewDate: given(draft.interviewDate),
    interviewPlace: given(draft.interviewPlace),
    interviewer: given(draft.interviewer),
  };
  return {
    reference: draft.reference.trim(),
    title: draft.title.trim(),
    language: draft.language,
    ...Object.fromEntries(Object.entries(optional).filter(([, value]) => value !== undefined)),
    transcript: draft.transcript,
    summary: draft.summary,
    tags: draft.tags.split(/[,،]/).map((tag) => tag.trim()).filter((tag) => tag !== ''),
    facilities: draft.facilities,
    perpetratorUnits: draft.perpetratorUnits,
    violations: draft.violations,
    period,
    consent: { scopes: draft.consent.scopes, anonymity: draft.consent.anonymity, mediaUse: draft.consent.mediaUse, withdrawn: draft.consent.withdrawn, ...(draft.consent.date ? { date: draft.consent.date } : {}) },
    status: draft.status,
    sensitivity: draft.sensitivity,
  };
}

/** Adds or edits a testimony: every editable field. An edit adds a version; the original stays. */
export function TestimonyEditor({ testimonyId, onSaved, onCancel, onFailure }: Props) {
  const { t, language: interfaceLanguage } = useI18n();
  const languageName = useLanguageName();
  const [draft, setDraft] = useState<Draft | null>(
    testimonyId === null
      ? {
          reference: '', title: '', language: interfaceLanguage, interviewDate: '', interviewPlace: '', interviewer: '', transcript: '', summary: '', tags: '',
          facilities: [], perpetratorUnits: [], violations: [], periodFrom: '', periodTo: '', consent: NO_CONSENT, status: 'draft', sensitivity: 'high',
        }
      : null,
  );
  const [terms, setTerms] = useState<VocabularyTerm[]>([]);
  const [saving, setSaving] = useState(false);
  const [failure, setFailure] = useState<IpcFailure | null>(null);

  useEffect(() => {
    let current = true;
    void callVault('vocabulary:list', {}).then((result) => {
      if (current && result.ok) setTerms(result.value);
    });
    if (testimonyId !== null) {
      void callVault('testimony:get', { id: testimonyId }).then((result) => {
        if (!current) return;
        if (result.ok) setDraft(draftOf(result.value, interfaceLanguage));
        else {
          setFailure(result);
          onFailure(result);
        }
      });
    }
    return () => {
      current = false;
    };
  }, [testimonyId, interfaceLanguage, onFailure]);

  const set = <K extends keyof Draft>(key: K, value: Draft[K]) => setDraft((previous) => (previous ? { ...previous, [key]: value } : previous));

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (!draft) return;
    setSaving(true);
    setFailure(null);
    const input = inputOf(draft);
    const result = testimonyId === null ? await callVault('testimony:create', input) : await callVault('testimony:update', { id: testimonyId, patch: input });
    setSaving(false);
    if (!result.ok) {
      setFailure(result);
      onFailure(result);
      return;
    }
    onSaved(testimonyId ?? ('testimonyId' in result.value ? result.value.testimonyId : ''));
  }

  const creating = testimonyId === null;
  const byScheme = (scheme: VocabularyTerm['scheme']) => terms.filter((term) => term.scheme === scheme);
  const languages: string[] = draft && !(TESTIMONY_LANGUAGES as readonly string[]).includes(draft.language) ? [...TESTIMONY_LANGUAGES, draft.language] : [...TESTIMONY_LANGUAGES];

  return (
    <section className="card editor" aria-labelledby="add-heading">
      <h2 id="add-heading">{creating ? t('add.heading') : t('edit.heading')}</h2>
      {creating ? null : <p className="muted">{t('edit.intro')}</p>}
      <ErrorNotice failure={failure} />
      {draft ? (
        <form className="form" onSubmit={submit}>
          <div className="row-3">
            <label className="field">
              <span>{t('add.reference')}</span>
              <input name="reference" dir="auto" maxLength={100} required value={draft.reference} onChange={(event) => set('reference', event.target.value)} />
              <small className="muted">{t('add.referenceHint')}</small>
            </label>
            <label className="field">
              <span>{t('add.language')}</span>
              <select name="language" value={draft.language} onChange={(event) => set('language', event.target.value)}>
                {languages.map((code) => <option key={code} value={code}>{languageName(code)}</option>)}
              </select>
            </label>
            <label className="field">
              <span>{t('detail.interviewDate')}</span>
              <input name="interviewDate" dir="ltr" placeholder="YYYY-MM-DD" pattern="\d{4}(-\d{2}(-\d{2})?)?" value={draft.interviewDate} onChange={(event) => set('interviewDate', event.target.value)} />
            </label>
          </div>
          <label className="field">
            <span>{t('add.title')}</span>
            <input name="title" dir="auto" maxLength={1000} required value={draft.title} onChange={(event) => set('title', event.target.value)} />
          </label>
          <div className="row-2">
            <label className="field">
              <span>{t('detail.interviewPlace')}</span>
              <input name="interviewPlace" dir="auto" maxLength={500} value={draft.interviewPlace} onChange={(event) => set('interviewPlace', event.target.value)} />
            </label>
            <label className="field">
              <span>{t('detail.interviewer')}</span>
              <input name="interviewer" dir="auto" maxLength={500} value={draft.interviewer} onChange={(event) => set('interviewer', event.target.value)} />
            </label>
          </div>
          <label className="field">
            <span>{t('add.transcript')}</span>
            <textarea name="transcript" dir="auto" rows={8} maxLength={MAX_TRANSCRIPT_CHARS} value={draft.transcript} onChange={(event) => set('transcript', event.target.value)} />
          </label>
          <label className="field">
            <span>{t('detail.summary')}</span>
            <textarea name="summary" dir="auto" rows={3} className="short" maxLength={MAX_SUMMARY_CHARS} value={draft.summary} onChange={(event) => set('summary', event.target.value)} />
          </label>
          <div className="row-3">
            <VocabularyPicker name="facilities" label={t('detail.facilities')} values={draft.facilities} terms={byScheme('facility')} onChange={(values) => set('facilities', values)} />
            <VocabularyPicker name="perpetratorUnits" label={t('detail.perpetratorUnits')} values={draft.perpetratorUnits} terms={byScheme('perpetratorUnit')} onChange={(values) => set('perpetratorUnits', values)} />
            <VocabularyPicker name="violations" label={t('detail.violations')} values={draft.violations} terms={byScheme('violation')} onChange={(values) => set('violations', values)} />
          </div>
          <div className="row-3">
            <label className="field">
              <span>{t('detail.periodFrom')}</span>
              <input name="periodFrom" dir="ltr" placeholder="YYYY-MM" pattern="\d{4}(-\d{2}(-\d{2})?)?" value={draft.periodFrom} onChange={(event) => set('periodFrom', event.target.value)} />
            </label>
            <label className="field">
              <span>{t('detail.periodTo')}</span>
              <input name="periodTo" dir="ltr" placeholder="YYYY-MM" pattern="\d{4}(-\d{2}(-\d{2})?)?" value={draft.periodTo} onChange={(event) => set('periodTo', event.target.value)} />
            </label>
            <label className="field">
              <span>{t('detail.tags')}</span>
              <input name="tags" dir="auto" value={draft.tags} onChange={(event) => set('tags', event.target.value)} />
              <small className="muted">{t('edit.tagsHint')}</small>
            </label>
          </div>
          <div className="row-2">
            <label className="field">
              <span>{t('detail.status')}</span>
              <select name="status" value={draft.status} onChange={(event) => set('status', event.target.value as Draft['status'])}>
                {TESTIMONY_STATUSES.map((status) => <option key={status} value={status}>{t(`status.${status}`)}</option>)}
              </select>
            </label>
            <label className="field">
              <span>{t('detail.sensitivity')}</span>
              <select name="sensitivity" value={draft.sensitivity} onChange={(event) => set('sensitivity', event.target.value as Draft['sensitivity'])}>
                {SENSITIVITY_LEVELS.map((level) => <option key={level} value={level}>{t(`sensitivity.${level}`)}</option>)}
              </select>
            </label>
          </div>
          <ConsentPanel consent={draft.consent} onChange={(consent) => set('consent', consent)} />
          <div className="actions">
            <button type="submit" className="primary" disabled={saving}>{saving ? t('add.saving') : creating ? t('add.submit') : t('edit.submit')}</button>
            <button type="button" className="quiet cancel" onClick={onCancel}>{t('add.cancel')}</button>
          </div>
        </form>
      ) : null}
    </section>
  );
}
