import { sanitizedBytes, type ExportBytes } from './ExportBytes.js';

export type StrippedWav = { ok: true; size: number; chunks: AsyncGenerator<ExportBytes> } | { ok: false; reason: string };

const MAX_BYTES_BEFORE_DATA = 1024 * 1024;
const MAX_FMT_BYTES = 1024;

function ascii(bytes: Uint8Array, offset: number): string {
  return String.fromCharCode(...bytes.subarray(offset, offset + 4));
}

function u32(bytes: Uint8Array, offset: number): number {
  return ((bytes[offset] ?? 0) | ((bytes[offset + 1] ?? 0) << 8) | ((bytes[offset + 2] ?? 0) << 16) | ((bytes[offset + 3] ?? 0) << 24)) >>> 0;
}

function putU32(bytes: Uint8Array, offset: number, value: number): void {
  bytes[offset] = value & 0xff;
  bytes[offset + 1] = (value >>> 8) & 0xff;
  bytes[offset + 2] = (value >>> 16) & 0xff;
  bytes[offset + 3] = (value >>> 24) & 0xff;
}

/**
 * Rewrites a WAV file as RIFF/WAVE with only its `fmt ` and `data` chunks, streaming the audio:
 * LIST/INFO, bext (originator, description), iXML, id3 and every other chunk are dropped. The
 * source is read to its end even after the audio, so a caller hashing it sees every byte.
 */
export async function stripWavMetadata(source: AsyncIterator<Uint8Array>, sourceSize: number): Promise<StrippedWav> {
  let buffered: Uint8Array = new Uint8Array(0);
  let sourceDone = false;
  const readMore = async (): Promise<boolean> => {
    if (sourceDone) return false;
    const next = await source.next();
    if (next.done) {
      sourceDone = true;
      return false;
    }
    const grown = new Uint8Array(buffered.length + next.value.length);
    grown.set(buffered, 0);
    grown.set(next.value, buffered.length);
    buffered = grown;
    return true;
  };
  const need = async (length: number): Promise<boolean> => {
    while (buffered.length < length) {
      if (buffered.length > MAX_BYTES_BEFORE_DATA || !(await readMore())) return false;
    }
    return true;
  };
  if (!(await need(12)) || ascii(buffered, 0) !== 'RIFF' || ascii(buffered, 8) !== 'WAVE') return { ok: false, reason: 'not a RIFF/WAVE file' };
  let offset = 12;
  let fmt: Uint8Array | null = null;
  let dataSize = -1;
  while (dataSize < 0) {
    if (!(await need(offset + 8))) return { ok: false, reason: 'the WAV file has no audio data within its first megabyte' };
    const id = ascii(buffered, offset);
    const size = u32(buffered, offset + 4);
    if (id === 'data') {
      dataSize = size;
      offset += 8;
      break;
    }
    if (id === 'fmt ') {
      if (size < 16 || size > MAX_FMT_BYTES || !(await need(offset + 8 + size))) return { ok: false, reason: 'the WAV format chunk is malformed' };
      fmt = buffered.slice(offset + 8, offset + 8 + size);
    }
    offset += 8 + size + (size % 2);
  }
  if (!fmt) return { ok: false, reason: 'the WAV file has no format chunk before its audio' };
  if (dataSize > sourceSize - offset) return { ok: false, reason: 'the WAV audio size does not match the file' };
  const fmtPadded = fmt.length + (fmt.length % 2);
  const header = new Uint8Array(12 + 8 + fmtPadded + 8);
  const size = header.length + dataSize + (dataSize % 2);
  header.set([0x52, 0x49, 0x46, 0x46], 0);
  putU32(header, 4, size - 8);
  header.set([0x57, 0x41, 0x56, 0x45, 0x66, 0x6d, 0x74, 0x20], 8);
  putU32(header, 16, fmt.length);
  header.set(fmt, 20);
  header.set([0x64, 0x61, 0x74, 0x61], 20 + fmtPadded);
  putU32(header, 24 + fmtPadded, dataSize);
  const startOfData = offset;
  async function* chunks(): AsyncGenerator<ExportBytes> {
    yield sanitizedBytes(header);
    let remaining = dataSize;
    let pending: Uint8Array = buffered.subarray(Math.min(startOfData, buffered.length));
    for (;;) {
      if (remaining > 0 && pending.length > 0) {
        const take = Math.min(remaining, pending.length);
        yield sanitizedBytes(pending.subarray(0, take));
        remaining -= take;
      }
      if (remaining === 0) break;
      const next = await source.next();
      if (next.done) throw new Error('the WAV file ended before its audio did');
      pending = next.value;
    }
    if (dataSize % 2 === 1) yield sanitizedBytes(new Uint8Array(1));
    // Drain the rest (trailing chunks are dropped) so the caller's hash of the original completes.
    while (!(await source.next()).done);
  }
  return { ok: true, size, chunks: chunks() };
}
