import type { JobProgress } from '../../../shared/ipc/jobSchemas.js';
import { useI18n } from '../i18n/useI18n';
import { isMessageKey } from '../i18n/messages';

type Props = {
  /** null before the first report: the bar is indeterminate. */
  progress: JobProgress | null;
  /** What is being done, already translated ("Attaching photo.jpg"). */
  label: string;
  /** Shows a cancel button while running. */
  onCancel?: () => void;
};

/** A labelled progress bar for a job, with the phase translated when the dictionary knows it. */
export function ProgressBar({ progress, label, onCancel }: Props) {
  const { t, formatNumber } = useI18n();
  const phaseKey = progress ? `job.phase.${progress.phase}` : '';
  const phase = isMessageKey(phaseKey) ? t(phaseKey) : t('job.working');
  const known = progress !== null && progress.total !== null && progress.total > 0;
  const percent = known ? Math.min(100, Math.floor((progress.done / (progress.total ?? 1)) * 100)) : null;
  return (
    <div className="job-progress" role="status" aria-live="polite">
      <div className="job-progress-text">
        <span className="job-label">{label}</span>
        <span className="job-phase">{percent === null ? phase : t('job.percent', { phase, percent: formatNumber(percent) })}</span>
      </div>
      <div className="job-progress-row">
        {percent === null ? <progress aria-label={label} /> : <progress aria-label={label} max={100} value={percent} />}
        {onCancel ? (
          <button type="button" className="quiet job-cancel" onClick={onCancel}>
            {t('job.cancel')}
          </button>
        ) : null}
      </div>
    </div>
  );
}
