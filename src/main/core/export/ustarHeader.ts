/** POSIX ustar headers: 512-byte blocks with octal fields. Pure (shared with the viewer). */
export const TAR_BLOCK = 512;

export type UstarFields = {
  name: string;
  size: number;
  mtime: number;
  mode?: number;
  /** '0' regular file; anything else only ever in tests that build hostile archives. */
  typeflag?: string;
  linkname?: string;
  prefix?: string;
  devmajor?: number;
  devminor?: number;
};

const encoder = new TextEncoder();

function writeString(block: Uint8Array, offset: number, length: number, value: string): void {
  const bytes = encoder.encode(value);
  if (bytes.length > length) throw new Error(`tar field too long (${bytes.length} > ${length})`);
  block.set(bytes, offset);
}

function writeOctal(block: Uint8Array, offset: number, length: number, value: number): void {
  const digits = value.toString(8).padStart(length - 1, '0');
  if (digits.length > length - 1) throw new Error('tar number does not fit its field');
  writeString(block, offset, length, `${digits}\0`);
}

/** The sum of the header bytes with the checksum field counted as spaces. */
export function ustarChecksum(block: Uint8Array): number {
  let sum = 0;
  for (let i = 0; i < TAR_BLOCK; i += 1) sum += i >= 148 && i < 156 ? 0x20 : (block[i] ?? 0);
  return sum;
}

export function encodeUstarHeader(fields: UstarFields): Uint8Array {
  const block = new Uint8Array(TAR_BLOCK);
  writeString(block, 0, 100, fields.name);
  writeOctal(block, 100, 8, fields.mode ?? 0o644);
  writeOctal(block, 108, 8, 0);
  writeOctal(block, 116, 8, 0);
  writeOctal(block, 124, 12, fields.size);
  writeOctal(block, 136, 12, fields.mtime);
  writeString(block, 156, 1, fields.typeflag ?? '0');
  writeString(block, 157, 100, fields.linkname ?? '');
  writeString(block, 257, 6, 'ustar\0');
  writeString(block, 263, 2, '00');
  writeOctal(block, 329, 8, fields.devmajor ?? 0);
  writeOctal(block, 337, 8, fields.devminor ?? 0);
  writeString(block, 345, 155, fields.prefix ?? '');
  writeString(block, 148, 8, `${ustarChecksum(block).toString(8).padStart(6, '0')}\0 `);
  return block;
}
