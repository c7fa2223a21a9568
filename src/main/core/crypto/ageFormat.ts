import { AgeError } from './AgeError.js';

/**
 * The textual age v1 header (https://age-encryption.org/v1), parsed strictly: one format, one
 * encoding of every value, so a header cannot carry hidden variants that other parsers read
 * differently. Pure TypeScript (no Node APIs).
 */
export const AGE_VERSION_LINE = 'age-encryption.org/v1';
export const AGE_CHUNK_BYTES = 64 * 1024;
export const AGE_TAG_BYTES = 16;
export const AGE_SEALED_CHUNK_BYTES = AGE_CHUNK_BYTES + AGE_TAG_BYTES;
export const AGE_PAYLOAD_NONCE_BYTES = 16;
export const AGE_FILE_KEY_BYTES = 16;
/** Far above any real header (64 recipients is about 8 KiB); a bigger one is an attack. */
export const AGE_MAX_HEADER_BYTES = 64 * 1024;
export const AGE_MAX_STANZAS = 64;

export type AgeStanza = { args: string[]; body: Uint8Array };
export type AgeHeader = {
  stanzas: AgeStanza[];
  /** The header bytes the MAC covers: everything up to and including `---`. */
  macInput: Uint8Array;
  mac: Uint8Array;
  /** Bytes from the start of the file to the end of the MAC line (the payload nonce follows). */
  length: number;
};

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const B64_INDEX = new Map([...B64].map((char, i) => [char, i]));
const BODY_COLUMNS = 64;

/** Standard base64 without padding, as age writes it. */
export function encodeBase64NoPad(bytes: Uint8Array): string {
  let out = '';
  for (let i = 0; i < bytes.length; i += 3) {
    const a = bytes[i] ?? 0;
    const b = bytes[i + 1];
    const c = bytes[i + 2];
    const triple = (a << 16) | ((b ?? 0) << 8) | (c ?? 0);
    out += B64[(triple >>> 18) & 63];
    out += B64[(triple >>> 12) & 63];
    if (b !== undefined) out += B64[(triple >>> 6) & 63];
    if (c !== undefined) out += B64[triple & 63];
  }
  return out;
}

/** Decodes canonical unpadded base64 only (unused trailing bits must be zero); null otherwise. */
export function decodeBase64NoPad(text: string): Uint8Array | null {
  if (text.length % 4 === 1) return null;
  const out = new Uint8Array(Math.floor((text.length * 3) / 4));
  let bits = 0;
  let accumulator = 0;
  let index = 0;
  for (const char of text) {
    const value = B64_INDEX.get(char);
    if (value === undefined) return null;
    accumulator = (accumulator << 6) | value;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out[index] = (accumulator >>> bits) & 0xff;
      index += 1;
    }
    accumulator &= (1 << bits) - 1;
  }
  if (accumulator !== 0) return null;
  return out;
}

const encoder = new TextEncoder();
// Only ever applied to bytes already checked to be printable ASCII, where UTF-8 decoding is the identity.
const asciiDecoder = new TextDecoder();

function isVisibleAscii(text: string): boolean {
  for (let i = 0; i < text.length; i += 1) {
    const code = text.charCodeAt(i);
    if (code < 33 || code > 126) return false;
  }
  return text.length > 0;
}

/** Splits `bytes` into header lines; every byte must be printable ASCII and lines end in LF (never CRLF). */
function* headerLines(bytes: Uint8Array): Generator<{ text: string; start: number; end: number }> {
  let start = 0;
  for (let i = 0; i < bytes.length; i += 1) {
    const byte = bytes[i] ?? 0;
    if (byte === 0x0a) {
      yield { text: asciiDecoder.decode(bytes.subarray(start, i)), start, end: i + 1 };
      start = i + 1;
    } else if (byte < 0x20 || byte > 0x7e) {
      throw new AgeError('AGE_BAD_HEADER', 'the age header holds a byte that is not printable ASCII');
    }
  }
  if (bytes.length >= AGE_MAX_HEADER_BYTES) throw new AgeError('AGE_HEADER_TOO_LARGE', `the age header is larger than ${AGE_MAX_HEADER_BYTES} bytes`);
  throw new AgeError('AGE_BAD_HEADER', 'the age header ends before its MAC line (truncated file)');
}

/**
 * Parses the header at the start of `bytes` (pass at least the first AGE_MAX_HEADER_BYTES bytes of
 * the file, or all of it if shorter). Stanza arguments are kept as text; recipient types check them.
 */
export function parseAgeHeader(fileStart: Uint8Array): AgeHeader {
  const bytes = fileStart.subarray(0, AGE_MAX_HEADER_BYTES);
  const lines = headerLines(bytes);
  const first = lines.next();
  if (first.done || first.value.text !== AGE_VERSION_LINE) throw new AgeError('AGE_BAD_HEADER', 'not an age v1 file (bad version line)');
  const stanzas: AgeStanza[] = [];
  let line = lines.next();
  for (;;) {
    if (line.done) throw new AgeError('AGE_BAD_HEADER', 'the age header ends early');
    const { text, start, end } = line.value;
    if (text.startsWith('-> ')) {
      const args = text.slice(3).split(' ');
      if (!args.every(isVisibleAscii)) throw new AgeError('AGE_BAD_STANZA', 'a stanza has an empty or non-ASCII argument');
      if (stanzas.length >= AGE_MAX_STANZAS) throw new AgeError('AGE_HEADER_TOO_LARGE', `the age header has more than ${AGE_MAX_STANZAS} stanzas`);
      let bodyText = '';
      for (;;) {
        const bodyLine = lines.next();
        if (bodyLine.done) throw new AgeError('AGE_BAD_STANZA', 'a stanza has no body');
        const piece = bodyLine.value.text;
        if (piece.length > BODY_COLUMNS) throw new AgeError('AGE_BAD_STANZA', 'a stanza body line is longer than 64 columns');
        if (![...piece].every((char) => B64_INDEX.has(char))) throw new AgeError('AGE_BAD_STANZA', 'a stanza body line is not base64');
        bodyText += piece;
        if (piece.length < BODY_COLUMNS) break;
      }
      const body = decodeBase64NoPad(bodyText);
      if (!body) throw new AgeError('AGE_BAD_STANZA', 'a stanza body is not canonical base64');
      stanzas.push({ args, body });
      line = lines.next();
      continue;
    }
    if (text.startsWith('---')) {
      if (stanzas.length === 0) throw new AgeError('AGE_BAD_HEADER', 'the age header has no recipient stanza');
      const match = /^--- ([A-Za-z0-9+/]{43})$/.exec(text);
      const mac = match?.[1] ? decodeBase64NoPad(match[1]) : null;
      if (!mac || mac.length !== 32) throw new AgeError('AGE_BAD_HEADER', 'the age header MAC line is malformed');
      return { stanzas, macInput: fileStart.slice(0, start + 3), mac, length: end };
    }
    throw new AgeError('AGE_BAD_HEADER', 'the age header has a line that is neither a stanza nor the MAC');
  }
}

/** The header text without its MAC line's value: what the MAC is computed over. */
export function encodeAgeHeaderWithoutMac(stanzas: readonly AgeStanza[]): Uint8Array {
  let text = `${AGE_VERSION_LINE}\n`;
  for (const stanza of stanzas) {
    text += `-> ${stanza.args.join(' ')}\n`;
    const body = encodeBase64NoPad(stanza.body);
    for (let i = 0; i <= body.length; i += BODY_COLUMNS) text += `${body.slice(i, i + BODY_COLUMNS)}\n`;
  }
  return encoder.encode(`${text}---`);
}

export function encodeAgeMacLine(mac: Uint8Array): Uint8Array {
  return encoder.encode(` ${encodeBase64NoPad(mac)}\n`);
}

/** The 12-byte STREAM nonce: an 11-byte big-endian chunk counter and the last-chunk flag. */
export function ageChunkNonce(counter: number, last: boolean): Uint8Array {
  const nonce = new Uint8Array(12);
  let value = counter;
  for (let i = 10; i >= 0 && value > 0; i -= 1) {
    nonce[i] = value % 256;
    value = Math.floor(value / 256);
  }
  nonce[11] = last ? 1 : 0;
  return nonce;
}

/** Ciphertext size (header excluded) of a payload of `plainSize` bytes: nonce plus one tag per chunk. */
export function agePayloadSealedSize(plainSize: number): number {
  const chunks = plainSize === 0 ? 1 : Math.ceil(plainSize / AGE_CHUNK_BYTES);
  return AGE_PAYLOAD_NONCE_BYTES + plainSize + chunks * AGE_TAG_BYTES;
}

/** Plaintext size for `sealedSize` payload bytes (after the header), or null if no valid STREAM has that size. */
export function agePayloadPlainSize(sealedSize: number): number | null {
  const streamBytes = sealedSize - AGE_PAYLOAD_NONCE_BYTES;
  if (streamBytes < AGE_TAG_BYTES) return null;
  const fullChunks = Math.floor(streamBytes / AGE_SEALED_CHUNK_BYTES);
  const rest = streamBytes % AGE_SEALED_CHUNK_BYTES;
  if (rest === 0) return fullChunks * AGE_CHUNK_BYTES;
  // A trailing piece shorter than a tag, or an empty final chunk after full ones, is not a valid stream.
  if (rest < AGE_TAG_BYTES || (rest === AGE_TAG_BYTES && fullChunks > 0)) return null;
  return fullChunks * AGE_CHUNK_BYTES + rest - AGE_TAG_BYTES;
}
