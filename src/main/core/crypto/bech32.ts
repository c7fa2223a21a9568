/**
 * Bech32 (BIP 173, not bech32m) as age uses it for `age1…` recipients and `AGE-SECRET-KEY-1…`
 * identities: no 90-character limit, one case throughout, padding bits must be zero.
 * Pure TypeScript so the offline viewer can share it.
 */
const CHARSET = 'qpzry9x8gf2tvdw0s3jn54khce6mua7l';
const GENERATOR = [0x3b6a57b2, 0x26508e6d, 0x1ea119fa, 0x3d4233dd, 0x2a1462b3];
const MAX_LENGTH = 1024;

function polymod(values: number[]): number {
  let checksum = 1;
  for (const value of values) {
    const top = checksum >>> 25;
    checksum = ((checksum & 0x1ffffff) << 5) ^ value;
    for (let i = 0; i < 5; i += 1) if ((top >>> i) & 1) checksum ^= GENERATOR[i] ?? 0;
  }
  return checksum >>> 0;
}

function expandHrp(hrp: string): number[] {
  const out: number[] = [];
  for (let i = 0; i < hrp.length; i += 1) out.push(hrp.charCodeAt(i) >>> 5);
  out.push(0);
  for (let i = 0; i < hrp.length; i += 1) out.push(hrp.charCodeAt(i) & 31);
  return out;
}

function convertBits(data: ArrayLike<number>, from: number, to: number, pad: boolean): number[] | null {
  let accumulator = 0;
  let bits = 0;
  const out: number[] = [];
  const maxValue = (1 << to) - 1;
  for (let i = 0; i < data.length; i += 1) {
    const value = data[i] ?? 0;
    if (value < 0 || value >> from !== 0) return null;
    accumulator = (accumulator << from) | value;
    bits += from;
    while (bits >= to) {
      bits -= to;
      out.push((accumulator >>> bits) & maxValue);
    }
    accumulator &= (1 << bits) - 1;
  }
  if (pad) {
    if (bits > 0) out.push((accumulator << (to - bits)) & maxValue);
  } else if (bits >= from || ((accumulator << (to - bits)) & maxValue) !== 0) {
    // Leftover bits must be fewer than one input group and all zero: otherwise two strings decode alike.
    return null;
  }
  return out;
}

/** Lower-case bech32 of `bytes` under `hrp`; callers upper-case it where the format says so. */
export function encodeBech32(hrp: string, bytes: Uint8Array): string {
  const words = convertBits(bytes, 8, 5, true);
  if (!words) throw new Error('bech32: cannot convert bytes');
  const lowerHrp = hrp.toLowerCase();
  const checksumInput = [...expandHrp(lowerHrp), ...words, 0, 0, 0, 0, 0, 0];
  const mod = polymod(checksumInput) ^ 1;
  const checksum = Array.from({ length: 6 }, (_, i) => (mod >>> (5 * (5 - i))) & 31);
  return `${lowerHrp}1${[...words, ...checksum].map((w) => CHARSET[w]).join('')}`;
}

/** Decodes strictly; returns null for anything that is not canonical bech32 (mixed case, bad checksum, bad padding). */
export function decodeBech32(text: string): { hrp: string; bytes: Uint8Array } | null {
  if (text.length < 8 || text.length > MAX_LENGTH) return null;
  if (text !== text.toLowerCase() && text !== text.toUpperCase()) return null;
  const lower = text.toLowerCase();
  for (let i = 0; i < lower.length; i += 1) {
    const code = lower.charCodeAt(i);
    if (code < 33 || code > 126) return null;
  }
  const separator = lower.lastIndexOf('1');
  if (separator < 1 || separator + 7 > lower.length) return null;
  const hrp = lower.slice(0, separator);
  const words: number[] = [];
  for (const char of lower.slice(separator + 1)) {
    const value = CHARSET.indexOf(char);
    if (value < 0) return null;
    words.push(value);
  }
  if (polymod([...expandHrp(hrp), ...words]) !== 1) return null;
  const bytes = convertBits(words.slice(0, -6), 5, 8, false);
  if (!bytes) return null;
  return { hrp, bytes: new Uint8Array(bytes) };
}
