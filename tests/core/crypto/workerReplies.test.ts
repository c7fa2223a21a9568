import { Worker } from 'node:worker_threads';
import { afterEach, describe, expect, it } from 'vitest';
import { WorkerReplies } from '../../../src/main/core/crypto/WorkerReplies.js';

type Reply = { type: 'echo'; value: number } | { type: 'error'; message: string };

// Answers each message in order: an echo, an error reply for negative values, and exits on 'exit'.
const SOURCE = `
const { parentPort } = require('node:worker_threads');
parentPort.on('message', (message) => {
  if (message === 'exit') process.exit(3);
  if (message < 0) parentPort.postMessage({ type: 'error', message: 'negative ' + message });
  else parentPort.postMessage({ type: 'echo', value: message });
});
`;

describe('WorkerReplies (the ordered replies of the blob and age workers)', () => {
  const workers: Worker[] = [];
  afterEach(async () => {
    await Promise.all(workers.splice(0).map((worker) => worker.terminate()));
  });
  const start = (lasting: boolean) => {
    const worker = new Worker(SOURCE, { eval: true });
    workers.push(worker);
    const replies = new WorkerReplies<Reply>(worker, 'test worker', (reply) => (reply.type === 'error' ? { error: new Error(reply.message), lasting } : null));
    return { worker, replies };
  };

  it('gives each request the reply to it, in order, and an error reply to its own request only', async () => {
    const { replies } = start(false);
    const answers = await Promise.allSettled([1, 2, -3, 4].map((value) => replies.request(value)));
    expect(answers.map((answer) => (answer.status === 'fulfilled' ? answer.value : String(answer.reason)))).toEqual([
      { type: 'echo', value: 1 }, { type: 'echo', value: 2 }, 'Error: negative -3', { type: 'echo', value: 4 },
    ]);
    expect(replies.failure).toBeNull();
  });

  it('fails every later request after a lasting error, without posting them', async () => {
    const { replies } = start(true);
    await expect(replies.request(-1)).rejects.toThrow('negative -1');
    await expect(replies.request(5)).rejects.toThrow('negative -1');
    expect(replies.waiting).toBe(0);
  });

  it('fails the requests waiting, and every later one, when the worker exits', async () => {
    const { replies } = start(false);
    const waiting = replies.request('exit');
    await expect(waiting).rejects.toThrow('test worker exited with code 3');
    await expect(replies.request(1)).rejects.toThrow('exited with code 3');
  });

  it('on close, fails what waits with the reason and posts nothing more', async () => {
    const { worker, replies } = start(false);
    let posted = 0;
    const post = worker.postMessage.bind(worker);
    worker.postMessage = (...args: Parameters<Worker['postMessage']>) => {
      posted += 1;
      post(...args);
    };
    const waiting = replies.request(1);
    replies.close('closed for the test');
    await expect(waiting).rejects.toThrow('closed for the test');
    await expect(replies.request(2)).rejects.toThrow('closed for the test');
    expect(posted).toBe(1);
  });
});
