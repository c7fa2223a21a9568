import { VaultError } from '../core/errors.js';
import type { Implementations, IpcContext } from './ipcHandlers.js';

type JobChannels = 'job:status' | 'job:cancel';

/** Polling and cancelling long work. An unknown (or already read) job id is NOT_FOUND. */
export function jobImplementations(ctx: IpcContext): Pick<Implementations, JobChannels> {
  return {
    'job:status': ({ jobId }) => {
      const status = ctx.state.jobs.status(jobId);
      if (!status) throw new VaultError('NOT_FOUND', 'no such job (it may have finished and been read, or the vault was locked)');
      return status;
    },
    'job:cancel': ({ jobId }) => ({ cancelled: ctx.state.jobs.cancel(jobId) }),
  };
}
