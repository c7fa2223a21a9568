import sharp from 'sharp';
import { RedactionPlanError } from '../redaction/RedactionPlanError.js';
import { sanitizedBytes, type ExportBytes } from './ExportBytes.js';

export type ImageRect = { x: number; y: number; width: number; height: number };
export type SanitizedImage = { bytes: ExportBytes; width: number; height: number; transformations: string[] };
export type ImageSanitizeResult = { ok: true; image: SanitizedImage } | { ok: false; reason: string };
export type ImageSanitizer = (original: Uint8Array, rects: readonly ImageRect[]) => Promise<ImageSanitizeResult>;

/**
 * Decoded pixels stay under libvips' 100 MB threshold for spilling to a temporary file, so an
 * image's plaintext never reaches the disk; bigger images are excluded with a note.
 */
export const MAX_SOURCE_PIXELS = 24_000_000;
const JPEG_QUALITY = 90;

/**
 * Re-encodes an image from its pixels alone: decoded (turned upright by its EXIF orientation
 * first), flattened onto white, converted to sRGB, the marked rectangles set to black in the pixel
 * buffer itself, then written as a fresh JPEG. Nothing of the original file survives but pixels:
 * no EXIF, GPS, XMP, IPTC, ICC, maker notes, thumbnails or trailing data.
 */
export async function sanitizeImage(original: Uint8Array, rects: readonly ImageRect[]): Promise<ImageSanitizeResult> {
  let decoded: { data: Buffer; info: { width: number; height: number; channels: number } };
  try {
    decoded = await sharp(original, { failOn: 'error', limitInputPixels: MAX_SOURCE_PIXELS, animated: false })
      .rotate()
      .flatten({ background: '#ffffff' })
      .toColourspace('srgb')
      .removeAlpha()
      .raw()
      .toBuffer({ resolveWithObject: true });
  } catch (error) {
    const message = error instanceof Error ? error.message : '';
    const reason = /pixel limit/i.test(message)
      ? `the image is larger than ${MAX_SOURCE_PIXELS / 1_000_000} megapixels and cannot be cleaned in memory`
      : 'the image format cannot be decoded for cleaning';
    return { ok: false, reason };
  }
  const { data, info } = decoded;
  try {
    const { width, height } = info;
    const channels = info.channels as 1 | 2 | 3 | 4;
    for (const rect of rects) {
      const x0 = Math.max(0, rect.x);
      const y0 = Math.max(0, rect.y);
      const x1 = Math.min(width, rect.x + rect.width);
      const y1 = Math.min(height, rect.y + rect.height);
      if (x1 <= x0 || y1 <= y0) throw new RedactionPlanError('PLAN_INVALID_REGION', `a marked region lies outside the ${width}×${height} image`);
      for (let y = y0; y < y1; y += 1) data.fill(0, (y * width + x0) * channels, (y * width + x1) * channels);
    }
    const jpeg = await sharp(data, { raw: { width, height, channels } }).jpeg({ quality: JPEG_QUALITY }).toBuffer();
    const transformations = [
      'decoded and re-encoded as JPEG (quality 90) from pixels only',
      'all metadata removed (EXIF, GPS, XMP, IPTC, ICC, maker notes, thumbnails)',
      'turned upright by its orientation tag',
      ...(rects.length > 0 ? [`${rects.length} marked region${rects.length === 1 ? '' : 's'} blacked out in the pixels`] : []),
    ];
    return { ok: true, image: { bytes: sanitizedBytes(new Uint8Array(jpeg)), width, height, transformations } };
  } finally {
    data.fill(0);
  }
}
