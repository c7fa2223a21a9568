import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import { BLOB_CHUNK_BYTES, BLOB_CHUNK_OVERHEAD, BLOB_HEADER_BYTES, type BlobContext } from './blobCipher.js';
import type { SecretKey } from './secretTypes.js';
import { WorkerReplies } from './WorkerReplies.js';

/**
 * A batch handed back: the sealed chunks (a view at the start of a buffer the caller may pass back
 * as `spareSealed` once written) and the plaintext buffer to reuse.
 */
export type SealedBatch = { sealed: Uint8Array; plainBuffer: Uint8Array };

/** Whether `bytes` views its whole ArrayBuffer from the start, as a transfer needs. */
function ownsBuffer(bytes: Uint8Array): bytes is Uint8Array<ArrayBuffer> {
  return bytes.buffer instanceof ArrayBuffer && bytes.byteOffset === 0;
}

// The worker seals; the calling thread meanwhile reads, hashes and writes, so intake uses both
// cores. Same secretstream and AAD as BlobSealer, so the blob format does not change. It calls
// libsodium's push directly on buffers kept in the WASM heap (the wrapper would malloc, copy and
// allocate a new array for every 64 KiB chunk), and both the plaintext and the sealed buffers go
// back and forth as transferred ArrayBuffers, so a gigabyte leaves no garbage behind.
// The raw call follows the wrapper's own (64-bit lengths as low and high 32-bit halves); the
// media tests open every blob with the wrapper's pull, so a mismatch cannot pass unnoticed.
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const sodium = require(workerData.sodiumPath);
const CHUNK = workerData.chunkBytes;
const OVERHEAD = workerData.chunkOverhead;
const MAX_PLAIN = workerData.maxBatchBytes;
const MAX_SEALED = MAX_PLAIN + Math.ceil(MAX_PLAIN / CHUNK) * OVERHEAD;
let raw = null;
let state = 0;
let aadPointer = 0;
let aadLength = 0;
let plainPointer = 0;
let sealedPointer = 0;
let finished = false;
function seal({ plainBuffer, length, isFinal, sealedBuffer }) {
  if (state === 0 || finished) throw new Error('blob sealer not ready or already finished');
  if (length > MAX_PLAIN) throw new Error('batch too large');
  if (!isFinal && (length === 0 || length % CHUNK !== 0)) throw new Error('only the final batch may end with a short chunk');
  raw.HEAPU8.set(new Uint8Array(plainBuffer, 0, length), plainPointer);
  const chunkCount = Math.max(1, Math.ceil(length / CHUNK));
  let sealedLength = 0;
  for (let index = 0; index < chunkCount; index += 1) {
    const tag = isFinal && index === chunkCount - 1
      ? sodium.crypto_secretstream_xchacha20poly1305_TAG_FINAL
      : sodium.crypto_secretstream_xchacha20poly1305_TAG_MESSAGE;
    const chunkLength = Math.min(CHUNK, length - index * CHUNK);
    const status = raw._crypto_secretstream_xchacha20poly1305_push(
      state, sealedPointer + sealedLength, 0, plainPointer + index * CHUNK, chunkLength, 0, aadPointer, aadLength, 0, tag);
    if (status !== 0) throw new Error('secretstream push failed');
    sealedLength += chunkLength + OVERHEAD;
  }
  finished = isFinal;
  const out = sealedBuffer && sealedBuffer.byteLength >= MAX_SEALED ? sealedBuffer : new ArrayBuffer(MAX_SEALED);
  new Uint8Array(out, 0, sealedLength).set(raw.HEAPU8.subarray(sealedPointer, sealedPointer + sealedLength));
  raw.HEAPU8.fill(0, plainPointer, plainPointer + length);
  return { out, sealedLength };
}
sodium.ready.then(() => {
  parentPort.on('message', (message) => {
    try {
      if (message.type === 'init') {
        raw = sodium.libsodium;
        const init = sodium.crypto_secretstream_xchacha20poly1305_init_push(message.key);
        sodium.memzero(message.key);
        state = init.state;
        aadLength = message.aad.length;
        aadPointer = raw._malloc(Math.max(1, aadLength));
        plainPointer = raw._malloc(MAX_PLAIN);
        sealedPointer = raw._malloc(MAX_SEALED);
        if (!aadPointer || !plainPointer || !sealedPointer) throw new Error('out of WASM memory');
        raw.HEAPU8.set(message.aad, aadPointer);
        parentPort.postMessage({ type: 'ready', header: init.header });
      } else {
        const { out, sealedLength } = seal(message);
        parentPort.postMessage({ type: 'sealed', sealedBuffer: out, sealedLength, plainBuffer: message.plainBuffer }, [out, message.plainBuffer]);
      }
    } catch (error) {
      parentPort.postMessage({ type: 'error', message: String((error && error.message) || error) });
    }
  });
  parentPort.postMessage({ type: 'loaded' });
});
`;

const sodiumCjsPath = createRequire(import.meta.url).resolve('libsodium-wrappers-sumo');

// Must stay byte-identical to blobCipher.ts (magic and AAD): the blobs are opened by BlobOpener,
// and the media tests round-trip every size through it.
const BLOB_MAGIC = new Uint8Array([0x54, 0x56, 0x42, 0x31]); // "TVB1"
function blobAad(context: BlobContext): Uint8Array {
  return new TextEncoder().encode(JSON.stringify(['tvault-blob', 1, context.vaultId, context.blobId]));
}

type Reply =
  | { type: 'loaded' }
  | { type: 'ready'; header: Uint8Array }
  | { type: 'sealed'; sealedBuffer: ArrayBuffer; sealedLength: number; plainBuffer: ArrayBuffer }
  | { type: 'error'; message: string };

/**
 * Seals a blob in a worker thread, batch by batch, in the order the batches are given. Each batch
 * is a whole number of 64 KiB chunks except the final one. Replies come back in order, so the
 * caller may keep several batches in flight.
 */
export class BlobSealWorker {
  private readonly replies: WorkerReplies<Reply>;
  private closed = false;
  private streamHeader: Uint8Array | null = null;

  private constructor(private readonly worker: Worker) {
    this.replies = new WorkerReplies<Reply>(worker, 'blob sealing worker', (reply) =>
      reply.type === 'error' ? { error: new Error(`blob sealing failed: ${reply.message}`), lasting: false } : null);
  }

  /** The blob header (magic and secretstream header), to be written before the first batch. */
  get header(): Uint8Array {
    if (!this.streamHeader) throw new Error('blob sealing worker not started');
    return this.streamHeader;
  }

  /** Starts the worker and the stream. The key is copied to the worker, which zeroes its copy once the stream state holds it. */
  static async start(key: SecretKey, context: BlobContext, maxBatchBytes: number): Promise<BlobSealWorker> {
    const sealer = new BlobSealWorker(new Worker(WORKER_SOURCE, {
      eval: true,
      workerData: { sodiumPath: sodiumCjsPath, chunkBytes: BLOB_CHUNK_BYTES, chunkOverhead: BLOB_CHUNK_OVERHEAD, maxBatchBytes },
    }));
    try {
      await sealer.replies.request(); // libsodium loaded
      const reply = await sealer.replies.request({ type: 'init', key, aad: blobAad(context) });
      if (reply.type !== 'ready') throw new Error('blob sealing worker did not start');
      const header = new Uint8Array(BLOB_HEADER_BYTES);
      header.set(BLOB_MAGIC, 0);
      header.set(reply.header, BLOB_MAGIC.length);
      sealer.streamHeader = header;
      return sealer;
    } catch (error) {
      await sealer.close();
      throw error;
    }
  }

  /**
   * Seals the first `length` bytes of `plainBuffer`, which is transferred (detached here) and
   * handed back with the result for reuse, as is `spareSealed` (a sealed batch already written).
   */
  async seal(plainBuffer: Uint8Array, length: number, isFinal: boolean, spareSealed?: Uint8Array): Promise<SealedBatch> {
    if (!ownsBuffer(plainBuffer) || length > plainBuffer.byteLength) throw new Error('a batch must own its whole ArrayBuffer');
    const spare = spareSealed && ownsBuffer(spareSealed) ? spareSealed.buffer : undefined;
    const message = await this.replies.request({ type: 'seal', plainBuffer: plainBuffer.buffer, length, isFinal, sealedBuffer: spare }, spare ? [plainBuffer.buffer, spare] : [plainBuffer.buffer]);
    if (message.type !== 'sealed') throw new Error('blob sealing worker replied out of order');
    return { sealed: new Uint8Array(message.sealedBuffer, 0, message.sealedLength), plainBuffer: new Uint8Array(message.plainBuffer) };
  }

  /** Stops the worker; its memory (the stream state included) goes with it. Batches still in flight fail. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.replies.close('blob sealing worker was closed');
    await this.worker.terminate();
  }
}
