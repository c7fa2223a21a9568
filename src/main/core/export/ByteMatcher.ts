/**
 * Aho–Corasick over bytes: finds many byte patterns in a stream in one pass, whatever the chunk
 * boundaries. ASCII letters are matched without regard to case. Used by the leak check so a
 * gigabyte of media is scanned once, not once per redacted string.
 */
export type BytePattern<T> = { bytes: Uint8Array; value: T };

const LOWER = new Uint8Array(256).map((_, byte) => (byte >= 0x41 && byte <= 0x5a ? byte + 32 : byte));

export class ByteMatcher<T> {
  private readonly classOf = new Int32Array(256);
  private readonly classes: number;
  /**
   * The automaton as one flat table: the entry for (state, byte class) is the next state's row
   * offset (state × classes), or, when that state completes a pattern, minus one minus that offset.
   * The scan loop then does two loads and a sign test per byte.
   */
  private readonly table: Int32Array;
  private readonly outputs: T[][];

  constructor(patterns: readonly BytePattern<T>[]) {
    const lowered = patterns.filter((p) => p.bytes.length > 0).map((p) => ({ bytes: p.bytes.map((b) => LOWER[b] ?? b), value: p.value }));
    // Compress the alphabet to the bytes the patterns use (class 0 is "any other byte").
    let classes = 1;
    for (const pattern of lowered) for (const byte of pattern.bytes) if (this.classOf[byte] === 0) this.classOf[byte] = classes++;
    for (let byte = 0; byte < 256; byte += 1) this.classOf[byte] = this.classOf[LOWER[byte] ?? byte] ?? 0;
    this.classes = classes;
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
    const table = new Int32Array(transitions.length);
    for (let entry = 0; entry < transitions.length; entry += 1) {
      const next = transitions[entry] ?? 0;
      table[entry] = (outputs[next]?.length ?? 0) > 0 ? -1 - next * classes : next * classes;
    }
    this.table = table;
    this.outputs = outputs;
  }

  /** A scanner keeps its state between chunks; `push` returns the patterns completed in this chunk. */
  scanner(): { push(chunk: Uint8Array): T[] } {
    let row = 0;
    const { table, classes, classOf, outputs } = this;
    return {
      push(chunk: Uint8Array): T[] {
        const found: T[] = [];
        const length = chunk.length;
        for (let i = 0; i < length; i += 1) {
          const next = table[row + (classOf[chunk[i] ?? 0] ?? 0)] ?? 0;
          if (next >= 0) {
            row = next;
          } else {
            row = -1 - next;
            found.push(...(outputs[row / classes] ?? []));
          }
        }
        return found;
      },
    };
  }
}
