import type { RedactedText } from '../redaction/RedactedText.js';

declare const exportBytesBrand: unique symbol;

/**
 * Bytes allowed into a bundle: encoded redacted text, a re-encoded image, a stripped recording, or
 * a document we generate from typed values. The payload writer takes nothing else.
 */
export type ExportBytes = Uint8Array & { readonly [exportBytesBrand]: 'ExportBytes' };

const encoder = new TextEncoder();

export function encodeRedactedText(text: RedactedText): ExportBytes {
  return encoder.encode(text) as ExportBytes;
}

/**
 * For producers whose output is sanitised by construction (image re-encoding, WAV stripping,
 * manifests built from typed values). Every caller is one of those; grep for it to review them.
 */
export function sanitizedBytes(bytes: Uint8Array): ExportBytes {
  return bytes as ExportBytes;
}

/**
 * Unredacted record text and original media bytes for a transfer bundle (profile `transfer`): sealed
 * only to the organisation's own archive key, never to a lawyer. Its one caller is exportTransferBundle.ts.
 */
export function unredactedTransferBytes(bytes: Uint8Array): ExportBytes {
  return bytes as ExportBytes;
}
