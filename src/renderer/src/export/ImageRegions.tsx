import { useEffect, useRef, useState, type PointerEvent } from 'react';
import type { MediaView } from '../../../shared/ipc/outputSchemas.js';
import type { RedactionPlanView } from '../../../shared/ipc/researchSchemas.js';
import type { IpcFailure } from '../../../shared/ipc/result.js';
import { callVault } from '../api/client';
import { useI18n } from '../i18n/useI18n';

type Props = {
  testimonyId: string;
  plan: RedactionPlanView;
  onPlanChange: (plan: RedactionPlanView) => void;
  onFailure: (failure: IpcFailure) => void;
};

type Box = { x: number; y: number; width: number; height: number };
/** Smaller than this (in screen pixels) is a click, not a box. */
const MIN_DRAG = 4;

/** Decrypted bytes to a blob: URL (CSP allows blob: images); never a file, never a data: URL. */
function blobUrlOf(bytesBase64: string, mimeType: string): string {
  const binary = atob(bytesBase64);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i += 1) bytes[i] = binary.charCodeAt(i);
  return URL.createObjectURL(new Blob([bytes], { type: mimeType }));
}

/** The testimony's images, each with the boxes the export will black out (drawn by dragging), and a way to leave a file out. */
export function ImageRegions({ testimonyId, plan, onPlanChange, onFailure }: Props) {
  const { t } = useI18n();
  const [images, setImages] = useState<MediaView[]>([]);

  useEffect(() => {
    let current = true;
    void callVault('media:list', { testimonyId }).then((answer) => {
      if (!current) return;
      if (answer.ok) setImages(answer.value.filter((media) => media.mimeType.startsWith('image/')));
      else onFailure(answer);
    });
    return () => {
      current = false;
    };
  }, [testimonyId, onFailure]);

  if (images.length === 0) return null;
  return (
    <section className="image-regions" aria-labelledby="images-heading">
      <h4 id="images-heading">{t('export.images.heading')}</h4>
      <p className="muted">{t('export.images.intro')}</p>
      {images.map((media) => (
        <ImageRegionEditor key={media.id} media={media} plan={plan} onPlanChange={onPlanChange} onFailure={onFailure} />
      ))}
    </section>
  );
}

function ImageRegionEditor({ media, plan, onPlanChange, onFailure }: { media: MediaView } & Omit<Props, 'testimonyId'>) {
  const { t, formatNumber } = useI18n();
  const [url, setUrl] = useState<string | null>(null);
  const [natural, setNatural] = useState<{ width: number; height: number } | null>(null);
  const [draft, setDraft] = useState<Box | null>(null);
  const start = useRef<{ x: number; y: number } | null>(null);
  const image = useRef<HTMLImageElement | null>(null);

  useEffect(() => {
    let current = true;
    let made: string | null = null;
    void callVault('media:read', { mediaId: media.id }).then((answer) => {
      if (!current) return;
      if (!answer.ok) return onFailure(answer);
      made = blobUrlOf(answer.value.bytesBase64, answer.value.mimeType);
      setUrl(made);
    });
    return () => {
      current = false;
      if (made) URL.revokeObjectURL(made);
    };
  }, [media.id, onFailure]);

  const regions = plan.imageRegions.filter((region) => region.mediaId === media.id);
  const excluded = plan.excludedMediaIds.includes(media.id);

  const point = (event: PointerEvent<HTMLDivElement>) => {
    const rect = event.currentTarget.getBoundingClientRect();
    return { x: Math.min(Math.max(event.clientX - rect.left, 0), rect.width), y: Math.min(Math.max(event.clientY - rect.top, 0), rect.height) };
  };
  const boxFrom = (a: { x: number; y: number }, b: { x: number; y: number }): Box => ({ x: Math.min(a.x, b.x), y: Math.min(a.y, b.y), width: Math.abs(a.x - b.x), height: Math.abs(a.y - b.y) });

  const finish = () => {
    const box = draft;
    start.current = null;
    setDraft(null);
    const shown = image.current;
    if (!box || !natural || !shown || box.width < MIN_DRAG || box.height < MIN_DRAG) return;
    // Screen pixels to the image's own pixels, which is what the export cuts.
    const scale = natural.width / shown.clientWidth;
    const region = {
      mediaId: media.id,
      x: Math.round(box.x * scale),
      y: Math.round(box.y * scale),
      width: Math.max(1, Math.min(Math.round(box.width * scale), natural.width - Math.round(box.x * scale))),
      height: Math.max(1, Math.min(Math.round(box.height * scale), natural.height - Math.round(box.y * scale))),
      reason: 'marked on the image by the documenter',
    };
    onPlanChange({ ...plan, imageRegions: [...plan.imageRegions, region] });
  };

  const percent = (value: number, of: number) => `${(value / of) * 100}%`;
  return (
    <div className="image-editor" data-media={media.id}>
      <div className="image-head">
        <bdi className="file-name">{media.originalName}</bdi>
        <label className="toggle">
          <input
            type="checkbox"
            name="exclude-media"
            checked={excluded}
            onChange={() => onPlanChange({ ...plan, excludedMediaIds: excluded ? plan.excludedMediaIds.filter((id) => id !== media.id) : [...plan.excludedMediaIds, media.id] })}
          />
          <span>{t('export.images.exclude')}</span>
        </label>
      </div>
      {url && !excluded ? (
        <div
          className="region-canvas"
          onPointerDown={(event) => {
            event.preventDefault();
            event.currentTarget.setPointerCapture(event.pointerId);
            start.current = point(event);
            setDraft({ ...start.current, width: 0, height: 0 });
          }}
          onPointerMove={(event) => {
            if (start.current) setDraft(boxFrom(start.current, point(event)));
          }}
          onPointerUp={finish}
          onPointerCancel={() => {
            start.current = null;
            setDraft(null);
          }}
        >
          <img ref={image} src={url} alt={t('export.images.alt')} draggable={false} onLoad={(event) => setNatural({ width: event.currentTarget.naturalWidth, height: event.currentTarget.naturalHeight })} />
          {natural
            ? regions.map((region, index) => (
                <span key={index} className="region-box" style={{ left: percent(region.x, natural.width), top: percent(region.y, natural.height), width: percent(region.width, natural.width), height: percent(region.height, natural.height) }} />
              ))
            : null}
          {draft ? <span className="region-box draft" style={{ left: draft.x, top: draft.y, width: draft.width, height: draft.height }} /> : null}
        </div>
      ) : null}
      {regions.length > 0 ? (
        <ul className="region-list">
          {regions.map((region, index) => (
            <li key={index}>
              <span dir="ltr">{t('export.images.box', { width: formatNumber(region.width), height: formatNumber(region.height), x: formatNumber(region.x), y: formatNumber(region.y) })}</span>
              <button type="button" className="quiet" onClick={() => onPlanChange({ ...plan, imageRegions: plan.imageRegions.filter((other) => other !== region) })}>{t('export.redaction.removeSpan')}</button>
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}
