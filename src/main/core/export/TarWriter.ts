import { encodeUstarHeader, TAR_BLOCK } from './ustarHeader.js';

export type TarSink = (bytes: Uint8Array) => Promise<void>;

/**
 * Writes a ustar archive to a sink, one regular file at a time, streaming the contents: the size
 * is declared first and enforced, so a file can be any size without being held in memory.
 */
export class TarWriter {
  private remaining = 0;
  private open = false;
  private finished = false;
  bytesWritten = 0;

  constructor(
    private readonly sink: TarSink,
    private readonly mtimeSeconds: number,
  ) {}

  private async emit(bytes: Uint8Array): Promise<void> {
    this.bytesWritten += bytes.length;
    await this.sink(bytes);
  }

  async beginFile(name: string, size: number): Promise<void> {
    if (this.open || this.finished) throw new Error('tar: previous file not ended');
    if (!/^[A-Za-z0-9][A-Za-z0-9._/-]{0,98}$/.test(name) || name.split('/').some((part) => part === '..' || part === '.' || part === '')) {
      throw new Error(`tar: refusing to write the entry name ${JSON.stringify(name)}`);
    }
    await this.emit(encodeUstarHeader({ name, size, mtime: this.mtimeSeconds }));
    this.remaining = size;
    this.open = true;
  }

  async write(bytes: Uint8Array): Promise<void> {
    if (!this.open) throw new Error('tar: no file open');
    if (bytes.length > this.remaining) throw new Error('tar: more bytes than the declared size');
    this.remaining -= bytes.length;
    if (bytes.length > 0) await this.emit(bytes);
  }

  async endFile(): Promise<void> {
    if (!this.open) throw new Error('tar: no file open');
    if (this.remaining !== 0) throw new Error(`tar: file ended ${this.remaining} bytes short of its declared size`);
    const padding = (TAR_BLOCK - (this.bytesWritten % TAR_BLOCK)) % TAR_BLOCK;
    if (padding > 0) await this.emit(new Uint8Array(padding));
    this.open = false;
  }

  async addFile(name: string, content: Uint8Array): Promise<void> {
    await this.beginFile(name, content.length);
    await this.write(content);
    await this.endFile();
  }

  /** Two zero blocks end the archive. */
  async finish(): Promise<void> {
    if (this.open || this.finished) throw new Error('tar: cannot finish now');
    await this.emit(new Uint8Array(TAR_BLOCK * 2));
    this.finished = true;
  }
}
