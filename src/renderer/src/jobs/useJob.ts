import { useCallback, useEffect, useRef, useState } from 'react';
import type { z } from 'zod';
import type { JobProgress, JobStarted, JobState } from '../../../shared/ipc/jobSchemas.js';
import type { IpcFailure, IpcResult } from '../../../shared/ipc/result.js';
import { callVault } from '../api/client';

const POLL_MS = 200;

export type JobView<T> = {
  state: 'idle' | JobState;
  progress: JobProgress | null;
  result: T | null;
  failure: IpcFailure | null;
};

export type UseJob<T> = JobView<T> & {
  /** Calls the channel that starts the job (it answers `{ jobId }`), then polls until it ends. */
  start: (starter: () => Promise<IpcResult<JobStarted>>) => Promise<void>;
  cancel: () => void;
  reset: () => void;
};

const idle = { state: 'idle', progress: null, result: null, failure: null } as const;

/**
 * Runs one long job in main at a time and follows it: progress while it runs, the result (parsed
 * again here with the job kind's schema) when it is done, a code and sentence when it fails.
 * Unmounting stops the polling; locking the vault cancels the job in main.
 */
export function useJob<T>(resultSchema: z.ZodType<T>, options: { onDone?: (result: T) => void } = {}): UseJob<T> {
  const [view, setView] = useState<JobView<T>>(idle);
  const jobId = useRef<string | null>(null);
  const alive = useRef(true);
  const onDone = useRef(options.onDone);
  onDone.current = options.onDone;

  useEffect(() => {
    alive.current = true;
    return () => {
      alive.current = false;
    };
  }, []);

  const poll = useCallback(async (id: string) => {
    while (alive.current && jobId.current === id) {
      const answer = await callVault('job:status', { jobId: id });
      if (!alive.current || jobId.current !== id) return;
      if (!answer.ok) {
        jobId.current = null;
        setView({ state: 'failed', progress: null, result: null, failure: answer });
        return;
      }
      const status = answer.value;
      if (status.state === 'running') {
        setView({ state: 'running', progress: status.progress, result: null, failure: null });
        await new Promise((resolve) => setTimeout(resolve, POLL_MS));
        continue;
      }
      jobId.current = null;
      if (status.state === 'done') {
        const parsed = resultSchema.safeParse(status.result);
        if (parsed.success) {
          setView({ state: 'done', progress: status.progress, result: parsed.data, failure: null });
          onDone.current?.(parsed.data);
        } else {
          setView({ state: 'failed', progress: null, result: null, failure: { ok: false, code: 'INTERNAL', message: 'unexpected job result' } });
        }
        return;
      }
      const error = status.error ?? { code: 'INTERNAL' as const, message: 'the job failed' };
      setView({ state: status.state, progress: status.progress, result: null, failure: { ok: false, ...error } });
      return;
    }
  }, [resultSchema]);

  const start = useCallback(async (starter: () => Promise<IpcResult<JobStarted>>) => {
    setView({ state: 'running', progress: null, result: null, failure: null });
    const started = await starter();
    if (!alive.current) return;
    if (!started.ok) {
      setView({ state: 'failed', progress: null, result: null, failure: started });
      return;
    }
    jobId.current = started.value.jobId;
    await poll(started.value.jobId);
  }, [poll]);

  const cancel = useCallback(() => {
    const id = jobId.current;
    if (id) void callVault('job:cancel', { jobId: id });
  }, []);

  const reset = useCallback(() => {
    jobId.current = null;
    setView(idle);
  }, []);

  return { ...view, start, cancel, reset };
}
