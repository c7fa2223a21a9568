import { BundleError } from './BundleError.js';
import { TAR_BLOCK, ustarChecksum } from './ustarHeader.js';

export type TarEntryHeader = { name: string; size: number; mtime: number; mode: number };
export type TarEvent = { type: 'entry'; header: TarEntryHeader } | { type: 'data'; bytes: Uint8Array } | { type: 'entryEnd' };

export type TarReaderOptions = {
  maxEntries: number;
  /** Exact size of the whole archive when known (it is: age tells us), so a claimed size can be checked before any byte of it is read. */
  totalSize: number | null;
  /** Called for each header before its data; throws to refuse the entry (layout, duplicates, per-kind size limits). */
  checkEntry: (header: TarEntryHeader) => void;
};

type State = 'header' | 'data' | 'padding' | 'endBlock' | 'ended';
const decoder = new TextDecoder();
const SAFE_NAME_BYTE = /^[A-Za-z0-9._/-]$/;

function isZero(bytes: Uint8Array): boolean {
  for (const byte of bytes) if (byte !== 0) return false;
  return true;
}

function parseOctal(field: Uint8Array, what: string): number {
  if ((field[0] ?? 0) & 0x80) throw new BundleError('TAR_SIZE_ABSURD', `tar ${what} uses base-256 encoding (a value this format never needs)`);
  const text = decoder.decode(field);
  const match = /^([0-7]*)[\0 ]*$/.exec(text);
  if (!match) throw new BundleError('TAR_BAD_HEADER', `tar ${what} field is not octal`);
  const digits = match[1] ?? '';
  if (digits.length > 11) throw new BundleError('TAR_SIZE_ABSURD', `tar ${what} is absurdly large`);
  return digits.length === 0 ? 0 : parseInt(digits, 8);
}

/** Validates an entry name byte by byte: ASCII letters, digits, `._-/` only, relative, no `..`, `.` or empty parts. */
function parseName(block: Uint8Array): string {
  const field = block.subarray(0, 100);
  const nul = field.indexOf(0);
  const nameBytes = nul === -1 ? field : field.subarray(0, nul);
  if (nul !== -1 && !isZero(field.subarray(nul))) throw new BundleError('TAR_BAD_NAME', 'a tar entry name has bytes after a NUL (a hidden second name)');
  if (!isZero(block.subarray(345, 500))) throw new BundleError('TAR_BAD_NAME', 'a tar entry uses the ustar prefix field (long names are not part of this format)');
  if (nameBytes.length === 0) throw new BundleError('TAR_BAD_NAME', 'a tar entry has an empty name');
  for (const byte of nameBytes) {
    if (byte >= 0x80) throw new BundleError('TAR_BAD_NAME', 'a tar entry name holds non-ASCII bytes (look-alike characters are refused)');
    if (byte < 0x20 || byte === 0x7f) throw new BundleError('TAR_BAD_NAME', 'a tar entry name holds control characters');
  }
  const name = decoder.decode(nameBytes);
  if (name.startsWith('/') || /^[A-Za-z]:/.test(name)) throw new BundleError('TAR_ABSOLUTE_PATH', `a tar entry has an absolute name: ${JSON.stringify(name)}`);
  const parts = name.split('/');
  if (parts.includes('..')) throw new BundleError('TAR_PATH_TRAVERSAL', `a tar entry name climbs out of the folder: ${JSON.stringify(name)}`);
  if (parts.some((part) => part === '' || part === '.')) throw new BundleError('TAR_BAD_NAME', `a tar entry name has an empty or "." part: ${JSON.stringify(name)}`);
  if (![...name].every((char) => SAFE_NAME_BYTE.test(char))) throw new BundleError('TAR_BAD_NAME', `a tar entry name holds characters outside A-Z a-z 0-9 . _ - /: ${JSON.stringify(name)}`);
  return name;
}

function parseHeader(block: Uint8Array): TarEntryHeader {
  const recorded = parseOctal(block.subarray(148, 156), 'checksum');
  if (recorded !== ustarChecksum(block)) throw new BundleError('TAR_BAD_CHECKSUM', 'a tar header checksum does not match');
  if (decoder.decode(block.subarray(257, 263)) !== 'ustar\0' || decoder.decode(block.subarray(263, 265)) !== '00') {
    throw new BundleError('TAR_BAD_HEADER', 'a tar header is not POSIX ustar');
  }
  const type = String.fromCharCode(block[156] ?? 0);
  if (type === '1' || type === '2') throw new BundleError('TAR_LINK', 'the tar holds a link (links are never part of a bundle)');
  if (type === '3' || type === '4' || type === '6') throw new BundleError('TAR_SPECIAL_FILE', 'the tar holds a device or FIFO');
  if (type === 'x' || type === 'g' || type === 'L' || type === 'K') throw new BundleError('TAR_EXTENDED_HEADER', 'the tar uses extended (pax/GNU) headers, which this format never needs');
  if (type === '5') throw new BundleError('TAR_UNEXPECTED_ENTRY', 'the tar holds a directory entry');
  if (type !== '0' && type !== '\0') throw new BundleError('TAR_BAD_HEADER', 'the tar holds an entry of unknown type');
  const name = parseName(block);
  if (!isZero(block.subarray(157, 257))) throw new BundleError('TAR_BAD_HEADER', 'a regular tar entry names a link target');
  const mode = parseOctal(block.subarray(100, 108), 'mode');
  if ((mode & ~0o777) !== 0) throw new BundleError('TAR_BAD_HEADER', 'a tar entry has setuid, setgid or sticky bits');
  parseOctal(block.subarray(108, 116), 'uid');
  parseOctal(block.subarray(116, 124), 'gid');
  if (parseOctal(block.subarray(329, 337), 'devmajor') !== 0 || parseOctal(block.subarray(337, 345), 'devminor') !== 0) {
    throw new BundleError('TAR_SPECIAL_FILE', 'a regular tar entry has device numbers');
  }
  const size = parseOctal(block.subarray(124, 136), 'size');
  const mtime = parseOctal(block.subarray(136, 148), 'mtime');
  return { name, size, mtime, mode };
}

/**
 * A strict, streaming ustar reader for bundle payloads. It accepts regular files with safe
 * relative names and nothing else (no links, devices, directories, pax or GNU headers), checks
 * every header checksum, requires zero padding and the two-block end marker, and refuses data
 * after it. Bytes are pushed in; events come out. Pure (shared with the viewer).
 */
export class TarReader {
  private state: State = 'header';
  private readonly block = new Uint8Array(TAR_BLOCK);
  private blockLength = 0;
  private remaining = 0;
  private offset = 0;
  private entries = 0;

  constructor(private readonly options: TarReaderOptions) {}

  push(bytes: Uint8Array): TarEvent[] {
    const events: TarEvent[] = [];
    let position = 0;
    while (position < bytes.length) {
      if (this.state === 'data') {
        const take = Math.min(this.remaining, bytes.length - position);
        events.push({ type: 'data', bytes: bytes.subarray(position, position + take) });
        position += take;
        this.offset += take;
        this.remaining -= take;
        if (this.remaining === 0) this.afterData(events);
        continue;
      }
      if (this.state === 'padding' || this.state === 'ended') {
        const take = this.state === 'padding' ? Math.min(this.remaining, bytes.length - position) : bytes.length - position;
        if (!isZero(bytes.subarray(position, position + take))) {
          throw this.state === 'padding'
            ? new BundleError('TAR_BAD_HEADER', 'a tar entry has non-zero padding (hidden data)')
            : new BundleError('TAR_TRAILING_DATA', 'the tar has data after its end marker');
        }
        position += take;
        this.offset += take;
        if (this.state === 'padding') {
          this.remaining -= take;
          if (this.remaining === 0) this.state = 'header';
        }
        continue;
      }
      const take = Math.min(TAR_BLOCK - this.blockLength, bytes.length - position);
      this.block.set(bytes.subarray(position, position + take), this.blockLength);
      this.blockLength += take;
      position += take;
      this.offset += take;
      if (this.blockLength === TAR_BLOCK) {
        this.blockLength = 0;
        this.onBlock(events);
      }
    }
    return events;
  }

  private afterData(events: TarEvent[]): void {
    events.push({ type: 'entryEnd' });
    const padding = (TAR_BLOCK - (this.offset % TAR_BLOCK)) % TAR_BLOCK;
    this.remaining = padding;
    this.state = padding > 0 ? 'padding' : 'header';
  }

  private onBlock(events: TarEvent[]): void {
    if (this.state === 'endBlock') {
      if (!isZero(this.block)) throw new BundleError('TAR_BAD_HEADER', 'the tar has a lone zero block followed by more entries');
      this.state = 'ended';
      return;
    }
    if (isZero(this.block)) {
      this.state = 'endBlock';
      return;
    }
    const header = parseHeader(this.block);
    this.entries += 1;
    if (this.entries > this.options.maxEntries) throw new BundleError('TAR_TOO_MANY_ENTRIES', `the tar holds more than ${this.options.maxEntries} entries`);
    // The data must fit in what is left of the archive (a missing end marker is reported at the end, as truncation).
    if (this.options.totalSize !== null && header.size > this.options.totalSize - this.offset) {
      throw new BundleError('TAR_SIZE_ABSURD', `tar entry ${header.name} claims ${header.size} bytes, more than the archive holds`);
    }
    this.options.checkEntry(header);
    events.push({ type: 'entry', header });
    if (header.size === 0) {
      this.afterData(events);
    } else {
      this.remaining = header.size;
      this.state = 'data';
    }
  }

  /** Call at the end of input. */
  finish(): void {
    if (this.state !== 'ended' || this.blockLength !== 0) throw new BundleError('TAR_TRUNCATED', 'the tar ends before its end marker (truncated)');
  }
}
