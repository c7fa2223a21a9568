/**
 * Walks a JPEG's marker segments and reports anything that could carry identity: EXIF, XMP, ICC,
 * IPTC and other APPn segments, comments, a JFIF thumbnail, data after the end of the image.
 * Also reads the frame size, so a pixel bomb is refused before a viewer decodes it. Pure.
 */
export type JpegInspection = { width: number; height: number; problems: string[] };

const APP_NAMES: Record<number, string> = { 0xe1: 'EXIF/XMP (APP1)', 0xe2: 'ICC/MPF (APP2)', 0xed: 'IPTC/Photoshop (APP13)', 0xee: 'Adobe (APP14)' };

function u16(bytes: Uint8Array, offset: number): number {
  return ((bytes[offset] ?? 0) << 8) | (bytes[offset + 1] ?? 0);
}

export function inspectJpeg(bytes: Uint8Array): JpegInspection {
  const problems: string[] = [];
  let width = 0;
  let height = 0;
  if (bytes[0] !== 0xff || bytes[1] !== 0xd8) return { width, height, problems: ['not a JPEG'] };
  let offset = 2;
  let sawFrame = false;
  while (offset < bytes.length) {
    if (bytes[offset] !== 0xff) return { width, height, problems: [...problems, `unexpected byte at ${offset}`] };
    let marker = bytes[offset + 1] ?? 0;
    while (marker === 0xff) {
      offset += 1;
      marker = bytes[offset + 1] ?? 0;
    }
    offset += 2;
    if (marker === 0xd9) {
      if (offset !== bytes.length) problems.push(`${bytes.length - offset} bytes after the end of the image`);
      if (!sawFrame) problems.push('no frame header');
      return { width, height, problems };
    }
    if (marker >= 0xd0 && marker <= 0xd7) continue;
    const length = u16(bytes, offset);
    if (length < 2 || offset + length > bytes.length) return { width, height, problems: [...problems, 'truncated segment'] };
    const segment = bytes.subarray(offset + 2, offset + length);
    if (marker === 0xe0) {
      const isJfif = segment[0] === 0x4a && segment[1] === 0x46 && segment[2] === 0x49 && segment[3] === 0x46 && segment[4] === 0;
      // A JFIF segment longer than 16 bytes carries a thumbnail: pixels from before any redaction.
      if (!isJfif || length > 16) problems.push('APP0 segment other than a plain JFIF header');
    } else if (marker >= 0xe1 && marker <= 0xef) {
      problems.push(`${APP_NAMES[marker] ?? `APP${marker - 0xe0}`} metadata segment`);
    } else if (marker === 0xfe) {
      problems.push('comment (COM) segment');
    } else if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
      height = u16(segment, 1);
      width = u16(segment, 3);
      sawFrame = true;
    } else if (![0xc4, 0xdb, 0xdd, 0xda].includes(marker)) {
      problems.push(`unexpected marker 0x${marker.toString(16)}`);
    }
    offset += length;
    if (marker === 0xda) {
      // Entropy-coded data runs to the next marker that is not a stuffed 0x00 or a restart marker.
      while (offset < bytes.length) {
        if (bytes[offset] === 0xff) {
          const next = bytes[offset + 1] ?? 0;
          if (next !== 0x00 && !(next >= 0xd0 && next <= 0xd7) && next !== 0xff) break;
        }
        offset += 1;
      }
    }
  }
  problems.push('no end-of-image marker');
  return { width, height, problems };
}
