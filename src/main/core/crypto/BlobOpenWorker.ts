import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import { VaultError } from '../errors.js';
import { BLOB_CHUNK_OVERHEAD, BLOB_HEADER_BYTES, BLOB_SEALED_CHUNK_BYTES, type BlobContext } from './blobCipher.js';
import { makeSecretstreamPull } from './secretstreamPull.js';
import { WorkerReplies } from './WorkerReplies.js';
import type { SecretKey } from './secretTypes.js';

/**
 * A batch opened by the worker: the plaintext (in a new array, or in the spent one the caller gave
 * back), the sealed buffer to reuse and, with the last batch when asked for, the SHA-256 of the
 * whole plaintext.
 */
export type OpenedBatch = { plain: Uint8Array; sealedBuffer: Uint8Array; sha256?: string };

// The worker authenticates and decrypts while the calling thread reads, hashes and writes, so
// export and verify of large media use both cores. The rules are BlobOpener's, checked in the same
// order with the same errors: every chunk authenticates, the final tag comes exactly once and last,
// a stream without it is truncated. Chunks are opened on node:crypto's native ChaCha20-Poly1305
// (secretstreamPull.ts: the same construction, four times faster than libsodium's WASM), except
// a blob's short last chunk, which libsodium opens from the same state in its heap (called with
// the wrapper's own calling convention: 64-bit lengths as two 32-bit halves). The media tests open
// and tamper with blobs through both this worker and BlobOpener.
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const nodeCrypto = require('node:crypto');
const sodium = require(workerData.sodiumPath);
// tsx and esbuild with keepNames wrap inner functions in __name(fn, "name"): give the copied source that helper.
const __name = (fn) => fn;
const makeSecretstreamPull = ${makeSecretstreamPull.toString()};
const SEALED_CHUNK = workerData.sealedChunkBytes;
const OVERHEAD = workerData.chunkOverhead;
let maxSealed = 0;
let raw = null;
let state = 0;
let stream = null;
let aad = null;
let aadPointer = 0;
let sealedPointer = 0;
let plainPointer = 0;
let tagPointer = 0;
let chunkIndex = 0;
let sawFinal = false;
let plainHash = null;
class StreamError extends Error {
  constructor(code, message) { super(message); this.code = code; }
}
function pullInWasm(sealed) {
  raw.HEAPU8.set(sealed, sealedPointer);
  const status = raw._crypto_secretstream_xchacha20poly1305_pull(
    state, plainPointer, 0, tagPointer, sealedPointer, sealed.length, 0, aadPointer, aad.length, 0);
  if (status !== 0) return null;
  const messageLength = sealed.length - OVERHEAD;
  const message = raw.HEAPU8.slice(plainPointer, plainPointer + messageLength);
  raw.HEAPU8.fill(0, plainPointer, plainPointer + messageLength);
  return { tag: raw.HEAPU8[tagPointer], message };
}
function open({ sealedBuffer, length, isLast, blobId, plainBuffer }) {
  if (!stream) throw new Error('blob opener not ready');
  if (length > maxSealed) throw new Error('batch too large');
  const sealed = new Uint8Array(sealedBuffer, 0, length);
  const plainBytes = Math.max(0, length - Math.ceil(length / SEALED_CHUNK) * OVERHEAD);
  // Into the caller's spent buffer when it gave one back (fresh 1 MiB arrays per batch kept the GC busy).
  const plain = plainBuffer && plainBuffer.byteLength >= plainBytes ? new Uint8Array(plainBuffer, 0, plainBytes) : new Uint8Array(plainBytes);
  let plainLength = 0;
  for (let offset = 0; offset < length; offset += SEALED_CHUNK) {
    if (sawFinal) throw new StreamError('STREAM_TRAILING_DATA', 'blob has data after its final chunk');
    const chunkLength = Math.min(SEALED_CHUNK, length - offset);
    const opened = chunkLength < OVERHEAD ? null : stream.pull(sealed.subarray(offset, offset + chunkLength), aad);
    if (!opened) throw new StreamError('AUTH_FAILED', 'blob ' + blobId + ' chunk ' + chunkIndex + ' failed authentication');
    chunkIndex += 1;
    if (opened.tag === sodium.crypto_secretstream_xchacha20poly1305_TAG_FINAL) sawFinal = true;
    else if (opened.tag !== sodium.crypto_secretstream_xchacha20poly1305_TAG_MESSAGE) {
      throw new StreamError('AUTH_FAILED', 'blob ' + blobId + ' chunk ' + chunkIndex + ' has an unexpected tag');
    }
    plain.set(opened.message, plainLength);
    plainLength += opened.message.length;
    opened.message.fill(0);
  }
  if (isLast && !sawFinal) throw new StreamError('STREAM_TRUNCATED', 'blob ' + blobId + ' ends before its final chunk (truncated)');
  if (plainHash) plainHash.update(plain);
  return plain;
}
sodium.ready.then(() => {
  parentPort.on('message', (message) => {
    try {
      if (message.type === 'init') {
        if (stream) throw new Error('blob opening worker already holds a stream');
        raw = sodium.libsodium;
        maxSealed = message.maxBatchBytes;
        aad = message.aad;
        // Our own heap buffers, not the wrapper's (which frees its copy of the key without zeroing it):
        // a worker kept for the next blob must hold nothing of this one.
        state = raw._malloc(52);
        const keyPointer = raw._malloc(32);
        const headerPointer = raw._malloc(24);
        aadPointer = raw._malloc(Math.max(1, aad.length));
        sealedPointer = raw._malloc(SEALED_CHUNK);
        plainPointer = raw._malloc(SEALED_CHUNK);
        tagPointer = raw._malloc(1);
        if (!state || !keyPointer || !headerPointer || !aadPointer || !sealedPointer || !plainPointer || !tagPointer) throw new Error('out of WASM memory');
        raw.HEAPU8.set(message.key, keyPointer);
        message.key.fill(0);
        raw.HEAPU8.set(message.header, headerPointer);
        const status = raw._crypto_secretstream_xchacha20poly1305_init_pull(state, headerPointer, keyPointer);
        raw.HEAPU8.fill(0, keyPointer, keyPointer + 32);
        raw._free(keyPointer);
        raw._free(headerPointer);
        if (status !== 0) throw new StreamError('AUTH_FAILED', 'blob ' + message.blobId + ' has a bad header');
        raw.HEAPU8.set(aad, aadPointer);
        plainHash = message.hashPlaintext ? nodeCrypto.createHash('sha256') : null;
        // libsodium's state struct: k[32], nonce[12], _pad[8].
        stream = makeSecretstreamPull(nodeCrypto, { state: () => raw.HEAPU8.subarray(state, state + 52), pull: pullInWasm });
        parentPort.postMessage({ type: 'ready' });
      } else if (message.type === 'reset') {
        // The blob is done: wipe the stream state and buffers so the worker can take the next blob.
        if (stream) stream.wipe();
        stream = null;
        // (A pointer is 0 when an init failed before allocating it: address 0 is never written.)
        if (state) raw.HEAPU8.fill(0, state, state + 52);
        if (sealedPointer) raw.HEAPU8.fill(0, sealedPointer, sealedPointer + SEALED_CHUNK);
        if (plainPointer) raw.HEAPU8.fill(0, plainPointer, plainPointer + SEALED_CHUNK);
        for (const pointer of [state, aadPointer, sealedPointer, plainPointer, tagPointer]) raw._free(pointer);
        state = aadPointer = sealedPointer = plainPointer = tagPointer = 0;
        aad = null;
        plainHash = null;
        chunkIndex = 0;
        sawFinal = false;
        parentPort.postMessage({ type: 'reset' });
      } else {
        const plain = open(message);
        const sha256 = message.isLast && plainHash ? plainHash.digest('hex') : undefined;
        const transfer = [plain.buffer, message.sealedBuffer];
        // A given buffer too small for this batch (never, with one batch size per blob) goes back unused.
        if (message.plainBuffer && message.plainBuffer !== plain.buffer) transfer.push(message.plainBuffer);
        parentPort.postMessage({ type: 'opened', plain, sealedBuffer: message.sealedBuffer, sha256 }, transfer);
      }
    } catch (error) {
      parentPort.postMessage({ type: 'error', code: error && error.code, message: String((error && error.message) || error) });
    }
  });
  parentPort.postMessage({ type: 'loaded' });
});
`;

const sodiumCjsPath = createRequire(import.meta.url).resolve('libsodium-wrappers-sumo');

// Must stay byte-identical to blobCipher.ts (magic and AAD).
const BLOB_MAGIC = new Uint8Array([0x54, 0x56, 0x42, 0x31]); // "TVB1"
function blobAad(context: BlobContext): Uint8Array {
  return new TextEncoder().encode(JSON.stringify(['tvault-blob', 1, context.vaultId, context.blobId]));
}

const STREAM_ERROR_CODES = ['AUTH_FAILED', 'STREAM_TRAILING_DATA', 'STREAM_TRUNCATED'] as const;
type StreamErrorCode = (typeof STREAM_ERROR_CODES)[number];
const isStreamErrorCode = (code: unknown): code is StreamErrorCode => (STREAM_ERROR_CODES as readonly unknown[]).includes(code);

type Reply =
  | { type: 'loaded' }
  | { type: 'ready' }
  | { type: 'reset' }
  | { type: 'opened'; plain: Uint8Array; sealedBuffer: ArrayBuffer; sha256?: string }
  | { type: 'error'; code?: unknown; message: string };

function ownsBuffer(bytes: Uint8Array): bytes is Uint8Array<ArrayBuffer> {
  return bytes.buffer instanceof ArrayBuffer && bytes.byteOffset === 0;
}

/**
 * Workers that finished a blob cleanly and were wiped, kept for the next one: starting a worker
 * (it loads libsodium) costs 70–100 ms here, and an export opens one blob after another. An idle
 * worker is unref'd (it keeps no process alive) and holds no key or stream state.
 */
const idleWorkers: Worker[] = [];
const MAX_IDLE_WORKERS = 1;

function park(worker: Worker): void {
  const drop = () => {
    const index = idleWorkers.indexOf(worker);
    if (index !== -1) idleWorkers.splice(index, 1);
  };
  worker.on('error', drop);
  worker.on('exit', drop);
  worker.unref();
  idleWorkers.push(worker);
}

/** Stops the idle workers (the vault calls this when it locks). */
export function stopIdleBlobOpenWorkers(): void {
  for (const worker of idleWorkers.splice(0)) void worker.terminate().catch(() => undefined);
}

/**
 * Opens a secretstream blob in a worker thread, batch by batch, in order. Batches are whole sealed
 * chunks, except that the last batch may end with a short one. Errors are BlobOpener's VaultErrors.
 */
export class BlobOpenWorker {
  private readonly replies: WorkerReplies<Reply>;
  private closed = false;

  private constructor(
    private readonly worker: Worker,
    private readonly blobId: string,
  ) {
    this.replies = new WorkerReplies<Reply>(worker, 'blob opening worker', (reply) => {
      if (reply.type !== 'error') return null;
      const error = isStreamErrorCode(reply.code) ? new VaultError(reply.code, reply.message) : new Error(`blob opening failed: ${reply.message}`);
      return { error, lasting: false };
    });
  }

  /** The worker thread's id: the tests see from it whether a worker was kept for the next blob. */
  get threadId(): number {
    return this.worker.threadId;
  }

  /**
   * `header` is the blob's first BLOB_HEADER_BYTES; the key is copied to the worker, which zeroes
   * its copy. With `hashPlaintext` the worker also hashes what it opens (off the caller's thread).
   */
  static async start(key: SecretKey, header: Uint8Array, context: BlobContext, maxBatchBytes: number, hashPlaintext = false): Promise<BlobOpenWorker> {
    if (header.length !== BLOB_HEADER_BYTES || !BLOB_MAGIC.every((byte, i) => header[i] === byte)) {
      throw new VaultError('AUTH_FAILED', `blob ${context.blobId} has a bad header`);
    }
    const idle = idleWorkers.pop();
    // Only the events park() set: a Worker keeps listeners of its own (a bare removeAllListeners() stalls its port).
    for (const event of ['error', 'exit']) idle?.removeAllListeners(event);
    idle?.ref();
    const opener = new BlobOpenWorker(idle ?? new Worker(WORKER_SOURCE, {
      eval: true,
      workerData: { sodiumPath: sodiumCjsPath, sealedChunkBytes: BLOB_SEALED_CHUNK_BYTES, chunkOverhead: BLOB_CHUNK_OVERHEAD },
    }), context.blobId);
    try {
      if (!idle) await opener.replies.request(); // libsodium loaded
      await opener.replies.request({ type: 'init', key, header: header.slice(BLOB_MAGIC.length), aad: blobAad(context), blobId: context.blobId, maxBatchBytes, hashPlaintext });
      return opener;
    } catch (error) {
      await opener.close();
      throw error;
    }
  }

  /**
   * Opens the first `length` bytes of `sealedBuffer` (transferred, handed back for reuse). `isLast`
   * says the file ends with this batch, so a missing final tag is reported as truncation. The
   * plaintext goes into `spentPlain` (transferred; a batch the caller is done with) when given and
   * large enough, else into a new array.
   */
  async open(sealedBuffer: Uint8Array, length: number, isLast: boolean, spentPlain?: Uint8Array): Promise<OpenedBatch> {
    if (!ownsBuffer(sealedBuffer) || length > sealedBuffer.byteLength) throw new Error('a batch must own its whole ArrayBuffer');
    if (spentPlain && !ownsBuffer(spentPlain)) throw new Error('a spent plaintext batch must own its whole ArrayBuffer');
    const plainBuffer = spentPlain?.buffer;
    const transfer: ArrayBuffer[] = plainBuffer ? [sealedBuffer.buffer, plainBuffer] : [sealedBuffer.buffer];
    const message = await this.replies.request({ type: 'open', sealedBuffer: sealedBuffer.buffer, length, isLast, blobId: this.blobId, plainBuffer }, transfer);
    if (message.type !== 'opened') throw new Error('blob opening worker replied out of order');
    return { plain: message.plain, sealedBuffer: new Uint8Array(message.sealedBuffer), ...(message.sha256 ? { sha256: message.sha256 } : {}) };
  }

  /**
   * Ends this blob. A worker with nothing in flight and no failure is wiped and kept for the next
   * blob; any other is stopped, its memory (the stream state included) going with it. Batches
   * still in flight fail.
   */
  async close(): Promise<void> {
    if (this.closed) return;
    if (!this.replies.failure && this.replies.waiting === 0 && idleWorkers.length < MAX_IDLE_WORKERS) {
      const reply = await this.replies.request({ type: 'reset' }).catch(() => null);
      if (reply?.type === 'reset' && !this.closed) {
        this.closed = true;
        this.replies.close('blob opening worker was closed', true);
        park(this.worker);
        return;
      }
    }
    if (this.closed) return;
    this.closed = true;
    this.replies.close('blob opening worker was closed');
    await this.worker.terminate();
  }
}
