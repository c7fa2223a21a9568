import { z } from 'zod';
import { IpcErrorCodeSchema } from './result.js';

/**
 * Long work in main runs as a job: a channel starts it and answers `{ jobId }`; the renderer polls
 * `job:status` and may send `job:cancel`. Each job kind's result is parsed by its own schema in
 * main before it is stored, and again by the renderer (useJob) with the same schema.
 */
export const JobIdSchema = z.string().regex(/^[0-9a-f]{32}$/, 'must be a job id');
export const JobRefInputSchema = z.strictObject({ jobId: JobIdSchema });
export const JobStartedSchema = z.object({ jobId: JobIdSchema });
export type JobStarted = z.infer<typeof JobStartedSchema>;

export const JOB_STATES = ['running', 'done', 'failed', 'cancelled'] as const;
export type JobState = (typeof JOB_STATES)[number];

export const JobProgressSchema = z.object({
  /** A short machine word ("read", "seal", "index", ...); the renderer translates it if it knows it. */
  phase: z.string().max(100),
  done: z.number(),
  /** null while the amount of work is not known yet. */
  total: z.number().nullable(),
});
export type JobProgress = z.infer<typeof JobProgressSchema>;

export const JobStatusSchema = z.object({
  jobId: JobIdSchema,
  kind: z.string().max(100),
  state: z.enum(JOB_STATES),
  progress: JobProgressSchema,
  /** Only when done; already parsed in main by the job kind's result schema. */
  result: z.unknown().optional(),
  /** Only when failed or cancelled: a code and one sentence, never a stack. */
  error: z.object({ code: IpcErrorCodeSchema, message: z.string().max(2000) }).optional(),
});
export type JobStatus = z.infer<typeof JobStatusSchema>;

export const JobCancelledSchema = z.object({ cancelled: z.boolean() });
