import { z } from 'zod';
import { describe, expect, it } from 'vitest';
import { JobRegistry } from '../../src/main/electron/JobRegistry.js';
import { JobStatusSchema } from '../../src/shared/ipc/jobSchemas.js';

const failureOf = (error: unknown) => ({ code: 'IO_ERROR' as const, message: error instanceof Error ? error.message : 'failed' });

/** A promise and the function that settles it, to step a job from the test. */
function gate(): { opened: Promise<void>; open: () => void } {
  let open = () => {};
  const opened = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { opened, open };
}

async function settled(registry: JobRegistry, jobId: string) {
  for (;;) {
    const status = registry.status(jobId);
    if (!status || status.state !== 'running') return status;
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

describe('JobRegistry', () => {
  it('reports progress while running, then the result parsed by its schema, once', async () => {
    const registry = new JobRegistry(failureOf);
    const step = gate();
    const { jobId } = registry.start({
      kind: 'test:count',
      resultSchema: z.object({ counted: z.number() }),
      run: async ({ onProgress }) => {
        onProgress({ phase: 'read', done: 5, total: 10 });
        await step.opened;
        return { counted: 10, secret: 'stripped before the renderer sees it' };
      },
    });
    expect(jobId).toMatch(/^[0-9a-f]{32}$/);
    await new Promise((resolve) => setTimeout(resolve, 5));
    const running = registry.status(jobId);
    expect(running).toMatchObject({ state: 'running', kind: 'test:count', progress: { phase: 'read', done: 5, total: 10 } });
    expect(JobStatusSchema.safeParse(running).success).toBe(true);
    expect(registry.runningCount).toBe(1);
    step.open();
    const done = await settled(registry, jobId);
    expect(done).toMatchObject({ state: 'done', result: { counted: 10 } });
    expect(done?.result).toEqual({ counted: 10 });
    expect(registry.status(jobId)).toBeNull(); // read once, then forgotten
  });

  it('turns a thrown error into a code and a sentence, and a bad answer into INTERNAL', async () => {
    const registry = new JobRegistry(failureOf);
    const failing = registry.start({ kind: 'test:fail', resultSchema: z.object({}), run: () => Promise.reject(new Error('disk unplugged')) });
    expect(await settled(registry, failing.jobId)).toMatchObject({ state: 'failed', error: { code: 'IO_ERROR', message: 'disk unplugged' } });
    const malformed = registry.start({ kind: 'test:bad', resultSchema: z.object({ count: z.number() }), run: () => Promise.resolve({ count: 'many' }) });
    expect(await settled(registry, malformed.jobId)).toMatchObject({ state: 'failed', error: { code: 'INTERNAL' } });
  });

  it('cancels through the AbortSignal; cancelling twice or an unknown job is a no-op', async () => {
    const registry = new JobRegistry(failureOf);
    const { jobId } = registry.start({
      kind: 'test:wait',
      resultSchema: z.object({}),
      run: ({ signal }) => new Promise((_resolve, reject) => signal.addEventListener('abort', () => reject(new Error('stopped')))),
    });
    expect(registry.cancel(jobId)).toBe(true);
    expect(await settled(registry, jobId)).toMatchObject({ state: 'cancelled', error: { code: 'CANCELLED' } });
    expect(registry.cancel(jobId)).toBe(false);
    expect(registry.cancel('0'.repeat(32))).toBe(false);
  });

  it('a job that ignores the signal but finishes after a cancel still ends as cancelled, with no result', async () => {
    const registry = new JobRegistry(failureOf);
    const step = gate();
    const { jobId } = registry.start({ kind: 'test:stubborn', resultSchema: z.object({ value: z.string() }), run: async () => { await step.opened; return { value: 'decrypted text' }; } });
    registry.cancel(jobId);
    step.open();
    const status = await settled(registry, jobId);
    expect(status?.state).toBe('cancelled');
    expect(status?.result).toBeUndefined();
  });

  it('cancelAll (before a lock) waits for every job to let go and forgets them all', async () => {
    const registry = new JobRegistry(failureOf);
    let released = 0;
    const ids = [1, 2].map(() => registry.start({
      kind: 'test:hold',
      resultSchema: z.object({}),
      run: ({ signal }) => new Promise((_resolve, reject) => signal.addEventListener('abort', () => setTimeout(() => {
        released += 1;
        reject(new Error('stopped'));
      }, 20))),
    }).jobId);
    await registry.cancelAll();
    expect(released).toBe(2);
    for (const id of ids) expect(registry.status(id)).toBeNull();
    expect(registry.runningCount).toBe(0);
  });
});
