/**
 * Aho–Corasick over bytes: finds many byte patterns in a stream in one pass, whatever the chunk
 * boundaries. ASCII letters are matched without regard to case. Used by the leak check so a
 * gigabyte of media is scanned once, not once per redacted string.
 */
export type BytePattern<T> = { bytes: Uint8Array; value: T };

const LOWER = new Uint8Array(256).map((_, byte) => (byte >= 0x41 && byte <= 0x5a ? byte + 32 : byte));

export class ByteMatcher<T> {
  private readonly classOf = new Int32Array(256);
  /**
   * The automaton as one flat table indexed by raw byte: the entry for (state, byte) is the next
   * state's row offset (state × 256), or, when that state completes a pattern, minus one minus that
   * offset. The scan loop then does one table load and a sign test per byte.
   */
  private readonly byteTable: Int32Array;
  private readonly outputs: T[][];

  constructor(patterns: readonly BytePattern<T>[]) {
    const lowered = patterns.filter((p) => p.bytes.length > 0).map((p) => ({ bytes: p.bytes.map((b) => LOWER[b] ?? b), value: p.value }));
    // Compress the alphabet to the bytes the patterns use (class 0 is "any other byte").
    let classes = 1;
    for (const pattern of lowered) for (const byte of pattern.bytes) if (this.classOf[byte] === 0) this.classOf[byte] = classes++;
    for (let byte = 0; byte < 256; byte += 1) this.classOf[byte] = this.classOf[LOWER[byte] ?? byte] ?? 0;
    const goto: Map<number, number>[] = [new Map()];
    const outputs: T[][] = [[]];
    for (const pattern of lowered) {
      let state = 0;
      for (const byte of pattern.bytes) {
        const symbol = this.classOf[byte] ?? 0;
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
        const next = transitions[state * classes + (this.classOf[byte] as number)] as number;
        byteTable[state * 256 + byte] = (outputs[next]?.length ?? 0) > 0 ? -1 - next * 256 : next * 256;
      }
    }
    this.byteTable = byteTable;
    this.outputs = outputs;
  }

  /** A scanner keeps its state between chunks; `push` returns the patterns completed in this chunk. */
  scanner(): { push(chunk: Uint8Array): T[] } {
    let row = 0;
    const { byteTable, outputs } = this;
    return {
      push(chunk: Uint8Array): T[] {
        const found: T[] = [];
        // One plain Uint8Array view whatever the caller passes (Buffer or a subarray): keeps the loop monomorphic.
        const bytes = new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength);
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
