import { Worker } from 'node:worker_threads';
import { AGE_CHUNK_BYTES } from './ageFormat.js';
import type { AgeEncryptor } from './ageEncryptor.js';
import { wipe } from './agePrimitives.js';
import { WorkerReplies } from './WorkerReplies.js';

// The worker seals the age payload (ChaCha20-Poly1305 per 64 KiB chunk, the last one flagged),
// hashes the ciphertext and writes it, so the export's own thread only builds the tar, checks and
// hashes what goes in. It writes the stream exactly as AgeEncryptor does (the tests decrypt its
// files with `age` and with our decryptor, and compare it with AgeEncryptor's chunking): a full
// chunk is sealed only once more data arrives, because the last chunk must carry the final flag.
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const crypto = require('node:crypto');
const fs = require('node:fs');
const CHUNK = workerData.chunkBytes;
const OUT_BATCH = 16 * (CHUNK + 16);
let key = null;
let fd = -1;
let position = 0;
let hash = null;
let counter = 0;
const pending = Buffer.alloc(CHUNK);
let pendingLength = 0;
const out = Buffer.alloc(OUT_BATCH);
let outLength = 0;
let failed = null;
const nonce = Buffer.alloc(12);
function writeAt(bytes) {
  let written = 0;
  while (written < bytes.length) written += fs.writeSync(fd, bytes, written, bytes.length - written, position + written);
  hash.update(bytes);
  position += bytes.length;
}
function writeOut() {
  writeAt(out.subarray(0, outLength));
  outLength = 0;
}
function seal(last) {
  let value = counter;
  nonce.fill(0);
  for (let i = 10; i >= 0 && value > 0; i -= 1) { nonce[i] = value % 256; value = Math.floor(value / 256); }
  nonce[11] = last ? 1 : 0;
  const cipher = crypto.createCipheriv('chacha20-poly1305', key, nonce, { authTagLength: 16 });
  if (outLength + pendingLength + 16 > OUT_BATCH) writeOut();
  outLength += cipher.update(pending.subarray(0, pendingLength)).copy(out, outLength);
  outLength += cipher.final().copy(out, outLength);
  outLength += cipher.getAuthTag().copy(out, outLength);
  counter += 1;
  pendingLength = 0;
}
function push(bytes) {
  let offset = 0;
  while (offset < bytes.length) {
    if (pendingLength === CHUNK) seal(false);
    const take = Math.min(CHUNK - pendingLength, bytes.length - offset);
    pending.set(bytes.subarray(offset, offset + take), pendingLength);
    pendingLength += take;
    offset += take;
  }
}
function forget() {
  if (key) key.fill(0);
  key = null;
  pending.fill(0);
}
parentPort.on('message', (message) => {
  try {
    if (failed) throw failed;
    if (message.type === 'init') {
      key = Buffer.from(message.key);
      message.key.fill(0);
      fd = message.fd;
      hash = crypto.createHash('sha256');
      writeAt(message.header);
      parentPort.postMessage({ type: 'ready' });
    } else if (message.type === 'push') {
      push(new Uint8Array(message.buffer, 0, message.length));
      parentPort.postMessage({ type: 'pushed', buffer: message.buffer }, [message.buffer]);
    } else if (message.type === 'finish') {
      seal(true);
      writeOut();
      forget();
      parentPort.postMessage({ type: 'finished', sha256: hash.digest('hex'), size: position });
    }
  } catch (error) {
    failed = error;
    forget();
    parentPort.postMessage({ type: 'error', message: String((error && error.message) || error), code: error && error.code, errno: error && error.errno, syscall: error && error.syscall });
  }
});
`;

const BATCH_BYTES = 1024 * 1024;
const BATCHES_IN_FLIGHT = 2;

type Reply =
  | { type: 'ready' }
  | { type: 'pushed'; buffer: ArrayBuffer }
  | { type: 'finished'; sha256: string; size: number }
  | { type: 'error'; message: string; code?: unknown; errno?: unknown; syscall?: unknown };

/** The worker's error as the thread would have seen it: a write error keeps its code (ENOSPC, EIO) and syscall. */
function workerError(reply: Extract<Reply, { type: 'error' }>): Error {
  const error = new Error(reply.message) as Error & { code?: string; errno?: number; syscall?: string };
  if (typeof reply.code === 'string') error.code = reply.code;
  if (typeof reply.errno === 'number') error.errno = reply.errno;
  if (typeof reply.syscall === 'string') error.syscall = reply.syscall;
  return error;
}

export type SealedAgeFile = { sha256: string; size: number };

/**
 * Seals an age payload into an open file in a worker thread: the header at offset 0, then the
 * payload pushed in order. Pushes are gathered into 1 MiB batches, with two batches in flight.
 * `finish()` writes the final chunk and answers the file's SHA-256 and size; the caller syncs
 * and closes the file. The payload key lives only in the worker and is zeroed there at the end.
 */
export class AgeSealWorker {
  private readonly replies: WorkerReplies<Reply>;
  private readonly inFlight: Promise<Reply>[] = [];
  private readonly spare: ArrayBuffer[] = [];
  private batch = new Uint8Array(BATCH_BYTES);
  private batchLength = 0;
  private stopped = false;

  private constructor(private readonly worker: Worker) {
    // A write that failed fails every later request: the file is already short.
    this.replies = new WorkerReplies<Reply>(worker, 'age sealing worker', (reply) => (reply.type === 'error' ? { error: workerError(reply), lasting: true } : null));
  }

  /** Takes the encryptor's payload key (it can no longer seal) and writes its header at the start of `fd`. */
  static async start(encryptor: AgeEncryptor, fd: number): Promise<AgeSealWorker> {
    const sealer = new AgeSealWorker(new Worker(WORKER_SOURCE, { eval: true, workerData: { chunkBytes: AGE_CHUNK_BYTES } }));
    const key = encryptor.takePayloadKey();
    try {
      // postMessage copies the key; this thread's copy is wiped at once.
      await sealer.replies.request({ type: 'init', key, header: encryptor.header, fd });
      return sealer;
    } catch (error) {
      await sealer.stop();
      throw error;
    } finally {
      wipe(key);
    }
  }

  async push(bytes: Uint8Array): Promise<void> {
    let offset = 0;
    while (offset < bytes.length) {
      const take = Math.min(BATCH_BYTES - this.batchLength, bytes.length - offset);
      this.batch.set(bytes.subarray(offset, offset + take), this.batchLength);
      this.batchLength += take;
      offset += take;
      if (this.batchLength === BATCH_BYTES) await this.send();
    }
  }

  private async send(): Promise<void> {
    if (this.inFlight.length >= BATCHES_IN_FLIGHT) await this.settleOldest();
    const buffer = this.batch.buffer as ArrayBuffer;
    const length = this.batchLength;
    this.inFlight.push(this.replies.request({ type: 'push', buffer, length }, [buffer]));
    this.batch = new Uint8Array(this.spare.pop() ?? new ArrayBuffer(BATCH_BYTES));
    this.batchLength = 0;
  }

  private async settleOldest(): Promise<void> {
    const reply = await this.inFlight.shift();
    if (reply?.type === 'pushed') this.spare.push(reply.buffer);
  }

  /** Seals the final chunk after everything pushed; answers the whole file's SHA-256 and size. */
  async finish(): Promise<SealedAgeFile> {
    if (this.batchLength > 0) await this.send();
    while (this.inFlight.length > 0) await this.settleOldest();
    const reply = await this.replies.request({ type: 'finish' });
    if (reply.type !== 'finished') throw new Error('age sealing worker replied out of order');
    await this.stop();
    return { sha256: reply.sha256, size: reply.size };
  }

  /** Stops the worker (its key and buffers go with it) and waits until it can no longer write. */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    this.replies.close('age sealing worker was stopped');
    this.batch.fill(0);
    for (const buffer of this.spare) new Uint8Array(buffer).fill(0);
    await this.worker.terminate();
  }
}
