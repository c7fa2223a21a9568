/**
 * Finds many byte patterns in a stream in one pass, whatever the chunk boundaries. ASCII letters
 * are matched without regard to case. Used by the leak check so a gigabyte of media is scanned
 * once, not once per redacted string.
 *
 * Two engines, one answer: when every pattern is at least SKIP_MIN_BYTES long (the leak check's
 * are at least 8), a Wu–Manber scan looks at the last two bytes of a window as long as the
 * shortest pattern and jumps ahead by up to that length minus one when those two bytes end no
 * pattern's prefix, so on media it reads a fraction of the bytes; otherwise Aho–Corasick reads
 * every byte.
 */
export type BytePattern<T> = { bytes: Uint8Array; value: T };

export type ByteScanner<T> = { push(chunk: Uint8Array): T[] };

export const SKIP_MIN_BYTES = 4;

const LOWER = new Uint8Array(256).map((_, byte) => (byte >= 0x41 && byte <= 0x5a ? byte + 32 : byte));

/** The byte as written in a pattern (already lowered) and, for a letter, its capital. */
function caseForms(lowered: number): number[] {
  return lowered >= 0x61 && lowered <= 0x7a ? [lowered, lowered - 32] : [lowered];
}

/** One plain Uint8Array view whatever the caller passes (Buffer or a subarray): keeps the scan loops monomorphic. */
function plainView(chunk: Uint8Array): Uint8Array {
  return new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength);
}

export class ByteMatcher<T> {
  private readonly automaton: AhoCorasick<T> | null;
  private readonly skipTable: SkipTable<T> | null;

  constructor(patterns: readonly BytePattern<T>[]) {
    const lowered = patterns.filter((p) => p.bytes.length > 0).map((p) => ({ bytes: p.bytes.map((b) => LOWER[b] ?? b), value: p.value }));
    const shortest = lowered.reduce((least, p) => Math.min(least, p.bytes.length), Infinity);
    const skip = lowered.length > 0 && shortest >= SKIP_MIN_BYTES;
    this.skipTable = skip ? new SkipTable(lowered) : null;
    this.automaton = skip || lowered.length === 0 ? null : new AhoCorasick(lowered);
  }

  /** Which engine scans: the tests check both against a plain search. */
  get engine(): 'skip' | 'automaton' | 'none' {
    return this.skipTable ? 'skip' : this.automaton ? 'automaton' : 'none';
  }

  /** A scanner keeps its state between chunks; `push` returns the patterns completed in this chunk. */
  scanner(): ByteScanner<T> {
    if (this.skipTable) return new SkipScanner(this.skipTable);
    if (this.automaton) return this.automaton.scanner();
    // Nothing to look for (no redaction in this export): no byte need be read.
    return { push: () => [] };
  }
}

class AhoCorasick<T> {
  /**
   * The automaton as one flat table indexed by raw byte: the entry for (state, byte) is the next
   * state's row offset (state × 256), or, when that state completes a pattern, minus one minus that
   * offset. The scan loop then does one table load and a sign test per byte.
   */
  private readonly byteTable: Int32Array;
  private readonly outputs: T[][];

  constructor(lowered: readonly BytePattern<T>[]) {
    // Compress the alphabet to the bytes the patterns use (class 0 is "any other byte").
    const classOf = new Int32Array(256);
    let classes = 1;
    for (const pattern of lowered) for (const byte of pattern.bytes) if (classOf[byte] === 0) classOf[byte] = classes++;
    for (let byte = 0; byte < 256; byte += 1) classOf[byte] = classOf[LOWER[byte] ?? byte] ?? 0;
    const goto: Map<number, number>[] = [new Map()];
    const outputs: T[][] = [[]];
    for (const pattern of lowered) {
      let state = 0;
      for (const byte of pattern.bytes) {
        const symbol = classOf[byte] ?? 0;
        let next = goto[state]?.get(symbol);
        if (next === undefined) {
          next = goto.length;
          goto.push(new Map());
          outputs.push([]);
          goto[state]?.set(symbol, next);
        }
        state = next;
      }
      outputs[state]?.push(pattern.value);
    }
    const transitions = new Int32Array(goto.length * classes);
    const fail = new Int32Array(goto.length);
    const queue: number[] = [];
    for (let symbol = 0; symbol < classes; symbol += 1) {
      const next = goto[0]?.get(symbol) ?? 0;
      transitions[symbol] = next;
      if (next !== 0) queue.push(next);
    }
    for (let head = 0; head < queue.length; head += 1) {
      const state = queue[head] ?? 0;
      outputs[state]?.push(...(outputs[fail[state] ?? 0] ?? []));
      for (let symbol = 0; symbol < classes; symbol += 1) {
        const next = goto[state]?.get(symbol);
        const viaFail = transitions[(fail[state] ?? 0) * classes + symbol] ?? 0;
        if (next === undefined) {
          transitions[state * classes + symbol] = viaFail;
        } else {
          fail[next] = viaFail;
          transitions[state * classes + symbol] = next;
          queue.push(next);
        }
      }
    }
    // Expand the byte classes (and case folding) into a row of 256 per state.
    const byteTable = new Int32Array(goto.length * 256);
    for (let state = 0; state < goto.length; state += 1) {
      for (let byte = 0; byte < 256; byte += 1) {
        const next = transitions[state * classes + (classOf[byte] as number)] as number;
        byteTable[state * 256 + byte] = (outputs[next]?.length ?? 0) > 0 ? -1 - next * 256 : next * 256;
      }
    }
    this.byteTable = byteTable;
    this.outputs = outputs;
  }

  scanner(): ByteScanner<T> {
    let row = 0;
    const { byteTable, outputs } = this;
    return {
      push(chunk: Uint8Array): T[] {
        const found: T[] = [];
        const bytes = plainView(chunk);
        const length = bytes.length;
        // Typed-array reads inside bounds: the casts only tell TypeScript what the bounds already guarantee.
        for (let i = 0; i < length; i += 1) {
          const next = byteTable[row + (bytes[i] as number)] as number;
          if (next >= 0) {
            row = next;
          } else {
            row = -1 - next;
            for (const value of outputs[row >> 8] ?? []) found.push(value);
          }
        }
        return found;
      },
    };
  }
}

/** Wu–Manber's tables, with blocks of two bytes indexed raw (every case form entered). */
class SkipTable<T> {
  /** The window: the shortest pattern's length, capped so a shift fits a byte. */
  readonly window: number;
  readonly longest: number;
  /** For the two bytes ending a window: how far the window may move without passing a match. */
  readonly shift = new Uint8Array(65536);
  /** For the two bytes ending a window at a possible match: the patterns whose window-long prefix ends so. */
  readonly candidates: (BytePattern<T>[] | undefined)[] = [];

  constructor(lowered: readonly BytePattern<T>[]) {
    this.window = Math.min(255, lowered.reduce((least, p) => Math.min(least, p.bytes.length), Infinity));
    this.longest = lowered.reduce((most, p) => Math.max(most, p.bytes.length), 0);
    const window = this.window;
    this.shift.fill(window - 1);
    for (const pattern of lowered) {
      for (let last = 1; last < window; last += 1) {
        const distance = window - 1 - last;
        for (const first of caseForms(pattern.bytes[last - 1] as number)) {
          for (const second of caseForms(pattern.bytes[last] as number)) {
            const block = (first << 8) | second;
            if ((this.shift[block] as number) > distance) this.shift[block] = distance;
            if (distance === 0) (this.candidates[block] ??= []).push(pattern);
          }
        }
      }
    }
  }
}

/**
 * Scans each chunk on its own, then the seam: the last `longest - 1` bytes seen before the chunk
 * joined to its first `longest - 1`, where only the matches that start before the chunk and end
 * inside it count (the others are found, once, by the scan of a chunk or of an earlier seam).
 */
class SkipScanner<T> implements ByteScanner<T> {
  private readonly carry: Uint8Array;
  private carryLength = 0;

  constructor(private readonly table: SkipTable<T>) {
    this.carry = new Uint8Array(Math.max(0, table.longest - 1));
  }

  push(chunk: Uint8Array): T[] {
    const found: T[] = [];
    const bytes = plainView(chunk);
    const keep = this.carry.length;
    let seen = bytes;
    if (this.carryLength > 0) {
      const seam = new Uint8Array(this.carryLength + Math.min(bytes.length, keep));
      seam.set(this.carry.subarray(0, this.carryLength));
      seam.set(bytes.subarray(0, seam.length - this.carryLength), this.carryLength);
      this.scan(seam, found, this.carryLength, this.carryLength);
      // A chunk shorter than what is kept: the seam holds all of it, after the older bytes.
      if (bytes.length < keep) seen = seam;
    }
    this.scan(bytes, found, bytes.length, 0);
    const kept = Math.min(keep, seen.length);
    this.carry.set(seen.subarray(seen.length - kept));
    this.carryLength = kept;
    return found;
  }

  /** The matches that start before `startsBefore` and end after `endsAfter`, both as offsets into `bytes`. */
  private scan(bytes: Uint8Array, found: T[], startsBefore: number, endsAfter: number): void {
    const { shift, window } = this.table;
    const length = bytes.length;
    // The hot loop ends the function: V8's on-the-spot compilation of it then has nothing after it to bail out on.
    let end = window - 1;
    while (end < length) {
      const step = shift[((bytes[end - 1] as number) << 8) | (bytes[end] as number)] as number;
      if (step !== 0) {
        end += step;
      } else {
        this.verify(bytes, end, found, startsBefore, endsAfter);
        end += 1;
      }
    }
  }

  private verify(bytes: Uint8Array, end: number, found: T[], startsBefore: number, endsAfter: number): void {
    const start = end + 1 - this.table.window;
    if (start >= startsBefore) return;
    const block = ((bytes[end - 1] as number) << 8) | (bytes[end] as number);
    for (const pattern of this.table.candidates[block] ?? []) {
      const patternBytes = pattern.bytes;
      const patternEnd = start + patternBytes.length;
      if (patternEnd > bytes.length || patternEnd <= endsAfter) continue;
      let i = 0;
      while (i < patternBytes.length && LOWER[bytes[start + i] as number] === patternBytes[i]) i += 1;
      if (i === patternBytes.length) found.push(pattern.value);
    }
  }
}
