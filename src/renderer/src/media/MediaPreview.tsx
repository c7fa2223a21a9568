import { useEffect, useState } from 'react';
import type { MediaView } from '../../../shared/ipc/outputSchemas.js';
import type { IpcFailure } from '../../../shared/ipc/result.js';
import { callVault } from '../api/client';
import { ErrorNotice } from '../common/ErrorNotice';
import { useI18n } from '../i18n/useI18n';

type Props = { media: MediaView; onFailure: (failure: IpcFailure) => void };

function bytesOf(base64: string): Uint8Array<ArrayBuffer> {
  const binary = atob(base64);
  const bytes = new Uint8Array(binary.length);
  for (let index = 0; index < binary.length; index += 1) bytes[index] = binary.charCodeAt(index);
  return bytes;
}

/**
 * Decrypted bytes, in memory only, behind a blob: URL (the CSP allows blob: for img and media).
 * No temp file exists; the URL is revoked when the preview closes or the vault locks (unmount).
 */
export function MediaPreview({ media, onFailure }: Props) {
  const { t } = useI18n();
  const [url, setUrl] = useState<string | null>(null);
  const [mimeType, setMimeType] = useState<string>('');
  const [failure, setFailure] = useState<IpcFailure | null>(null);

  useEffect(() => {
    let current = true;
    let created: string | null = null;
    void callVault('media:read', { mediaId: media.id }).then((result) => {
      if (!current) return;
      if (!result.ok) {
        setFailure(result);
        onFailure(result);
        return;
      }
      created = URL.createObjectURL(new Blob([bytesOf(result.value.bytesBase64)], { type: result.value.mimeType }));
      setMimeType(result.value.mimeType);
      setUrl(created);
    });
    return () => {
      current = false;
      if (created) URL.revokeObjectURL(created);
    };
  }, [media.id, onFailure]);

  if (failure) return <ErrorNotice failure={failure} />;
  if (!url) return <p className="muted">{t('media.decrypting')}</p>;
  if (mimeType.startsWith('image/')) return <img className="media-preview" src={url} alt={t('media.imageAlt', { name: media.originalName })} />;
  if (mimeType.startsWith('audio/')) return <audio className="media-preview" src={url} controls />;
  if (mimeType.startsWith('video/')) return <video className="media-preview" src={url} controls />;
  return <p className="muted">{t('media.noPreview')}</p>;
}
