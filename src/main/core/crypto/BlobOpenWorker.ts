import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import { VaultError } from '../errors.js';
import { BLOB_CHUNK_OVERHEAD, BLOB_HEADER_BYTES, BLOB_SEALED_CHUNK_BYTES, type BlobContext } from './blobCipher.js';
import type { SecretKey } from './secretTypes.js';

/** A batch opened by the worker: fresh plaintext (the caller may keep it), and the sealed buffer to reuse. */
export type OpenedBatch = { plain: Uint8Array; sealedBuffer: Uint8Array };

// The worker authenticates and decrypts while the calling thread reads, hashes and writes, so
// export and verify of large media use both cores. The rules are BlobOpener's, checked in the same
// order with the same errors: every chunk authenticates, the final tag comes exactly once and last,
// a stream without it is truncated. libsodium's pull is called directly on buffers kept in the WASM
// heap, with the wrapper's own calling convention (64-bit lengths as two 32-bit halves); the media
// tests open and tamper with blobs through both this worker and BlobOpener.
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const sodium = require(workerData.sodiumPath);
const SEALED_CHUNK = workerData.sealedChunkBytes;
const OVERHEAD = workerData.chunkOverhead;
const MAX_SEALED = workerData.maxBatchBytes;
let raw = null;
let state = 0;
let aadPointer = 0;
let aadLength = 0;
let sealedPointer = 0;
let plainPointer = 0;
let tagPointer = 0;
let chunkIndex = 0;
let sawFinal = false;
class StreamError extends Error {
  constructor(code, message) { super(message); this.code = code; }
}
function open({ sealedBuffer, length, isLast, blobId }) {
  if (state === 0) throw new Error('blob opener not ready');
  if (length > MAX_SEALED) throw new Error('batch too large');
  raw.HEAPU8.set(new Uint8Array(sealedBuffer, 0, length), sealedPointer);
  const plain = new Uint8Array(Math.max(0, length - Math.ceil(length / SEALED_CHUNK) * OVERHEAD));
  let plainLength = 0;
  for (let offset = 0; offset < length; offset += SEALED_CHUNK) {
    if (sawFinal) throw new StreamError('STREAM_TRAILING_DATA', 'blob has data after its final chunk');
    const chunkLength = Math.min(SEALED_CHUNK, length - offset);
    const status = chunkLength < OVERHEAD ? -1 : raw._crypto_secretstream_xchacha20poly1305_pull(
      state, plainPointer, 0, tagPointer, sealedPointer + offset, chunkLength, 0, aadPointer, aadLength, 0);
    if (status !== 0) throw new StreamError('AUTH_FAILED', 'blob ' + blobId + ' chunk ' + chunkIndex + ' failed authentication');
    chunkIndex += 1;
    const tag = raw.HEAPU8[tagPointer];
    if (tag === sodium.crypto_secretstream_xchacha20poly1305_TAG_FINAL) sawFinal = true;
    else if (tag !== sodium.crypto_secretstream_xchacha20poly1305_TAG_MESSAGE) {
      throw new StreamError('AUTH_FAILED', 'blob ' + blobId + ' chunk ' + chunkIndex + ' has an unexpected tag');
    }
    plain.set(raw.HEAPU8.subarray(plainPointer, plainPointer + chunkLength - OVERHEAD), plainLength);
    plainLength += chunkLength - OVERHEAD;
  }
  raw.HEAPU8.fill(0, plainPointer, plainPointer + SEALED_CHUNK);
  if (isLast && !sawFinal) throw new StreamError('STREAM_TRUNCATED', 'blob ' + blobId + ' ends before its final chunk (truncated)');
  return plain;
}
sodium.ready.then(() => {
  parentPort.on('message', (message) => {
    try {
      if (message.type === 'init') {
        raw = sodium.libsodium;
        try {
          state = sodium.crypto_secretstream_xchacha20poly1305_init_pull(message.header, message.key);
        } catch {
          throw new StreamError('AUTH_FAILED', 'blob ' + message.blobId + ' has a bad header');
        } finally {
          sodium.memzero(message.key);
        }
        aadLength = message.aad.length;
        aadPointer = raw._malloc(Math.max(1, aadLength));
        sealedPointer = raw._malloc(MAX_SEALED);
        plainPointer = raw._malloc(SEALED_CHUNK);
        tagPointer = raw._malloc(1);
        if (!aadPointer || !sealedPointer || !plainPointer || !tagPointer) throw new Error('out of WASM memory');
        raw.HEAPU8.set(message.aad, aadPointer);
        parentPort.postMessage({ type: 'ready' });
      } else {
        const plain = open(message);
        parentPort.postMessage({ type: 'opened', plain, sealedBuffer: message.sealedBuffer }, [plain.buffer, message.sealedBuffer]);
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
  | { type: 'opened'; plain: Uint8Array; sealedBuffer: ArrayBuffer }
  | { type: 'error'; code?: unknown; message: string };
type Waiter = { resolve: (reply: Reply) => void; reject: (error: Error) => void };

function ownsBuffer(bytes: Uint8Array): bytes is Uint8Array<ArrayBuffer> {
  return bytes.buffer instanceof ArrayBuffer && bytes.byteOffset === 0;
}

/**
 * Opens a secretstream blob in a worker thread, batch by batch, in order. Batches are whole sealed
 * chunks, except that the last batch may end with a short one. Errors are BlobOpener's VaultErrors.
 */
export class BlobOpenWorker {
  private readonly waiters: Waiter[] = [];
  private failure: Error | null = null;
  private closed = false;

  private constructor(
    private readonly worker: Worker,
    private readonly blobId: string,
  ) {
    const failAll = (error: Error) => {
      this.failure ??= error;
      for (const waiter of this.waiters.splice(0)) waiter.reject(this.failure);
    };
    worker.on('message', (reply: Reply) => {
      const waiter = this.waiters.shift();
      if (reply.type !== 'error') waiter?.resolve(reply);
      else if (isStreamErrorCode(reply.code)) waiter?.reject(new VaultError(reply.code, reply.message));
      else waiter?.reject(new Error(`blob opening failed: ${reply.message}`));
    });
    worker.on('error', failAll);
    worker.on('exit', (code) => failAll(new Error(`blob opening worker exited with code ${code}`)));
  }

  private nextReply(): Promise<Reply> {
    if (this.failure) return Promise.reject(this.failure);
    if (this.closed) return Promise.reject(new Error('blob opening worker was closed'));
    return new Promise((resolve, reject) => this.waiters.push({ resolve, reject }));
  }

  /** `header` is the blob's first BLOB_HEADER_BYTES; the key is copied to the worker, which zeroes its copy. */
  static async start(key: SecretKey, header: Uint8Array, context: BlobContext, maxBatchBytes: number): Promise<BlobOpenWorker> {
    if (header.length !== BLOB_HEADER_BYTES || !BLOB_MAGIC.every((byte, i) => header[i] === byte)) {
      throw new VaultError('AUTH_FAILED', `blob ${context.blobId} has a bad header`);
    }
    const opener = new BlobOpenWorker(new Worker(WORKER_SOURCE, {
      eval: true,
      workerData: { sodiumPath: sodiumCjsPath, sealedChunkBytes: BLOB_SEALED_CHUNK_BYTES, chunkOverhead: BLOB_CHUNK_OVERHEAD, maxBatchBytes },
    }), context.blobId);
    try {
      await opener.nextReply(); // libsodium loaded
      const ready = opener.nextReply();
      opener.worker.postMessage({ type: 'init', key, header: header.slice(BLOB_MAGIC.length), aad: blobAad(context), blobId: context.blobId });
      await ready;
      return opener;
    } catch (error) {
      await opener.close();
      throw error;
    }
  }

  /**
   * Opens the first `length` bytes of `sealedBuffer` (transferred, handed back for reuse). `isLast`
   * says the file ends with this batch, so a missing final tag is reported as truncation.
   */
  async open(sealedBuffer: Uint8Array, length: number, isLast: boolean): Promise<OpenedBatch> {
    if (!ownsBuffer(sealedBuffer) || length > sealedBuffer.byteLength) throw new Error('a batch must own its whole ArrayBuffer');
    const reply = this.nextReply();
    if (!this.failure && !this.closed) {
      this.worker.postMessage({ type: 'open', sealedBuffer: sealedBuffer.buffer, length, isLast, blobId: this.blobId }, [sealedBuffer.buffer]);
    }
    const message = await reply;
    if (message.type !== 'opened') throw new Error('blob opening worker replied out of order');
    return { plain: message.plain, sealedBuffer: new Uint8Array(message.sealedBuffer) };
  }

  /** Stops the worker; its memory (the stream state included) goes with it. Batches still in flight fail. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.worker.removeAllListeners('exit');
    for (const waiter of this.waiters.splice(0)) waiter.reject(new Error('blob opening worker was closed'));
    await this.worker.terminate();
  }
}
