import type { IpcFailure } from '../../../shared/ipc/result.js';
import { errorKey } from '../i18n/messages';
import { useI18n } from '../i18n/useI18n';

/** A failed result in the reader's language; for invalid input, core's own field list underneath. */
export function ErrorNotice({ failure, localMessage }: { failure?: IpcFailure | null; localMessage?: string | null }) {
  const { t } = useI18n();
  if (!failure && !localMessage) return null;
  return (
    <div className="notice notice-error" role="alert" data-code={failure?.code}>
      <p>{failure ? t(errorKey(failure.code)) : localMessage}</p>
      {failure?.code === 'INVALID_INPUT' ? <p className="notice-detail" dir="ltr">{failure.message}</p> : null}
    </div>
  );
}
