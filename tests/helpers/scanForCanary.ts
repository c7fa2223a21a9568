import fs from 'node:fs';
import path from 'node:path';

export type CanaryEncoding = 'utf8' | 'utf16le' | 'utf16be';
/** `name`: the canary is in a file or folder name, which no encryption of contents would hide. */
export type CanaryHit = { path: string; encoding: CanaryEncoding | 'name'; canary: string };
export type CanaryScan = {
  hits: CanaryHit[];
  /** Every regular file that was read to the end; lets a test prove the WAL and blobs were looked at. */
  scanned: string[];
  /** Files and folders that could not or should not be read, with the reason (never silently dropped). */
  skipped: { path: string; reason: string }[];
};
export type CanaryScanOptions = {
  /** Files larger than this are skipped (reported in `skipped`). Default 2 GiB. */
  maxFileBytes?: number;
  /** Read size; small values let tests put a canary across a chunk boundary. Default 4 MiB. */
  chunkBytes?: number;
};

const DEFAULT_MAX_FILE_BYTES = 2 * 1024 ** 3;
const DEFAULT_CHUNK_BYTES = 4 * 1024 * 1024;

type Needle = { canary: string; encoding: CanaryEncoding; bytes: Buffer };

function needlesFor(canaries: readonly string[]): Needle[] {
  return canaries.flatMap((canary): Needle[] => {
    if (canary.length === 0) throw new Error('an empty canary would match every file');
    const utf16le = Buffer.from(canary, 'utf16le');
    // Node has no UTF-16BE codec: swap the byte pairs of the LE encoding.
    const utf16be = Buffer.from(utf16le).swap16();
    return [
      { canary, encoding: 'utf8', bytes: Buffer.from(canary, 'utf8') },
      { canary, encoding: 'utf16le', bytes: utf16le },
      { canary, encoding: 'utf16be', bytes: utf16be },
    ];
  });
}

const HASH_BASE = 257;
const FILTER_BITS = 20;

/**
 * Finds many needles in one pass (Rabin-Karp over the first `width` bytes of each needle, a bitmap
 * pre-filter, then an exact compare). A sweep looks for ~150 needles (canaries, index fragments,
 * three encodings); one `indexOf` pass per needle made a scan of a busy temp dir take minutes.
 */
function makeMatcher(needles: readonly Needle[]): (window: Buffer, pending: Set<Needle>, onHit: (needle: Needle) => void) => void {
  const width = Math.min(32, ...needles.map((needle) => needle.bytes.length));
  let basePowWidth = 1;
  for (let i = 0; i < width; i += 1) basePowWidth = Math.imul(basePowWidth, HASH_BASE);
  const hashOf = (bytes: Buffer): number => {
    let hash = 0;
    for (let i = 0; i < width; i += 1) hash = (Math.imul(hash, HASH_BASE) + (bytes[i] ?? 0)) | 0;
    return hash;
  };
  const table = new Map<number, Needle[]>();
  const filter = new Uint8Array(1 << FILTER_BITS);
  for (const needle of needles) {
    const hash = hashOf(needle.bytes);
    table.set(hash, [...(table.get(hash) ?? []), needle]);
    filter[hash >>> (32 - FILTER_BITS)] = 1;
  }
  return (window, pending, onHit) => {
    let hash = 0;
    for (let i = 0; i < window.length; i += 1) {
      hash = (Math.imul(hash, HASH_BASE) + (window[i] ?? 0)) | 0;
      if (i >= width) hash = (hash - Math.imul(window[i - width] ?? 0, basePowWidth)) | 0;
      if (i < width - 1 || filter[hash >>> (32 - FILTER_BITS)] === 0) continue;
      const start = i - width + 1;
      for (const needle of table.get(hash) ?? []) {
        const end = start + needle.bytes.length;
        if (!pending.has(needle) || end > window.length) continue;
        if (window.compare(needle.bytes, 0, needle.bytes.length, start, end) === 0) {
          pending.delete(needle);
          onHit(needle);
        }
      }
    }
  };
}

function reasonOf(error: unknown): string {
  return (error as NodeJS.ErrnoException).code ?? String(error);
}

/**
 * Walks `roots` (files or folders) and reports every regular file that contains any canary as
 * UTF-8, UTF-16LE or UTF-16BE, and every entry whose name contains one. Symlinks, FIFOs, sockets
 * and devices are never opened (a FIFO would block); unreadable or vanished entries (other processes' private dirs, files deleted mid-scan) are
 * skipped and listed. Files are streamed, with an overlap so a canary across two reads is found.
 */
export async function scanForCanary(roots: readonly string[], canaries: string | readonly string[], options: CanaryScanOptions = {}): Promise<CanaryScan> {
  const canaryList = typeof canaries === 'string' ? [canaries] : [...canaries];
  const needles = needlesFor(canaryList);
  const maxFileBytes = options.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES;
  const chunkBytes = options.chunkBytes ?? DEFAULT_CHUNK_BYTES;
  const overlap = Math.max(...needles.map((n) => n.bytes.length)) - 1;
  const findIn = makeMatcher(needles);
  const buffer = Buffer.alloc(overlap + chunkBytes);
  const result: CanaryScan = { hits: [], scanned: [], skipped: [] };
  const seen = new Set<string>();

  async function scanFile(filePath: string): Promise<void> {
    let handle: fs.promises.FileHandle;
    try {
      // O_NOFOLLOW: a file swapped for a symlink between lstat and open is not followed.
      handle = await fs.promises.open(filePath, fs.constants.O_RDONLY | fs.constants.O_NOFOLLOW | fs.constants.O_NONBLOCK);
    } catch (error) {
      result.skipped.push({ path: filePath, reason: reasonOf(error) });
      return;
    }
    try {
      const pending = new Set(needles);
      let carry = 0;
      for (;;) {
        const { bytesRead } = await handle.read(buffer, carry, chunkBytes, null);
        if (bytesRead === 0) break;
        const window = buffer.subarray(0, carry + bytesRead);
        findIn(window, pending, (needle) => result.hits.push({ path: filePath, encoding: needle.encoding, canary: needle.canary }));
        if (pending.size === 0) break;
        // Keep the tail so a canary split across two reads is still seen whole next time.
        const keep = Math.min(overlap, window.length);
        buffer.copy(buffer, 0, window.length - keep, window.length);
        carry = keep;
      }
      result.scanned.push(filePath);
    } catch (error) {
      result.skipped.push({ path: filePath, reason: reasonOf(error) });
    } finally {
      await handle.close();
    }
  }

  async function walk(entryPath: string): Promise<void> {
    const absolute = path.resolve(entryPath);
    if (seen.has(absolute)) return;
    seen.add(absolute);
    const name = path.basename(absolute);
    for (const canary of canaryList) if (name.includes(canary)) result.hits.push({ path: absolute, encoding: 'name', canary });
    let stat: fs.Stats;
    try {
      stat = await fs.promises.lstat(absolute);
    } catch (error) {
      result.skipped.push({ path: absolute, reason: reasonOf(error) });
      return;
    }
    if (stat.isDirectory()) {
      let names: string[];
      try {
        names = await fs.promises.readdir(absolute);
      } catch (error) {
        result.skipped.push({ path: absolute, reason: reasonOf(error) });
        return;
      }
      for (const name of names.sort()) await walk(path.join(absolute, name));
      return;
    }
    if (!stat.isFile()) {
      result.skipped.push({ path: absolute, reason: stat.isSymbolicLink() ? 'symlink' : 'not a regular file' });
      return;
    }
    if (stat.size > maxFileBytes) {
      result.skipped.push({ path: absolute, reason: `larger than ${maxFileBytes} bytes` });
      return;
    }
    await scanFile(absolute);
  }

  for (const root of roots) await walk(root);
  return result;
}
