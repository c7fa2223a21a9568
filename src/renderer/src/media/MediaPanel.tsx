import { useState, type DragEvent } from 'react';
import { MediaAttachResultSchema } from '../../../shared/ipc/outputSchemas.js';
import type { IpcFailure } from '../../../shared/ipc/result.js';
import { attachDroppedFiles, callVault } from '../api/client';
import { useVaultAnswer } from '../api/useVaultAnswer';
import { ErrorNotice } from '../common/ErrorNotice';
import { useI18n } from '../i18n/useI18n';
import { ProgressBar } from '../jobs/ProgressBar';
import { useJob } from '../jobs/useJob';
import { MediaPreview } from './MediaPreview';
import { formatBytes } from './formatBytes';
import { revealBidiControls } from './revealBidiControls';

type Props = { testimonyId: string; editable: boolean; onFailure: (failure: IpcFailure) => void };

/**
 * The files attached to a testimony with their chain-of-custody facts. Attaching opens main's file
 * dialog (the page never sees a path) and streams each file in as a job, with progress and cancel.
 */
export function MediaPanel({ testimonyId, editable, onFailure }: Props) {
  const { t, formatDateTime, formatNumber } = useI18n();
  const [failure, setFailure] = useState<IpcFailure | null>(null);
  const [previewId, setPreviewId] = useState<string | null>(null);
  const [fileCount, setFileCount] = useState(0);

  const mediaAnswer = useVaultAnswer('media:list', { testimonyId }, onFailure);
  const media = mediaAnswer.value ?? [];
  const reload = mediaAnswer.reload;

  const job = useJob(MediaAttachResultSchema, { onDone: () => reload() });

  const [dragging, setDragging] = useState(false);

  async function attach(dropped?: File[]) {
    setFailure(null);
    const started = dropped ? await attachDroppedFiles(testimonyId, dropped) : await callVault('media:attach', { testimonyId });
    if (!started.ok) {
      setFailure(started);
      onFailure(started);
      return;
    }
    const { jobId, fileCount: count } = started.value;
    if (jobId === null) return; // the user closed the dialog or did not confirm the drop
    setFileCount(count);
    await job.start(() => Promise.resolve({ ok: true, value: { jobId } }));
  }

  const dropHandlers = editable && job.state !== 'running' ? {
    onDragOver: (event: DragEvent<HTMLElement>) => {
      event.preventDefault();
      setDragging(true);
    },
    onDragLeave: () => setDragging(false),
    onDrop: (event: DragEvent<HTMLElement>) => {
      event.preventDefault();
      setDragging(false);
      const files = [...event.dataTransfer.files];
      if (files.length > 0) void attach(files);
    },
  } : {};

  return (
    <section className={dragging ? 'media-panel dragging' : 'media-panel'} aria-labelledby="media-heading" {...dropHandlers}>
      <div className="section-head">
        <h3 id="media-heading">{t('media.heading')}</h3>
        {editable ? <button type="button" className="attach" disabled={job.state === 'running'} onClick={() => void attach()}>{t('media.attach')}</button> : null}
      </div>
      {editable ? <p className="muted drop-hint">{t('media.dropHint')}</p> : null}
      {job.state === 'running' ? <ProgressBar progress={job.progress} label={t('media.attaching', { count: formatNumber(fileCount) })} onCancel={job.cancel} /> : null}
      {job.state === 'done' && job.result ? <p className="notice notice-ok" role="status">{t('media.attached', { count: formatNumber(job.result.attached.length) })}</p> : null}
      {job.state === 'cancelled' ? <p className="notice notice-warn" role="status">{t('job.cancelled')}</p> : null}
      <ErrorNotice failure={failure ?? (job.state === 'failed' ? job.failure : null)} />
      {media.length === 0 ? <p className="muted">{t('media.none')}</p> : (
        <ul className="media-list">
          {media.map((item) => (
            <li key={item.id} className="media-item" data-media-id={item.id}>
              <div className="media-head">
                <strong className="media-name"><bdi dir="auto">{revealBidiControls(item.originalName)}</bdi></strong>
                <span className="muted">{item.mimeType} · {formatBytes(item.sizeBytes, formatNumber)}</span>
                <button type="button" className="quiet preview" aria-expanded={previewId === item.id} onClick={() => setPreviewId(previewId === item.id ? null : item.id)}>
                  {previewId === item.id ? t('media.hidePreview') : t('media.preview')}
                </button>
              </div>
              <dl className="custody">
                <div><dt>{t('media.sha256')}</dt><dd className="hash" dir="ltr">{item.sha256}</dd></div>
                <div><dt>{t('media.intakeAt')}</dt><dd>{formatDateTime(item.intakeAt)}</dd></div>
                <div><dt>{t('media.custodian')}</dt><dd><bdi dir="auto">{item.custodian}</bdi></dd></div>
              </dl>
              {previewId === item.id ? <MediaPreview media={item} onFailure={onFailure} /> : null}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
