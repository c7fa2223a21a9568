import { useCallback, useEffect, useState } from 'react';
import { EXPORT_PROFILES, ExportOutcomeSchema, type ExportOutcome, type ExportProfile, type ExportReviewItem, type RedactionPlanView } from '../../../shared/ipc/researchSchemas.js';
import type { TestimonySummary } from '../../../shared/ipc/outputSchemas.js';
import type { IpcFailure } from '../../../shared/ipc/result.js';
import { callVault } from '../api/client';
import { ErrorNotice } from '../common/ErrorNotice';
import { useI18n } from '../i18n/useI18n';
import { ProgressBar } from '../jobs/ProgressBar';
import { useJob } from '../jobs/useJob';
import { ExportSummary } from './ExportSummary';
import { RedactionReview } from './RedactionReview';
import './export.css';

const STEPS = ['items', 'recipients', 'consent', 'redaction', 'seal'] as const;
type Step = (typeof STEPS)[number];
/** The pick list shows every selected item and at most this many others (filter to find more): it stays quick at 100k records. */
const MAX_UNSELECTED_SHOWN = 200;
const AGE_RECIPIENT = /^age1[qpzry9x8gf2tvdw0s3jn54khce6mua7l]{58}$/;

type Props = { initialIds: readonly string[]; onFailure: (failure: IpcFailure) => void };

/** Pick items, recipients, see consent refusals, review redactions, then leak-check and seal as a job. */
export function ExportWizard({ initialIds, onFailure }: Props) {
  const { t, formatNumber } = useI18n();
  const [step, setStep] = useState<Step>('items');
  const [all, setAll] = useState<TestimonySummary[] | null>(null);
  const [selected, setSelected] = useState<ReadonlySet<string>>(() => new Set(initialIds));
  const [profile, setProfile] = useState<ExportProfile>('icc');
  const [recipientText, setRecipientText] = useState('');
  const [review, setReview] = useState<ExportReviewItem[] | null>(null);
  const [plans, setPlans] = useState<Record<string, RedactionPlanView>>({});
  const [current, setCurrent] = useState<string | null>(null);
  const [failure, setFailure] = useState<IpcFailure | null>(null);
  const [filter, setFilter] = useState('');
  const job = useJob<ExportOutcome>(ExportOutcomeSchema);

  const fail = useCallback((answer: IpcFailure) => {
    setFailure(answer);
    onFailure(answer);
  }, [onFailure]);

  useEffect(() => {
    void callVault('testimony:list', undefined).then((answer) => (answer.ok ? setAll(answer.value) : fail(answer)));
  }, [fail]);

  const needle = filter.trim().toLowerCase();
  const matches = (item: TestimonySummary) => needle === '' || item.reference.toLowerCase().includes(needle) || item.title.toLowerCase().includes(needle);
  const shown = all ? [...all.filter((item) => selected.has(item.id)), ...all.filter((item) => !selected.has(item.id) && matches(item)).slice(0, MAX_UNSELECTED_SHOWN)] : [];
  const recipients = recipientText.split(/\s+/).map((line) => line.trim()).filter((line) => line !== '');
  const badRecipients = recipients.filter((recipient) => !AGE_RECIPIENT.test(recipient));
  const accepted = (review ?? []).filter((item) => item.consent.ok);

  const goConsent = async () => {
    const answer = await callVault('export:review', { testimonyIds: [...selected], profile });
    if (!answer.ok) return fail(answer);
    setFailure(null);
    setReview(answer.value);
    setStep('consent');
  };

  const goRedaction = async () => {
    const drafts: Record<string, RedactionPlanView> = {};
    for (const item of accepted) {
      const known = plans[item.testimonyId];
      if (known) {
        drafts[item.testimonyId] = known;
        continue;
      }
      const answer = await callVault('redaction:draft', { testimonyId: item.testimonyId });
      if (!answer.ok) return fail(answer);
      drafts[item.testimonyId] = answer.value.plan;
    }
    setPlans(drafts);
    setCurrent(accepted[0]?.testimonyId ?? null);
    setStep('redaction');
  };

  const seal = async () => {
    setFailure(null);
    // Every chosen item goes to core, which refuses (and the report and audit log count) those without consent.
    const started = await callVault('export:start', { testimonyIds: (review ?? []).map((item) => item.testimonyId), profile, recipients, plans, skipRefused: true });
    if (!started.ok) return fail(started);
    if ('cancelled' in started.value) return;
    const { jobId } = started.value;
    await job.start(() => Promise.resolve({ ok: true, value: { jobId } }));
  };

  const toggle = (id: string) => {
    const next = new Set(selected);
    if (next.has(id)) next.delete(id);
    else next.add(id);
    setSelected(next);
  };

  const stepIndex = STEPS.indexOf(step);
  return (
    <section className="card wizard" aria-labelledby="wizard-heading">
      <div className="toolbar">
        <h2 id="wizard-heading">{t('export.heading')}</h2>
      </div>
      <ol className="steps">
        {STEPS.map((name, index) => (
          <li key={name} className={index === stepIndex ? 'step current' : index < stepIndex ? 'step done' : 'step'} aria-current={index === stepIndex ? 'step' : undefined}>
            <span className="step-number">{formatNumber(index + 1)}</span> {t(`export.step.${name}`)}
          </li>
        ))}
      </ol>
      <ErrorNotice failure={failure} />

      {step === 'items' ? (
        <div className="step-body">
          <p className="muted">{t('export.items.intro', { count: formatNumber(selected.size) })}</p>
          <input type="search" name="item-filter" dir="auto" className="item-filter" placeholder={t('export.items.filter')} aria-label={t('export.items.filter')} value={filter} onChange={(event) => setFilter(event.target.value)} />
          <ul className="pick-list">
            {shown.map((item) => (
              <li key={item.id}>
                <label>
                  <input type="checkbox" name="export-item" value={item.id} checked={selected.has(item.id)} onChange={() => toggle(item.id)} />
                  <bdi className="reference">{item.reference}</bdi>
                  <span className="pick-title"><bdi>{item.title}</bdi></span>
                </label>
              </li>
            ))}
          </ul>
          <div className="actions">
            <button type="button" className="primary next" disabled={selected.size === 0} onClick={() => setStep('recipients')}>{t('export.next')}</button>
          </div>
        </div>
      ) : null}

      {step === 'recipients' ? (
        <div className="step-body form">
          <label className="field">
            <span>{t('export.profile')}</span>
            <select name="profile" value={profile} onChange={(event) => setProfile(event.target.value as ExportProfile)}>
              {EXPORT_PROFILES.map((name) => <option key={name} value={name}>{t(`research.scope.${name}`)}</option>)}
            </select>
            <small className="muted">{t('export.profileHint')}</small>
          </label>
          <label className="field">
            <span>{t('export.recipients')}</span>
            <textarea name="recipients" className="recipients" dir="ltr" spellCheck={false} value={recipientText} placeholder="age1…" onChange={(event) => setRecipientText(event.target.value)} />
            <small className="muted">{t('export.recipientsHint')}</small>
          </label>
          {badRecipients.length > 0 ? <p className="notice notice-error" role="alert">{t('export.badRecipient', { count: formatNumber(badRecipients.length) })}</p> : null}
          <div className="actions">
            <button type="button" className="quiet" onClick={() => setStep('items')}>{t('export.back')}</button>
            <button type="button" className="primary next" disabled={recipients.length === 0 || badRecipients.length > 0} onClick={() => void goConsent()}>{t('export.next')}</button>
          </div>
        </div>
      ) : null}

      {step === 'consent' && review ? (
        <div className="step-body">
          <table className="summary-table consent-table">
            <thead>
              <tr>
                <th>{t('list.reference')}</th>
                <th>{t('list.title')}</th>
                <th>{t('export.consent.status')}</th>
              </tr>
            </thead>
            <tbody>
              {review.map((item) => (
                <tr key={item.testimonyId} className={item.consent.ok ? 'consent-ok' : 'consent-refused'}>
                  <td className="reference"><bdi>{item.reference}</bdi></td>
                  <td><bdi dir="auto">{item.title}</bdi></td>
                  <td>
                    {item.consent.ok ? (
                      <span className="badge status-verified">{item.consent.anonymise ? t('export.consent.okAnonymised') : t('export.consent.ok')}</span>
                    ) : (
                      <span className="badge badge-refused">{t(`export.consent.${item.consent.code}`)}</span>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          {review.some((item) => !item.consent.ok) ? <p className="notice notice-warn">{t('export.consent.skipped', { count: formatNumber(review.filter((item) => !item.consent.ok).length) })}</p> : null}
          <div className="actions">
            <button type="button" className="quiet" onClick={() => setStep('recipients')}>{t('export.back')}</button>
            <button type="button" className="primary next" disabled={accepted.length === 0} onClick={() => void goRedaction()}>{t('export.next')}</button>
          </div>
        </div>
      ) : null}

      {step === 'redaction' ? (
        <div className="step-body">
          <div className="tabs item-tabs" role="tablist">
            {accepted.map((item) => (
              <button key={item.testimonyId} type="button" role="tab" aria-selected={current === item.testimonyId} className={current === item.testimonyId ? 'tab active' : 'tab'} onClick={() => setCurrent(item.testimonyId)}>
                <bdi>{item.reference}</bdi>
              </button>
            ))}
          </div>
          {current && plans[current] ? (
            <RedactionReview
              key={current}
              testimonyId={current}
              profile={profile}
              plan={plans[current]}
              onPlanChange={(plan) => setPlans((previous) => ({ ...previous, [current]: plan }))}
              onFailure={onFailure}
            />
          ) : null}
          <div className="actions">
            <button type="button" className="quiet" onClick={() => setStep('consent')}>{t('export.back')}</button>
            <button type="button" className="primary next" onClick={() => setStep('seal')}>{t('export.next')}</button>
          </div>
        </div>
      ) : null}

      {step === 'seal' ? (
        <div className="step-body">
          <p>{t('export.seal.intro', { count: formatNumber(accepted.length), recipients: formatNumber(recipients.length), profile: t(`research.scope.${profile}`) })}</p>
          <p className="muted">{t('export.seal.leakCheck')}</p>
          {job.state === 'running' ? <ProgressBar progress={job.progress} label={t('export.seal.running')} onCancel={job.cancel} /> : null}
          {job.failure ? <ErrorNotice failure={job.failure} /> : null}
          {job.result ? <ExportSummary outcome={job.result} /> : null}
          <div className="actions">
            {job.state !== 'done' ? <button type="button" className="quiet" disabled={job.state === 'running'} onClick={() => setStep('redaction')}>{t('export.back')}</button> : null}
            {job.state !== 'running' && job.result?.status !== 'sealed' ? (
              <button type="button" className="primary seal" onClick={() => void seal()}>{t('export.seal.run')}</button>
            ) : null}
          </div>
        </div>
      ) : null}
    </section>
  );
}
