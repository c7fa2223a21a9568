import type { Transferable, Worker } from 'node:worker_threads';

type Waiter<Reply> = { resolve: (reply: Reply) => void; reject: (error: Error) => void };

/** What a reply the worker marks as an error becomes, and whether it fails every later request too. */
export type ReplyError = { error: Error; lasting: boolean };

/**
 * The replies of a worker that answers every message once and in order, so each request takes the
 * next reply (the blob and age workers). A reply `toError` turns into an error rejects its request;
 * the worker crashing or exiting fails every request waiting and every later one.
 */
export class WorkerReplies<Reply> {
  private readonly waiters: Waiter<Reply>[] = [];
  private failed: Error | null = null;
  private closedWith: string | null = null;
  private readonly onMessage = (reply: Reply): void => {
    const waiter = this.waiters.shift();
    const failure = this.toError(reply);
    if (!failure) {
      waiter?.resolve(reply);
      return;
    }
    if (failure.lasting) this.failed ??= failure.error;
    waiter?.reject(failure.error);
  };
  private readonly onError = (error: Error): void => this.failAll(error);
  private readonly onExit = (code: number): void => this.failAll(new Error(`${this.name} exited with code ${code}`));

  constructor(
    private readonly worker: Worker,
    private readonly name: string,
    private readonly toError: (reply: Reply) => ReplyError | null,
  ) {
    worker.on('message', this.onMessage);
    worker.on('error', this.onError);
    worker.on('exit', this.onExit);
  }

  get failure(): Error | null {
    return this.failed;
  }

  /** Requests still waiting for their reply. */
  get waiting(): number {
    return this.waiters.length;
  }

  private failAll(error: Error): void {
    this.failed ??= error;
    for (const waiter of this.waiters.splice(0)) waiter.reject(this.failed);
  }

  /** Posts `message` (if any) and answers the reply to it; nothing is posted once failed or closed. */
  request(message?: unknown, transfer: readonly Transferable[] = []): Promise<Reply> {
    if (this.failed) return Promise.reject(this.failed);
    if (this.closedWith !== null) return Promise.reject(new Error(this.closedWith));
    const reply = new Promise<Reply>((resolve, reject) => this.waiters.push({ resolve, reject }));
    // Marked handled now (a batch left behind must not surface as an unhandled rejection); whoever awaits it still sees it.
    reply.catch(() => undefined);
    if (message !== undefined) this.worker.postMessage(message, [...transfer]);
    return reply;
  }

  /**
   * Fails the requests still waiting and stops listening, before the worker is stopped or handed
   * on. The error listener stays unless `handedOn` (an error event with no listener would throw).
   */
  close(reason: string, handedOn = false): void {
    if (this.closedWith !== null) return;
    this.closedWith = reason;
    this.worker.off('message', this.onMessage);
    this.worker.off('exit', this.onExit);
    if (handedOn) this.worker.off('error', this.onError);
    for (const waiter of this.waiters.splice(0)) waiter.reject(new Error(reason));
  }
}
