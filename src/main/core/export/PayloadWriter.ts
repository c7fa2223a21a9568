import fs from 'node:fs';
import { AgeEncryptor, AgeSealWorker, createSha256, sha256Hex, type AgeEncryptTarget } from '../crypto/index.js';
import type { ExportBytes } from './ExportBytes.js';
import type { LeakFinding } from './exportReport.js';
import { inspectJpeg } from './inspectJpeg.js';
import type { LeakChecker } from './LeakChecker.js';
import { TarWriter } from './TarWriter.js';

export type PayloadFile = { path: string; sha256: string; size: number };
export type SealedPayload = { sha256: string; size: number; headerSha256: string; plaintextSize: number };
/** A text file checked and hashed, not yet in the tar (PayloadWriter.checkTextFile). */
export type CheckedTextFile = { path: string; bytes: ExportBytes; sha256: string; findings: LeakFinding[]; problems: string[] };

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });
const PAYLOAD_NONCE_BYTES = 16;
/** Streamed bytes between write-backs started while the payload is written (see writeBackSoFar). */
const WRITE_BACK_EVERY_BYTES = 64 * 1024 * 1024;

/**
 * Builds the tar and encrypts it on the fly into `payload.age.partial`: no plaintext file is ever
 * created. A worker thread seals, hashes and writes the age stream (AgeSealWorker), so this thread
 * only builds the tar and checks what goes into it. Every file passes the leak check on its way in
 * (text files decoded and normalised, media scanned byte by byte, JPEGs walked for metadata). The
 * age stream gets its final chunk, and the file its real name, only in `seal()`, which refuses
 * while any finding stands.
 */
export class PayloadWriter {
  readonly files: PayloadFile[] = [];
  readonly findings: LeakFinding[] = [];
  readonly fileProblems: { file: string; problem: string }[] = [];
  private readonly tar: TarWriter;
  private closed = false;
  private writeBackFrom = 0;
  private writingBack: Promise<void> | null = null;
  private writeBackError: unknown = null;

  private constructor(
    private readonly handle: fs.promises.FileHandle,
    private readonly partialPath: string,
    private readonly finalPath: string,
    private readonly header: Uint8Array,
    readonly recipientTypes: string[],
    private readonly sealer: AgeSealWorker,
    /** Null only for an unredacted transfer payload (createUnredacted): there is nothing redacted to find. */
    private readonly checker: LeakChecker | null,
    mtimeSeconds: number,
  ) {
    this.tar = new TarWriter((plain) => this.sealer.push(plain), mtimeSeconds);
  }

  static async create(finalPath: string, target: AgeEncryptTarget, checker: LeakChecker, mtimeSeconds: number): Promise<PayloadWriter> {
    return PayloadWriter.open(finalPath, target, checker, mtimeSeconds);
  }

  /**
   * For a transfer bundle only (exportTransferBundle.ts): full, unredacted records sealed to the
   * organisation's own archive key. Nothing in it is redacted, so no leak check runs.
   */
  static async createUnredacted(finalPath: string, target: AgeEncryptTarget & { kind: 'recipients' }, mtimeSeconds: number): Promise<PayloadWriter> {
    return PayloadWriter.open(finalPath, target, null, mtimeSeconds);
  }

  private static async open(finalPath: string, target: AgeEncryptTarget, checker: LeakChecker | null, mtimeSeconds: number): Promise<PayloadWriter> {
    const encryptor = await AgeEncryptor.create(target);
    const partialPath = `${finalPath}.partial`;
    const handle = await fs.promises.open(partialPath, 'wx', 0o600);
    let sealer: AgeSealWorker;
    try {
      sealer = await AgeSealWorker.start(encryptor, handle.fd);
    } catch (error) {
      encryptor.abort();
      await handle.close().catch(() => undefined);
      await fs.promises.rm(partialPath, { force: true });
      throw error;
    }
    return new PayloadWriter(handle, partialPath, finalPath, encryptor.header, encryptor.stanzaTypes, sealer, checker, mtimeSeconds);
  }

  get headerSha256(): string {
    return sha256Hex(this.header.subarray(0, this.header.length - PAYLOAD_NONCE_BYTES));
  }

  /** A JSON, CSV or checksum file: must be UTF-8; checked in normalised form for every redacted string. */
  async addTextFile(path: string, bytes: ExportBytes): Promise<PayloadFile> {
    return this.addCheckedTextFile(this.checkTextFile(path, bytes));
  }

  /**
   * The checks and hash of addTextFile without adding the file: an export checks text files ahead,
   * while media streams, and adds them in order later.
   */
  checkTextFile(path: string, bytes: ExportBytes): CheckedTextFile {
    let text: string;
    const problems: string[] = [];
    try {
      text = strictUtf8.decode(bytes);
    } catch {
      problems.push('a text file that is not valid UTF-8');
      text = '';
    }
    return { path, bytes, sha256: sha256Hex(bytes), findings: this.checker?.checkText(path, text) ?? [], problems };
  }

  async addCheckedTextFile(file: CheckedTextFile): Promise<PayloadFile> {
    for (const problem of file.problems) this.fileProblems.push({ file: file.path, problem });
    this.findings.push(...file.findings);
    await this.tar.addFile(file.path, file.bytes);
    return this.record(file.path, file.sha256, file.bytes.length);
  }

  /** An image held in memory: scanned byte by byte and walked for metadata segments. */
  async addImageFile(path: string, bytes: ExportBytes): Promise<PayloadFile> {
    for (const problem of inspectJpeg(bytes).problems) this.fileProblems.push({ file: path, problem });
    const scanner = this.checker?.binaryScanner(path);
    scanner?.push(bytes);
    this.findings.push(...(scanner?.finish() ?? []));
    await this.tar.addFile(path, bytes);
    return this.record(path, sha256Hex(bytes), bytes.length);
  }

  /** A large file streamed through: scanned and hashed chunk by chunk, never held whole. */
  async addStreamedFile(path: string, size: number, chunks: AsyncIterable<ExportBytes>): Promise<PayloadFile> {
    const scanner = this.checker?.binaryScanner(path);
    const hash = createSha256();
    await this.tar.beginFile(path, size);
    for await (const chunk of chunks) {
      scanner?.push(chunk);
      hash.update(chunk);
      await this.tar.write(chunk);
      this.writeBackSoFar();
    }
    await this.tar.endFile();
    this.findings.push(...(scanner?.finish() ?? []));
    return this.record(path, hash.digestHex(), size);
  }

  /**
   * Every 64 MiB of streamed media, asks the kernel to write back what the sealing worker has
   * written so far (fdatasync on the thread pool, while sealing goes on), so that the fsync in
   * seal() has little left to wait for. A failure is kept and raised by seal().
   */
  private writeBackSoFar(): void {
    if (this.writingBack || this.closed || this.tar.bytesWritten - this.writeBackFrom < WRITE_BACK_EVERY_BYTES) return;
    this.writeBackFrom = this.tar.bytesWritten;
    this.writingBack = this.handle.datasync().then(
      () => undefined,
      (error: unknown) => {
        this.writeBackError ??= error;
      },
    ).finally(() => {
      this.writingBack = null;
    });
  }

  private record(path: string, sha256: string, size: number): PayloadFile {
    const file = { path, sha256, size };
    this.files.push(file);
    return file;
  }

  get clean(): boolean {
    return this.findings.length === 0 && this.fileProblems.length === 0;
  }

  /** Ends the tar, writes the final age chunk, syncs and renames. Refuses if the leak check found anything. */
  async seal(): Promise<SealedPayload> {
    if (!this.clean) throw new Error('refusing to seal a payload with leak-check findings');
    await this.tar.finish();
    const plaintextSize = this.tar.bytesWritten;
    const sealed = await this.sealer.finish();
    await this.writingBack;
    if (this.writeBackError) throw this.writeBackError;
    await this.handle.sync();
    await this.handle.close();
    this.closed = true;
    await fs.promises.rename(this.partialPath, this.finalPath);
    return { sha256: sealed.sha256, size: sealed.size, headerSha256: this.headerSha256, plaintextSize };
  }

  /** Drops the key and deletes the partial file; it never got a final chunk, so it could not be opened anyway. */
  async abort(): Promise<void> {
    // The worker stops first, and a write-back in flight ends: nothing touches the file once it is closed.
    await this.sealer.stop();
    await this.writingBack;
    if (!this.closed) {
      this.closed = true;
      await this.handle.close().catch(() => undefined);
    }
    await fs.promises.rm(this.partialPath, { force: true });
    await fs.promises.rm(this.finalPath, { force: true });
  }
}
