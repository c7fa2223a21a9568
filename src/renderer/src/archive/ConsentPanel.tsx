import type { TestimonyView } from '../../../shared/ipc/outputSchemas.js';
import { CONSENT_SCOPES } from '../../../shared/ipc/vocabularies.js';
import { useI18n } from '../i18n/useI18n';

export type Consent = TestimonyView['consent'];
export const NO_CONSENT: Consent = { scopes: [], anonymity: true, mediaUse: false, withdrawn: false };

type Props = { consent: Consent; onChange?: (consent: Consent) => void };

/**
 * What the witness agreed to: who may receive the testimony, whether their name may appear and
 * whether media may be used. Read-only without onChange. Exports refuse anything outside it.
 */
export function ConsentPanel({ consent, onChange }: Props) {
  const { t } = useI18n();
  const editable = onChange !== undefined;
  const set = (patch: Partial<Consent>) => onChange?.({ ...consent, ...patch });
  return (
    <fieldset className={consent.withdrawn ? 'consent consent-withdrawn' : 'consent'} disabled={!editable}>
      <legend>{t('consent.heading')}</legend>
      {consent.withdrawn ? <p className="notice notice-warn">{t('consent.withdrawnNotice')}</p> : null}
      <div className="consent-scopes">
        <p className="consent-label">{t('consent.scopes')}</p>
        {CONSENT_SCOPES.map((scope) => (
          <label key={scope} className="check">
            <input
              type="checkbox"
              name={`consent-${scope}`}
              checked={consent.scopes.includes(scope)}
              onChange={(event) => set({ scopes: event.target.checked ? [...consent.scopes, scope] : consent.scopes.filter((existing) => existing !== scope) })}
            />
            <span>{t(`consent.scope.${scope}`)}</span>
          </label>
        ))}
      </div>
      <div className="consent-flags">
        <label className="check">
          <input type="checkbox" name="consent-anonymity" checked={consent.anonymity} onChange={(event) => set({ anonymity: event.target.checked })} />
          <span>{t('consent.anonymity')}</span>
        </label>
        <label className="check">
          <input type="checkbox" name="consent-mediaUse" checked={consent.mediaUse} onChange={(event) => set({ mediaUse: event.target.checked })} />
          <span>{t('consent.mediaUse')}</span>
        </label>
        <label className="check">
          <input type="checkbox" name="consent-withdrawn" checked={consent.withdrawn} onChange={(event) => set({ withdrawn: event.target.checked })} />
          <span>{t('consent.withdrawn')}</span>
        </label>
        <label className="field consent-date">
          <span>{t('consent.date')}</span>
          {editable ? (
            <input name="consent-date" dir="ltr" placeholder="YYYY-MM-DD" value={consent.date ?? ''} onChange={(event) => set({ date: event.target.value === '' ? undefined : event.target.value })} />
          ) : (
            <bdi>{consent.date ?? t('detail.notRecorded')}</bdi>
          )}
        </label>
      </div>
    </fieldset>
  );
}
