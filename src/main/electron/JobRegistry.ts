import { randomBytes } from 'node:crypto';
import type { z } from 'zod';
import type { JobProgress, JobStatus } from '../../shared/ipc/jobSchemas.js';
import type { IpcErrorCode } from '../../shared/ipc/result.js';

/** What a running job receives: where to report progress and when to stop. */
export type JobControl = {
  signal: AbortSignal;
  /** Core's ProgressListener shape; a null total means "not known yet". */
  onProgress: (progress: { phase: string; done: number; total: number | null }) => void;
};

export type JobSpec<T> = {
  /** A stable name the renderer can show ("media:attach", "search:open", "export:run", ...). */
  kind: string;
  /** The job's answer passes this schema before the renderer may read it (unknown keys are stripped). */
  resultSchema: z.ZodType<T>;
  run: (control: JobControl) => Promise<unknown>;
};

type JobEntry = {
  kind: string;
  controller: AbortController;
  status: JobStatus;
  settled: Promise<void>;
  finishedAt: number | null;
};

export type JobFailureOf = (error: unknown) => { code: IpcErrorCode; message: string };

/** Finished jobs are kept until read, or until this many newer ones finished. */
const KEEP_FINISHED = 64;

/**
 * Long work in main (media intake, index build, export): started by one channel, polled with
 * `job:status`, stopped with `job:cancel`. Plain TypeScript (no electron), so the e2e bridge runs
 * the same registry. Jobs belong to one unlocked session: `cancelAll` runs before every lock, and
 * drops every result (they may hold decrypted values).
 */
export class JobRegistry {
  private readonly jobs = new Map<string, JobEntry>();
  private finishedCount = 0;

  constructor(private readonly failureOf: JobFailureOf) {}

  start<T>(spec: JobSpec<T>): { jobId: string } {
    const jobId = randomBytes(16).toString('hex');
    const controller = new AbortController();
    const entry: JobEntry = {
      kind: spec.kind,
      controller,
      status: { jobId, kind: spec.kind, state: 'running', progress: { phase: 'start', done: 0, total: null } },
      settled: Promise.resolve(),
      finishedAt: null,
    };
    const onProgress: JobControl['onProgress'] = ({ phase, done, total }) => {
      if (entry.status.state !== 'running') return;
      entry.status = { ...entry.status, progress: { phase, done, total } satisfies JobProgress };
    };
    this.jobs.set(jobId, entry);
    entry.settled = (async () => {
      try {
        const answer = await spec.run({ signal: controller.signal, onProgress });
        if (controller.signal.aborted) throw abortedError();
        const parsed = spec.resultSchema.safeParse(answer);
        if (!parsed.success) {
          this.finish(entry, { state: 'failed', error: { code: 'INTERNAL', message: 'the job produced an answer the app does not accept' } });
          return;
        }
        this.finish(entry, { state: 'done', result: parsed.data });
      } catch (error) {
        if (controller.signal.aborted) {
          this.finish(entry, { state: 'cancelled', error: { code: 'CANCELLED', message: 'the operation was cancelled' } });
        } else {
          this.finish(entry, { state: 'failed', error: this.failureOf(error) });
        }
      }
    })();
    return { jobId };
  }

  /** The job's state; a finished job is forgotten once its final status has been read. */
  status(jobId: string): JobStatus | null {
    const entry = this.jobs.get(jobId);
    if (!entry) return null;
    if (entry.status.state !== 'running') this.jobs.delete(jobId);
    return entry.status;
  }

  /** Asks the job to stop (core checks the signal between chunks). True if it was running. */
  cancel(jobId: string): boolean {
    const entry = this.jobs.get(jobId);
    if (!entry || entry.status.state !== 'running') return false;
    entry.controller.abort();
    return true;
  }

  get runningCount(): number {
    let count = 0;
    for (const entry of this.jobs.values()) if (entry.status.state === 'running') count += 1;
    return count;
  }

  /** Before a lock: stops every job, waits until each has let go of the vault, forgets them all. */
  async cancelAll(): Promise<void> {
    const entries = [...this.jobs.values()];
    for (const entry of entries) entry.controller.abort();
    await Promise.all(entries.map((entry) => entry.settled));
    this.jobs.clear();
  }

  private finish(entry: JobEntry, outcome: Pick<JobStatus, 'state'> & Partial<Pick<JobStatus, 'result' | 'error'>>): void {
    entry.status = { jobId: entry.status.jobId, kind: entry.kind, state: outcome.state, progress: entry.status.progress, ...(outcome.result !== undefined ? { result: outcome.result } : {}), ...(outcome.error ? { error: outcome.error } : {}) };
    entry.finishedAt = ++this.finishedCount;
    this.forgetOldFinished();
  }

  private forgetOldFinished(): void {
    const finished = [...this.jobs.entries()].filter(([, entry]) => entry.finishedAt !== null);
    if (finished.length <= KEEP_FINISHED) return;
    finished.sort(([, a], [, b]) => (a.finishedAt ?? 0) - (b.finishedAt ?? 0));
    for (const [jobId] of finished.slice(0, finished.length - KEEP_FINISHED)) this.jobs.delete(jobId);
  }
}

function abortedError(): Error {
  const error = new Error('aborted');
  error.name = 'AbortError';
  return error;
}
