import { VaultError } from '../errors.js';
import type { MatchPhrase, MatchTree } from './matchTree.js';


/** Matching rows in increasing rowid order, with their bm25 scores (higher is better) when asked for. */
export type MatchResult = { rowids: Uint32Array; scores: Float64Array | null };

/**
 * A phrase's matching documents and weighted counts; with `starts`, also where the phrase starts
 * in each (positions `starts.positions[starts.index[i] .. starts.index[i + 1])` for `docs[i]`), kept
 * when a longer phrase of the same query contains this one (see `extendPhrase`).
 */
// Every leaf has the same three fields (`starts` null when not kept), so the loops that read leaves
// see one object shape: a leaf that gained `starts` later had `addBm25` deoptimise (measured).
type Leaf = { docs: Uint32Array; freq: Float64Array; starts: PhraseStarts | null };
type PhraseStarts = { index: Uint32Array; positions: Int32Array };

/** Where matches of a phrase start, collected during a join (one growable list for all documents). */
class StartList {
  positions = new Int32Array(1024);
  length = 0;

  push(position: number): void {
    if (this.length === this.positions.length) this.positions = grown(this.positions, this.length + 1, (size) => new Int32Array(size));
    this.positions[this.length++] = position;
  }
}

// Positions are column × 2^24 + token offset, so a phrase never runs from one column into the next.
const COLUMN_SPAN = 2 ** 24;
const MAX_COLUMN_TOKENS = COLUMN_SPAN - 64;
// bm25 as FTS5 computes it (fts5_aux.c), so rankings stay what they were before this index.
const K1 = 1.2;
const B = 0.75;
const FORMAT_MAGIC = 0x58505654; // "TVPX"
const FORMAT_VERSION = 1;
const EMPTY_LEAF: Leaf = { docs: new Uint32Array(0), freq: new Float64Array(0), starts: null };

/**
 * Space for one match's document lists (leaves, set operations, phrase scans), reused by the next
 * match. A new typed array per list put megabytes outside the JS heap per search, and V8 answers
 * every 64 MB of that with a full collection whose marking slowed the searches it overlapped by
 * 10–20 ms (measured). Views handed out are not zeroed: every caller writes before it reads.
 * Reset at the start of each `match`; nothing in it outlives the match (results are copied out).
 */
class ScratchSpace<T extends Uint32Array | Int32Array | Float64Array> {
  private space: T;
  private used = 0;

  constructor(private readonly make: (length: number) => T, initialLength: number) {
    this.space = make(initialLength);
  }

  take(length: number): T {
    if (this.used + length > this.space.length) {
      // Views already handed out keep the old space alive until the match ends.
      this.space = this.make(Math.max(this.space.length * 2, length * 2));
      this.used = 0;
    }
    const view = this.space.subarray(this.used, this.used + length) as T;
    this.used += length;
    return view;
  }

  reset(): void {
    this.used = 0;
  }

  release(): void {
    this.used = 0;
    this.space = this.make(0);
  }
}

class MatchArena {
  private readonly uint32Space = new ScratchSpace((length) => new Uint32Array(length), 1 << 16);
  private readonly float64Space = new ScratchSpace((length) => new Float64Array(length), 1 << 16);
  private readonly int32Space = new ScratchSpace((length) => new Int32Array(length), 1 << 12);
  private marks = new Uint8Array(0);

  uint32(length: number): Uint32Array {
    return this.uint32Space.take(length);
  }

  float64(length: number): Float64Array {
    return this.float64Space.take(length);
  }

  int32(length: number): Int32Array {
    return this.int32Space.take(length);
  }

  /** One mark per document, all zero; give it back zeroed (`unionAll` clears what it set). */
  zeroMarks(length: number): Uint8Array {
    if (this.marks.length < length) this.marks = new Uint8Array(length + 1024);
    return this.marks;
  }

  reset(): void {
    this.uint32Space.reset();
    this.float64Space.reset();
    this.int32Space.reset();
  }

  release(): void {
    this.uint32Space.release();
    this.float64Space.release();
    this.int32Space.release();
    this.marks = new Uint8Array(0);
  }
}

const arena = new MatchArena();

function grown<T extends Uint8Array | Int32Array | Uint32Array | Float64Array>(array: T, needed: number, make: (size: number) => T): T {
  if (needed <= array.length) return array;
  const next = make(Math.max(needed, array.length * 2, 16));
  next.set(array);
  return next;
}

/** Appends unsigned LEB128 varints to a growable byte buffer. */
class ByteWriter {
  bytes = new Uint8Array(256);
  length = 0;

  varint(value: number): void {
    if (this.length + 5 > this.bytes.length) this.bytes = grown(this.bytes, this.length + 5, (size) => new Uint8Array(size));
    let rest = value;
    while (rest >= 0x80) {
      this.bytes[this.length++] = (rest & 0x7f) | 0x80;
      rest = Math.floor(rest / 128);
    }
    this.bytes[this.length++] = rest;
  }
}

/** A read position in a postings stream: one object per loop, so reads touch no module-level `let`. */
type Cursor = { at: number };

function readVarint(bytes: Uint8Array, cursor: Cursor): number {
  let byte = bytes[cursor.at++] as number;
  if (byte < 0x80) return byte;
  let value = byte & 0x7f;
  let scale = 128;
  for (;;) {
    // Past the end (a damaged stream) reads undefined: fail instead of looping forever.
    if (cursor.at >= bytes.length) throw new VaultError('VAULT_CORRUPT', 'the search index postings are damaged');
    byte = bytes[cursor.at++] as number;
    value += (byte & 0x7f) * scale;
    if (byte < 0x80) return value;
    scale *= 128;
  }
}

/**
 * The phrase scan's state: per document the number of the phrase's words found so far (`stage`),
 * and per word, per document, a linked list of its postings (stream, byte offset and length of the
 * positions): one entry for a word, several for a prefix. Typed arrays: "in" alone has 50k postings.
 */
type PhraseScan = {
  stage: Uint16Array; touched: number[]; heads: Int32Array[];
  entryTerm: Uint32Array; entryOffset: Uint32Array; entryLength: Uint32Array; entryNext: Int32Array; entries: number;
};

// The hot loops of a phrase live in small functions of their own: inside one large function, V8
// kept deoptimising on branches that run rarely (measured: 3 to 5 times slower).
function scanForPhrase(stream: Uint8Array, end: number, id: number, live: Uint8Array, scan: PhraseScan, head: Int32Array, step: number): void {
  const { stage } = scan;
  const cursor: Cursor = { at: 0 };
  let doc = -1;
  while (cursor.at < end) {
    doc += readVarint(stream, cursor);
    readVarint(stream, cursor);
    const length = readVarint(stream, cursor);
    const offset = cursor.at;
    cursor.at += length;
    if (live[doc] !== 1) continue;
    const at = stage[doc] as number;
    if (at === step) {
      stage[doc] = step + 1;
      if (step === 0) scan.touched.push(doc);
    } else if (at !== step + 1) continue;
    const entry = scan.entries;
    scan.entryTerm[entry] = id;
    scan.entryOffset[entry] = offset;
    scan.entryLength[entry] = length;
    scan.entryNext[entry] = head[doc] as number;
    head[doc] = entry;
    scan.entries = entry + 1;
  }
}

// The candidate checks are functions of their own, each with one kind of argument per slot: in
// one larger function V8 kept deoptimising (measured: a query's check ran 3 to 5 times slower).

/** Two-word phrases: both words' positions merged as they are decoded. */
function verifyPairs(candidates: Uint32Array, scan: PhraseScan, streams: readonly Uint8Array[], weights2: Uint32Array): Leaf {
  const docs = arena.uint32(candidates.length);
  const freq = arena.float64(candidates.length);
  let found = 0;
  const firstHead = scan.heads[0] as Int32Array;
  const secondHead = scan.heads[1] as Int32Array;
  const { entryTerm, entryOffset, entryLength, entryNext } = scan;
  for (let c = 0; c < candidates.length; c += 1) {
    const doc = candidates[c] as number;
    const first = firstHead[doc] as number;
    const second = secondHead[doc] as number;
    let weight2: number;
    if (entryNext[first] === -1 && entryNext[second] === -1) {
      const from = entryOffset[first] as number;
      const secondFrom = entryOffset[second] as number;
      weight2 = pairWeight2(
        streams[entryTerm[first] as number] as Uint8Array, from, from + (entryLength[first] as number),
        streams[entryTerm[second] as number] as Uint8Array, secondFrom, secondFrom + (entryLength[second] as number), weights2, null,
      );
    } else {
      // A prefix word with several postings in this document.
      weight2 = candidateWeight2(doc, scan, streams, weights2, 2);
    }
    if (weight2 > 0) {
      docs[found] = doc;
      freq[found] = weight2 / 2;
      found += 1;
    }
  }
  return { docs: docs.subarray(0, found), freq: freq.subarray(0, found), starts: null };
}

/** Phrases of three words or more. */
function verifyPhrases(candidates: Uint32Array, scan: PhraseScan, streams: readonly Uint8Array[], weights2: Uint32Array, n: number): Leaf {
  const docs = arena.uint32(candidates.length);
  const freq = arena.float64(candidates.length);
  let found = 0;
  for (let c = 0; c < candidates.length; c += 1) {
    const doc = candidates[c] as number;
    const weight2 = candidateWeight2(doc, scan, streams, weights2, n);
    if (weight2 > 0) {
      docs[found] = doc;
      freq[found] = weight2 / 2;
      found += 1;
    }
  }
  return { docs: docs.subarray(0, found), freq: freq.subarray(0, found), starts: null };
}

/**
 * A phrase whose words are single terms (no prefix): the words' streams walked together, a merge
 * join on document number led by the rarest word, and each document that holds every word checked
 * there and then. Nothing is collected first, so a phrase of frequent words costs one pass over
 * their posting headers plus the positions of the documents that hold them all. Writes the
 * matches into `docs` and `freq` and returns how many; the loop is the end of the function (see
 * `addBm25`).
 */
function joinPhrase(cursors: readonly JoinCursor[], order: readonly number[], live: Uint8Array, weights2: Uint32Array, docs: Uint32Array, freq: Float64Array, starts: PhraseStartsBuilder | null): number {
  let found = 0;
  for (const cursor of cursors) if (!seekPosting(cursor, 0)) return 0;
  const lead = cursors[order[0] as number] as JoinCursor;
  const first = cursors[0] as JoinCursor;
  const second = cursors[1] as JoinCursor;
  let target = lead.doc;
  for (;;) {
    let agreed = true;
    for (let k = 0; k < order.length; k += 1) {
      const cursor = cursors[order[k] as number] as JoinCursor;
      if (!seekPosting(cursor, target)) return found;
      if (cursor.doc > target) {
        target = cursor.doc;
        agreed = false;
        break;
      }
    }
    if (!agreed) continue;
    if (live[target] === 1) {
      if (starts) starts.index[found] = starts.list.length;
      const weight2 = cursors.length === 2
        ? pairWeight2(first.stream, first.from, first.to, second.stream, second.from, second.to, weights2, starts?.list ?? null)
        : phraseWeight2(cursors, weights2, starts?.list ?? null);
      if (weight2 > 0) {
        docs[found] = target;
        freq[found] = weight2 / 2;
        found += 1;
      }
    }
    if (!seekPosting(lead, target + 1)) return found;
    target = lead.doc;
  }
}

/** One word's place in its stream during a join: the current posting's document and positions. */
class JoinCursor {
  at = 0;
  doc = -1;
  from = 0;
  to = 0;
  constructor(readonly stream: Uint8Array, readonly end: number) {}
}

/** Moves `cursor` to its first posting for document `target` or later; false when none is left. */
function seekPosting(cursor: JoinCursor, target: number): boolean {
  if (cursor.doc >= target) return true;
  const { stream, end } = cursor;
  let at = cursor.at;
  let doc = cursor.doc;
  let from = cursor.from;
  while (doc < target) {
    if (at >= end) {
      cursor.at = at;
      return false;
    }
    // Three varints (document delta, weighted count, byte length of the positions), read inline.
    let byte = stream[at++] as number;
    let value = byte & 0x7f;
    let scale = 128;
    while (byte >= 0x80) {
      if (at >= stream.length) throw new VaultError('VAULT_CORRUPT', 'the search index postings are damaged');
      byte = stream[at++] as number;
      value += (byte & 0x7f) * scale;
      scale *= 128;
    }
    doc += value;
    while ((stream[at++] as number) >= 0x80) if (at >= stream.length) throw new VaultError('VAULT_CORRUPT', 'the search index postings are damaged');
    byte = stream[at++] as number;
    value = byte & 0x7f;
    scale = 128;
    while (byte >= 0x80) {
      if (at >= stream.length) throw new VaultError('VAULT_CORRUPT', 'the search index postings are damaged');
      byte = stream[at++] as number;
      value += (byte & 0x7f) * scale;
      scale *= 128;
    }
    from = at;
    at += value;
  }
  cursor.at = at;
  cursor.doc = doc;
  cursor.from = from;
  cursor.to = at;
  return true;
}

const phraseStarts = { starts: new Int32Array(1024) };

/**
 * 2 × the column-weighted phrase count in one document, for phrases of three words or more. The
 * word with the fewest position bytes here gives the possible starts; each other word keeps the
 * starts it continues, decoded as it is merged, and the check stops when no start is left.
 */
function phraseWeight2(cursors: readonly JoinCursor[], weights2: Uint32Array, recorded: StartList | null): number {
  const n = cursors.length;
  let anchor = 0;
  for (let i = 1; i < n; i += 1) {
    const word = cursors[i] as JoinCursor;
    const best = cursors[anchor] as JoinCursor;
    if (word.to - word.from < best.to - best.from) anchor = i;
  }
  const anchorCursor = cursors[anchor] as JoinCursor;
  const anchorFrom = anchorCursor.from;
  const anchorTo = anchorCursor.to;
  // A position takes at least one byte, so the byte length bounds the count.
  if (phraseStarts.starts.length < anchorTo - anchorFrom) phraseStarts.starts = new Int32Array((anchorTo - anchorFrom) * 2);
  const starts = phraseStarts.starts;
  const decoded = decodePositions(anchorCursor.stream, anchorFrom, anchorTo, starts, 0);
  // A start before the beginning (the anchor word too near the start of the first column) cannot
  // match, and would meet `keepContinued`'s "nothing read yet" value of -1: dropped here.
  let alive = 0;
  for (let k = 0; k < decoded; k += 1) {
    const start = (starts[k] as number) - anchor;
    if (start >= 0) starts[alive++] = start;
  }
  for (let token = 0; token < n && alive > 0; token += 1) {
    if (token === anchor) continue;
    const word = cursors[token] as JoinCursor;
    alive = keepContinued(word.stream, word.from, word.to, starts, alive, token);
  }
  return startsWeight2(starts, alive, weights2, recorded);
}

/** 2 × the column-weighted count of the phrase starts `starts[0, alive)`, recorded too when asked. */
function startsWeight2(starts: Int32Array, alive: number, weights2: Uint32Array, recorded: StartList | null): number {
  let weight2 = 0;
  for (let k = 0; k < alive; k += 1) {
    const start = starts[k] as number;
    weight2 += weights2[Math.floor(start / COLUMN_SPAN)] as number;
    recorded?.push(start);
  }
  return weight2;
}

type PhraseStartsBuilder = { index: Uint32Array; list: StartList };

/**
 * A phrase that contains `inner`, a shorter phrase of the same query already matched with its
 * starts, `offset` words in: only `inner`'s documents are candidates, and only the words outside
 * `inner` (`cursors[t]` for the tokens `others[t]`) are read. An alias query lists `palestine
 * branch` and `palestine branch branch 235 military intelligence` side by side. Loop last (see `addBm25`).
 */
function extendPhrase(inner: Leaf & { starts: PhraseStarts }, offset: number, cursors: readonly JoinCursor[], others: readonly number[], weights2: Uint32Array, docs: Uint32Array, freq: Float64Array, recorded: PhraseStartsBuilder | null): number {
  let found = 0;
  const { index, positions } = inner.starts;
  for (let i = 0; i < inner.docs.length; i += 1) {
    const doc = inner.docs[i] as number;
    let holdsAll = true;
    for (let k = 0; k < cursors.length && holdsAll; k += 1) {
      const cursor = cursors[k] as JoinCursor;
      if (!seekPosting(cursor, doc)) return found;
      holdsAll = cursor.doc === doc;
    }
    if (!holdsAll) continue;
    const from = index[i] as number;
    const count = (index[i + 1] as number) - from;
    if (phraseStarts.starts.length < count) phraseStarts.starts = new Int32Array(count * 2);
    const starts = phraseStarts.starts;
    let alive = 0;
    for (let k = 0; k < count; k += 1) {
      const start = (positions[from + k] as number) - offset;
      if (start >= 0) starts[alive++] = start;
    }
    for (let k = 0; k < cursors.length && alive > 0; k += 1) {
      const cursor = cursors[k] as JoinCursor;
      alive = keepContinued(cursor.stream, cursor.from, cursor.to, starts, alive, others[k] as number);
    }
    if (recorded) recorded.index[found] = recorded.list.length;
    const weight2 = startsWeight2(starts, alive, weights2, recorded?.list ?? null);
    if (weight2 > 0) {
      docs[found] = doc;
      freq[found] = weight2 / 2;
      found += 1;
    }
  }
  return found;
}

/** Keeps the starts p ≥ 0 (in order) for which the word at `stream[from, end)` has position p + offset; returns how many. */
function keepContinued(stream: Uint8Array, from: number, end: number, starts: Int32Array, alive: number, offset: number): number {
  const last = Math.min(end, stream.length);
  let at = from;
  let position = -1;
  let kept = 0;
  for (let k = 0; k < alive; k += 1) {
    const start = starts[k] as number;
    const wanted = start + offset;
    while (position < wanted && at < last) {
      let byte = stream[at++] as number;
      let value = byte & 0x7f;
      let scale = 128;
      while (byte >= 0x80) {
        byte = stream[at++] as number;
        value += (byte & 0x7f) * scale;
        scale *= 128;
      }
      position = position < 0 ? value : position + value;
    }
    if (position === wanted) starts[kept++] = start;
    else if (position < wanted) break;
  }
  return kept;
}

const candidateBuffer = { starts: new Int32Array(1024), positions: new Int32Array(1024) };

/** Decodes one word's positions in one document (several postings for a prefix: merged in order) into `buffer.positions`. */
function decodeWord(doc: number, head: Int32Array, scan: PhraseScan, streams: readonly Uint8Array[]): number {
  const buffer = candidateBuffer;
  let count = 0;
  let entries = 0;
  for (let entry = head[doc] as number; entry !== -1; entry = scan.entryNext[entry] as number) {
    const from = scan.entryOffset[entry] as number;
    const length = scan.entryLength[entry] as number;
    // A position takes at least one byte, so `length` more slots always suffice.
    if (buffer.positions.length < count + length) buffer.positions = grown(buffer.positions, count + length, (size) => new Int32Array(size));
    count = decodePositions(streams[scan.entryTerm[entry] as number] as Uint8Array, from, from + length, buffer.positions, count);
    entries += 1;
  }
  if (entries > 1) buffer.positions.subarray(0, count).sort();
  return count;
}

/**
 * 2 × the column-weighted phrase count in one document. The first word's positions are the
 * possible starts; each next word keeps the starts p it has at p + i, and the check stops as soon
 * as none is left (most candidates of a long alias fail at its second or third word).
 */
function candidateWeight2(doc: number, scan: PhraseScan, streams: readonly Uint8Array[], weights2: Uint32Array, n: number): number {
  const buffer = candidateBuffer;
  let alive = decodeWord(doc, scan.heads[0] as Int32Array, scan, streams);
  if (buffer.starts.length < alive) buffer.starts = new Int32Array(alive * 2);
  const starts = buffer.starts;
  starts.set(buffer.positions.subarray(0, alive));
  for (let token = 1; token < n && alive > 0; token += 1) {
    const count = decodeWord(doc, scan.heads[token] as Int32Array, scan, streams);
    const positions = buffer.positions;
    let kept = 0;
    let at = 0;
    for (let k = 0; k < alive; k += 1) {
      const wanted = (starts[k] as number) + token;
      while (at < count && (positions[at] as number) < wanted) at += 1;
      if (at < count && positions[at] === wanted) starts[kept++] = starts[k] as number;
    }
    alive = kept;
  }
  let weight2 = 0;
  for (let k = 0; k < alive; k += 1) weight2 += weights2[Math.floor((starts[k] as number) / COLUMN_SPAN)] as number;
  return weight2;
}

/** Decodes the positions in `stream[from, end)` into `out` from `count` on; returns the new count. */
function decodePositions(stream: Uint8Array, from: number, end: number, out: Int32Array, count: number): number {
  // The varint read inline, on locals: this loop decodes every position of every candidate.
  let at = from;
  let position = 0;
  let n = count;
  while (at < end) {
    let byte = stream[at++] as number;
    let value = byte & 0x7f;
    let scale = 128;
    // A damaged stream reads undefined past its end, which ends this loop (undefined >= 0x80 is false).
    while (byte >= 0x80) {
      byte = stream[at++] as number;
      value += (byte & 0x7f) * scale;
      scale *= 128;
    }
    position += value;
    out[n++] = position;
  }
  return n;
}

/**
 * 2 × the column-weighted count of a two-word phrase in one document: both words' positions
 * (`first[from, end)`, `second[secondFrom, secondEnd)`) decoded as the merge advances, so nothing
 * is written out and the merge stops when either word has no position left.
 */
function pairWeight2(first: Uint8Array, from: number, end: number, second: Uint8Array, secondFrom: number, secondEnd: number, weights2: Uint32Array, starts: StartList | null): number {
  // Bounded by the buffers too, so a damaged length cannot make the loop run on past them.
  const firstEnd = Math.min(end, first.length);
  const lastSecond = Math.min(secondEnd, second.length);
  // The varints are read inline, on locals, four times over: through `readVarint` and cursor
  // objects this loop ran 10-15 % slower on `"in cell"` (measured 2026-11-27).
  let at = from;
  let secondAt = secondFrom;
  let byte = first[at++] as number;
  let value = byte & 0x7f;
  let scale = 128;
  while (byte >= 0x80) {
    byte = first[at++] as number;
    value += (byte & 0x7f) * scale;
    scale *= 128;
  }
  // `wanted` is the first word's position + 1: where the second word must be.
  let wanted = value + 1;
  byte = second[secondAt++] as number;
  value = byte & 0x7f;
  scale = 128;
  while (byte >= 0x80) {
    byte = second[secondAt++] as number;
    value += (byte & 0x7f) * scale;
    scale *= 128;
  }
  let found = value;
  let weight2 = 0;
  for (;;) {
    if (found < wanted) {
      if (secondAt >= lastSecond) break;
      byte = second[secondAt++] as number;
      value = byte & 0x7f;
      scale = 128;
      while (byte >= 0x80) {
        byte = second[secondAt++] as number;
        value += (byte & 0x7f) * scale;
        scale *= 128;
      }
      found += value;
    } else {
      if (found === wanted) {
        weight2 += weights2[Math.floor((wanted - 1) / COLUMN_SPAN)] as number;
        starts?.push(wanted - 1);
      }
      if (at >= firstEnd) break;
      byte = first[at++] as number;
      value = byte & 0x7f;
      scale = 128;
      while (byte >= 0x80) {
        byte = first[at++] as number;
        value += (byte & 0x7f) * scale;
        scale *= 128;
      }
      wanted += value;
    }
  }
  return weight2;
}


// Loops over every matching document, each the last thing its function does: V8 compiles a long
// loop on the spot (OSR) and kept reusing that code, which stopped at the first later line it had
// never seen run (measured: a deoptimisation on every search).

/** Adds one phrase's bm25 terms (FTS5's formula) to `sums`, per document. */
function addBm25(sums: Float64Array, leaf: Leaf, idf: number, docLength: Uint32Array, averageLength: number): void {
  const { docs, freq } = leaf;
  for (let i = 0; i < docs.length; i += 1) {
    const doc = docs[i] as number;
    const f = freq[i] as number;
    const norm = averageLength > 0 ? (docLength[doc] as number) / averageLength : 0;
    sums[doc] = (sums[doc] as number) + (idf * (f * (K1 + 1))) / (f + K1 * (1 - B + B * norm));
  }
}

/** The live documents of one stream and half their weighted counts, from the posting headers only; returns how many. */
function readPostings(stream: Uint8Array, end: number, live: Uint8Array, docs: Uint32Array, freq: Float64Array): number {
  let n = 0;
  let doc = -1;
  const cursor: Cursor = { at: 0 };
  while (cursor.at < end) {
    doc += readVarint(stream, cursor);
    const weight2 = readVarint(stream, cursor);
    const skip = readVarint(stream, cursor);
    cursor.at += skip;
    if (live[doc] === 1) {
      docs[n] = doc;
      freq[n] = weight2 / 2;
      n += 1;
    }
  }
  return n;
}

/** Adds half of each live posting's weighted count to `sums`; returns how many documents it added first. */
function addCounts(stream: Uint8Array, end: number, live: Uint8Array, sums: Float64Array): number {
  let added = 0;
  let doc = -1;
  const cursor: Cursor = { at: 0 };
  while (cursor.at < end) {
    doc += readVarint(stream, cursor);
    const weight2 = readVarint(stream, cursor);
    // Not `cursor.at += readVarint(…)`: that would add to the cursor as it was before the read.
    const skip = readVarint(stream, cursor);
    cursor.at += skip;
    if (live[doc] !== 1) continue;
    if (sums[doc] === 0) added += 1;
    sums[doc] = (sums[doc] as number) + weight2 / 2;
  }
  return added;
}

/** The documents with a sum, in order, into `docs` and their sums into `freq`. */
function readCounts(sums: Float64Array, docs: Uint32Array, freq: Float64Array): void {
  for (let doc = 0, n = 0; n < docs.length; doc += 1) {
    const sum = sums[doc] as number;
    if (sum === 0) continue;
    docs[n] = doc;
    freq[n] = sum;
    n += 1;
  }
}

function gatherScores(out: Float64Array, sums: Float64Array, docs: Uint32Array): void {
  for (let i = 0; i < docs.length; i += 1) out[i] = sums[docs[i] as number] as number;
}

function gatherRowids(out: Uint32Array, docRowid: Uint32Array, docs: Uint32Array): void {
  for (let i = 0; i < docs.length; i += 1) out[i] = docRowid[docs[i] as number] as number;
}

function intersect(a: Uint32Array, b: Uint32Array): Uint32Array {
  const out = arena.uint32(Math.min(a.length, b.length));
  let i = 0;
  let j = 0;
  let n = 0;
  while (i < a.length && j < b.length) {
    const x = a[i] as number;
    const y = b[j] as number;
    if (x === y) {
      out[n++] = x;
      i += 1;
      j += 1;
    } else if (x < y) i += 1;
    else j += 1;
  }
  return out.subarray(0, n);
}

function union(a: Uint32Array, b: Uint32Array): Uint32Array {
  const out = arena.uint32(a.length + b.length);
  let i = 0;
  let j = 0;
  let n = 0;
  while (i < a.length || j < b.length) {
    const x = i < a.length ? (a[i] as number) : Infinity;
    const y = j < b.length ? (b[j] as number) : Infinity;
    if (x <= y) {
      out[n++] = x;
      i += 1;
      if (x === y) j += 1;
    } else {
      out[n++] = y;
      j += 1;
    }
  }
  return out.subarray(0, n);
}

/** The union of many sorted lists (an alias query ORs a dozen): marked in one pass, read out in order. */
function unionAll(sets: readonly Uint32Array[], docCount: number): Uint32Array {
  const marked = arena.zeroMarks(docCount);
  let total = 0;
  for (const set of sets) {
    for (let i = 0; i < set.length; i += 1) {
      const doc = set[i] as number;
      if (marked[doc] === 0) {
        marked[doc] = 1;
        total += 1;
      }
    }
  }
  const out = arena.uint32(total);
  for (let doc = 0, n = 0; n < total; doc += 1) {
    if (marked[doc] === 1) {
      out[n++] = doc;
      marked[doc] = 0;
    }
  }
  return out;
}

function difference(a: Uint32Array, b: Uint32Array): Uint32Array {
  const out = arena.uint32(a.length);
  let j = 0;
  let n = 0;
  for (let i = 0; i < a.length; i += 1) {
    const x = a[i] as number;
    while (j < b.length && (b[j] as number) < x) j += 1;
    if (j >= b.length || b[j] !== x) out[n++] = x;
  }
  return out.subarray(0, n);
}

/**
 * The inverted index behind search, in memory only. Each term has one byte stream of postings in
 * increasing internal document number: varint(document delta), varint(2 × column-weighted count),
 * varint(byte length of the positions), then the positions as varint deltas. A testimony that
 * changes gets a new document number (its old postings are dead until `compact`), so every write
 * is an append. Single-term queries read only the posting headers; phrases decode positions only
 * for documents that hold every word. Ranking is FTS5's bm25 with the same column weights, so a
 * query is scored exactly as the FTS5 table this replaced scored it, without FTS5's per-row cost.
 *
 * Writes are journalled between `begin` and `commit`; `rollback` undoes them (the SQLite tables
 * beside this index roll back at the same time).
 */
export class PostingsIndex {
  private readonly columnWeights2: Uint32Array;
  /** Ids of the terms added since the last compaction or load; older ones are found by binary search. */
  private newTermIds = new Map<string, number>();
  private terms: string[] = [];
  /**
   * Each term's stream, made on first use: a view into `baseStreams` (one buffer, after a load or a
   * compaction) or a buffer of its own once appended to. Loading made a view and a map entry per
   * term, 2 × 227,000 objects at 100k testimonies, and collecting them was most of a slow open.
   */
  private streams: (Uint8Array | undefined)[] = [];
  private baseStreams: Uint8Array = new Uint8Array(0);
  private baseStart = new Uint32Array(0);
  private streamLength = new Uint32Array(1024);
  private lastDoc = new Float64Array(1024);
  private postingCount = new Uint32Array(1024);
  /** Terms [0, sortedTerms) are in code-unit order (after `compact` or a load); later ones are listed apart. */
  private sortedTerms = 0;
  private extraOrder: number[] | null = null;
  private docRowid = new Uint32Array(1024);
  private docLength = new Uint32Array(1024);
  private docLive = new Uint8Array(1024);
  private docCount = 0;
  private readonly docOfRowid = new Map<number, number>();
  private liveRows = 0;
  private liveTokens = 0;
  private deadDocs = 0;
  private journal: { added: number; revived: number }[] | null = null;
  private readonly writer = new ByteWriter();
  private readonly positions = new ByteWriter();

  /** `columnWeights`: bm25 weight per column, in the order `put` receives columns; multiples of 0.5. */
  constructor(columnWeights: readonly number[]) {
    this.columnWeights2 = Uint32Array.from(columnWeights, (weight) => Math.round(weight * 2));
  }

  get rowCount(): number {
    return this.liveRows;
  }

  // ---- writes ----

  begin(): void {
    this.journal = [];
  }

  commit(): void {
    this.journal = null;
  }

  /** Undoes every write since `begin`, newest first. */
  rollback(): void {
    const journal = this.journal ?? [];
    this.journal = null;
    for (let i = journal.length - 1; i >= 0; i -= 1) {
      const entry = journal[i] as { added: number; revived: number };
      if (entry.added >= 0) this.kill(entry.added);
      if (entry.revived >= 0) this.revive(entry.revived);
    }
  }

  private kill(doc: number): void {
    if (this.docLive[doc] !== 1) return;
    this.docLive[doc] = 0;
    this.docOfRowid.delete(this.docRowid[doc] as number);
    this.liveRows -= 1;
    this.liveTokens -= this.docLength[doc] as number;
    this.deadDocs += 1;
  }

  private revive(doc: number): void {
    this.docLive[doc] = 1;
    this.docOfRowid.set(this.docRowid[doc] as number, doc);
    this.liveRows += 1;
    this.liveTokens += this.docLength[doc] as number;
    this.deadDocs -= 1;
  }

  /** Removes a row; false when it is not indexed. */
  remove(rowid: number): boolean {
    const doc = this.docOfRowid.get(rowid);
    if (doc === undefined) return false;
    this.kill(doc);
    this.journal?.push({ added: -1, revived: doc });
    return true;
  }

  /** The first of the sorted terms [0, sortedTerms) that is not below `text` (binary search). */
  private firstSortedFrom(text: string): number {
    let low = 0;
    let high = this.sortedTerms;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if ((this.terms[middle] as string) < text) low = middle + 1;
      else high = middle;
    }
    return low;
  }

  /** A term's id, or undefined when no row holds it. */
  private findTerm(term: string): number | undefined {
    const at = this.firstSortedFrom(term);
    if (at < this.sortedTerms && this.terms[at] === term) return at;
    return this.newTermIds.get(term);
  }

  private stream(id: number): Uint8Array {
    let stream = this.streams[id];
    if (stream === undefined) {
      const start = this.baseStart[id] as number;
      stream = this.baseStreams.subarray(start, start + (this.streamLength[id] as number));
      this.streams[id] = stream;
    }
    return stream;
  }

  private termId(term: string): number {
    let id = this.findTerm(term);
    if (id !== undefined) return id;
    id = this.terms.length;
    this.newTermIds.set(term, id);
    this.terms.push(term);
    this.streams.push(new Uint8Array(0));
    this.streamLength = grown(this.streamLength, id + 1, (size) => new Uint32Array(size));
    this.lastDoc = grown(this.lastDoc, id + 1, (size) => new Float64Array(size));
    this.postingCount = grown(this.postingCount, id + 1, (size) => new Uint32Array(size));
    this.lastDoc[id] = -1;
    this.extraOrder = null;
    return id;
  }

  /**
   * Indexes a row (replacing what it held): `columns[c]` are the row's tokens in column c. Tokens
   * equal to `skip` hold a position but are not indexed (a barrier a phrase cannot match across).
   */
  put(rowid: number, columns: readonly (readonly string[])[], skip?: string): void {
    const previous = this.docOfRowid.get(rowid);
    if (previous !== undefined) this.kill(previous);
    const doc = this.docCount;
    this.docCount += 1;
    this.docRowid = grown(this.docRowid, doc + 1, (size) => new Uint32Array(size));
    this.docLength = grown(this.docLength, doc + 1, (size) => new Uint32Array(size));
    this.docLive = grown(this.docLive, doc + 1, (size) => new Uint8Array(size));
    this.docRowid[doc] = rowid;
    // Positions per term, in order; first in insertion order of terms.
    const byTerm = new Map<number, number[]>();
    let length = 0;
    columns.forEach((tokens, column) => {
      length += tokens.length;
      const count = Math.min(tokens.length, MAX_COLUMN_TOKENS);
      for (let offset = 0; offset < count; offset += 1) {
        const token = tokens[offset] as string;
        if (token === skip) continue;
        const id = this.termId(token);
        const list = byTerm.get(id);
        const position = column * COLUMN_SPAN + offset;
        if (list) list.push(position);
        else byTerm.set(id, [position]);
      }
    });
    this.docLength[doc] = length;
    for (const [id, positions] of byTerm) this.append(id, doc, positions);
    this.docLive[doc] = 1;
    this.docOfRowid.set(rowid, doc);
    this.liveRows += 1;
    this.liveTokens += length;
    this.journal?.push({ added: doc, revived: previous ?? -1 });
  }

  private append(id: number, doc: number, positions: readonly number[]): void {
    const encoded = this.positions;
    encoded.length = 0;
    let weight2 = 0;
    let last = 0;
    for (const position of positions) {
      encoded.varint(position - last);
      last = position;
      weight2 += this.columnWeights2[Math.floor(position / COLUMN_SPAN)] as number;
    }
    const header = this.writer;
    header.length = 0;
    header.varint(doc - (this.lastDoc[id] as number));
    header.varint(weight2);
    header.varint(encoded.length);
    const used = this.streamLength[id] as number;
    const needed = used + header.length + encoded.length;
    let stream = this.stream(id);
    if (needed > stream.length) {
      // Copies a stream that is a view into a loaded snapshot on its first append, too.
      const next = new Uint8Array(Math.max(needed, Math.min(stream.length * 2, stream.length + (1 << 20)), 16));
      next.set(stream.subarray(0, used));
      stream.fill(0);
      stream = next;
      this.streams[id] = stream;
    }
    stream.set(header.bytes.subarray(0, header.length), used);
    stream.set(encoded.bytes.subarray(0, encoded.length), used + header.length);
    this.streamLength[id] = needed;
    this.lastDoc[id] = doc;
    this.postingCount[id] = (this.postingCount[id] as number) + 1;
  }

  // ---- queries ----

  /** Ids of the terms that begin with `prefix` (every term for an empty prefix is never asked). */
  private termsWithPrefix(prefix: string): number[] {
    const found: number[] = [];
    for (let id = this.firstSortedFrom(prefix); id < this.sortedTerms && (this.terms[id] as string).startsWith(prefix); id += 1) found.push(id);
    if (this.terms.length > this.sortedTerms) {
      if (this.terms.length - this.sortedTerms > 20_000) {
        // Many new terms since the last compaction (a rebuild): sort them once for binary search.
        this.extraOrder ??= Array.from({ length: this.terms.length - this.sortedTerms }, (_, i) => this.sortedTerms + i)
          .sort((a, b) => ((this.terms[a] as string) < (this.terms[b] as string) ? -1 : 1));
        const order = this.extraOrder;
        let lo = 0;
        let hi = order.length;
        while (lo < hi) {
          const middle = (lo + hi) >>> 1;
          if ((this.terms[order[middle] as number] as string) < prefix) lo = middle + 1;
          else hi = middle;
        }
        for (let i = lo; i < order.length && (this.terms[order[i] as number] as string).startsWith(prefix); i += 1) found.push(order[i] as number);
      } else {
        for (let id = this.sortedTerms; id < this.terms.length; id += 1) if ((this.terms[id] as string).startsWith(prefix)) found.push(id);
      }
    }
    return found;
  }

  private termsOf(token: string, prefix: boolean): number[] {
    if (prefix) return this.termsWithPrefix(token);
    const id = this.findTerm(token);
    return id === undefined ? [] : [id];
  }

  /** One term, exact: posting headers only. */
  private termLeaf(id: number): Leaf {
    const docs = arena.uint32(this.postingCount[id] as number);
    const freq = arena.float64(docs.length);
    const n = readPostings(this.stream(id), this.streamLength[id] as number, this.docLive, docs, freq);
    return { docs: docs.subarray(0, n), freq: freq.subarray(0, n), starts: null };
  }

  /** Several terms as one (a prefix): their counts added per document. */
  private unionLeaf(ids: readonly number[]): Leaf {
    if (ids.length === 1) return this.termLeaf(ids[0] as number);
    // Every posting weighs at least 1 (2 × the lightest column weight), so a sum above 0 marks a match.
    const sums = this.scratchSums();
    try {
      let found = 0;
      for (const id of ids) found += addCounts(this.stream(id), this.streamLength[id] as number, this.docLive, sums);
      const docs = arena.uint32(found);
      const freq = arena.float64(found);
      readCounts(sums, docs, freq);
      return { docs, freq, starts: null };
    } finally {
      sums.fill(0);
    }
  }

  /** A phrase of two or more tokens: documents holding every word (rarest first), then their positions checked. */
  private phraseLeaf(tokenTerms: readonly (readonly number[])[], key: string): Leaf {
    try {
      return this.scanPhrase(tokenTerms, key);
    } catch (error) {
      // A damaged stream stopped the scan half way: the scratch arrays are not clean any more.
      this.stageScratch = new Uint16Array(0);
      this.headScratch = [];
      throw error;
    }
  }

  private scanPhrase(tokenTerms: readonly (readonly number[])[], key: string): Leaf {
    const n = tokenTerms.length;
    const order = [...tokenTerms.keys()].sort((a, b) => this.postingsOf(tokenTerms[a] as number[]) - this.postingsOf(tokenTerms[b] as number[]));
    if (tokenTerms.every((ids) => ids.length === 1)) return this.joinLeaf(tokenTerms.map((terms) => terms[0] as number), order, key);
    let capacity = 0;
    for (const ids of tokenTerms) capacity += this.postingsOf(ids);
    const scan: PhraseScan = {
      stage: this.scratchStage(),
      touched: [],
      heads: tokenTerms.map((_, token) => this.scratchHead(token)),
      entryTerm: arena.uint32(capacity),
      entryOffset: arena.uint32(capacity),
      entryLength: arena.uint32(capacity),
      entryNext: arena.int32(capacity),
      entries: 0,
    };
    order.forEach((token, step) => {
      for (const id of tokenTerms[token] as number[]) {
        scanForPhrase(this.stream(id), this.streamLength[id] as number, id, this.docLive, scan, scan.heads[token] as Int32Array, step);
      }
    });
    const { touched, stage } = scan;
    let kept = 0;
    for (let i = 0; i < touched.length; i += 1) if (stage[touched[i] as number] === n) kept += 1;
    const candidates = arena.uint32(kept);
    for (let i = 0, k = 0; i < touched.length; i += 1) if (stage[touched[i] as number] === n) candidates[k++] = touched[i] as number;
    // Already in order when the rarest word is one word, not a prefix (one stream, read in order).
    if (!isSorted(candidates)) candidates.sort();
    // Every entry the scan set belongs to a touched document: clear those for the next phrase.
    for (const doc of scan.touched) scan.stage[doc] = 0;
    // Every stream the scan recorded entries in was made by `this.stream` above.
    const verified = (n === 2 ? verifyPairs : verifyPhrases)(candidates, scan, this.streams as Uint8Array[], this.columnWeights2, n);
    for (const head of scan.heads) for (const doc of scan.touched) head[doc] = -1;
    return verified;
  }

  // Per-document scratch arrays of the phrase scan, kept between phrases (an alias query has a dozen):
  // all zero (stage) or all -1 (heads) between uses.
  private stageScratch = new Uint16Array(0);
  /** The phrases of the query being matched, by prefix flag and tokens (empty between queries). */
  private readonly queryLeaves = new Map<string, Leaf>();
  /** The phrases of the query being matched that a longer one of it contains (their starts are kept). */
  private queryStartsWanted = new Set<string>();
  private headScratch: Int32Array[] = [];

  // One per-document sum array for the whole index, all zero between uses: a new 800 kB array per
  // search (100k testimonies) had V8 run a full garbage collection every few dozen searches.
  private sumsScratch = new Float64Array(0);

  private scratchSums(): Float64Array {
    if (this.sumsScratch.length < this.docCount) this.sumsScratch = new Float64Array(this.docCount + 1024);
    return this.sumsScratch;
  }

  private scratchStage(): Uint16Array {
    if (this.stageScratch.length < this.docCount) this.stageScratch = new Uint16Array(this.docCount + 1024);
    return this.stageScratch;
  }

  private scratchHead(token: number): Int32Array {
    let head = this.headScratch[token];
    if (!head || head.length < this.docCount) {
      head = new Int32Array(this.docCount + 1024).fill(-1);
      this.headScratch[token] = head;
    }
    return head;
  }

  private postingsOf(ids: readonly number[]): number {
    let total = 0;
    for (const id of ids) total += this.postingCount[id] as number;
    return total;
  }

  private leaf(phrase: MatchPhrase): Leaf {
    const tokenTerms = phrase.tokens.map((token, i) => this.termsOf(token, phrase.prefix && i === phrase.tokens.length - 1));
    if (tokenTerms.length === 0 || tokenTerms.some((ids) => ids.length === 0)) return EMPTY_LEAF;
    if (tokenTerms.length === 1) return this.unionLeaf(tokenTerms[0] as number[]);
    return this.phraseLeaf(tokenTerms, phraseKey(phrase));
  }

  /** A phrase of single terms: extended from a shorter phrase of this query when one is inside it, else joined. */
  private joinLeaf(ids: readonly number[], order: readonly number[], key: string): Leaf {
    const tokens = key.slice(1).split(' ');
    const record = this.queryStartsWanted.has(key);
    const cursorOf = (id: number) => new JoinCursor(this.stream(id), this.streamLength[id] as number);
    // The longest shorter phrase of this query inside this one, already matched with its starts.
    for (let length = tokens.length - 1; length >= 2; length -= 1) {
      for (let offset = 0; offset + length <= tokens.length && offset < COLUMN_SPAN - MAX_COLUMN_TOKENS; offset += 1) {
        const inner = this.queryLeaves.get(`=${tokens.slice(offset, offset + length).join(' ')}`);
        if (!inner?.starts) continue;
        const others = [...tokens.keys()].filter((t) => t < offset || t >= offset + length);
        const capacity = inner.docs.length;
        const docs = arena.uint32(capacity);
        const freq = arena.float64(capacity);
        const builder = record ? { index: arena.uint32(capacity + 1), list: new StartList() } : null;
        const found = extendPhrase(inner as Leaf & { starts: PhraseStarts }, offset, others.map((t) => cursorOf(ids[t] as number)), others, this.columnWeights2, docs, freq, builder);
        return leafOf(docs, freq, found, builder);
      }
    }
    const rarest = this.postingCount[ids[order[0] as number] as number] as number;
    const docs = arena.uint32(rarest);
    const freq = arena.float64(rarest);
    const builder = record ? { index: arena.uint32(rarest + 1), list: new StartList() } : null;
    const found = joinPhrase(ids.map(cursorOf), order, this.docLive, this.columnWeights2, docs, freq, builder);
    return leafOf(docs, freq, found, builder);
  }

  private evaluateNode(node: MatchTree, scored: Leaf[] | null): Uint32Array {
    switch (node.kind) {
      case 'phrase': {
        // An alias query names the same phrase (a vocabulary link, a shared word) several times:
        // each is read once, and still scored once per mention, as FTS5 scores it.
        const key = phraseKey(node);
        let leaf = this.queryLeaves.get(key);
        if (!leaf) {
          leaf = this.leaf(node);
          this.queryLeaves.set(key, leaf);
        }
        scored?.push(leaf);
        return leaf.docs;
      }
      case 'and': {
        const sets = this.evaluateChildren(node.children, scored).sort((a, b) => a.length - b.length);
        return sets.slice(1).reduce(intersect, sets[0] ?? EMPTY_LEAF.docs);
      }
      case 'or': {
        const sets = this.evaluateChildren(node.children, scored);
        return sets.length <= 2 ? sets.reduce(union, EMPTY_LEAF.docs) : unionAll(sets, this.docCount);
      }
      case 'not':
        // Phrases that excluded a row can only be absent from the rows kept: they add nothing to scores.
        return difference(this.evaluateNode(node.include, scored), this.evaluateNode(node.exclude, null));
    }
  }

  /**
   * The children's rows, in the children's order. Shorter phrases are read first, so a longer one
   * that contains one can start from its matches (`extendPhrase`); the scored phrases are still
   * listed in the children's order, so the scores add up in the same order as before.
   */
  private evaluateChildren(children: readonly MatchTree[], scored: Leaf[] | null): Uint32Array[] {
    const length = (child: MatchTree) => (child.kind === 'phrase' ? child.tokens.length : 0);
    const order = [...children.keys()].sort((a, b) => length(children[a] as MatchTree) - length(children[b] as MatchTree));
    const sets: Uint32Array[] = new Array<Uint32Array>(children.length);
    const leaves: (Leaf[] | null)[] = new Array<Leaf[] | null>(children.length);
    for (const i of order) {
      const childScored = scored ? [] : null;
      sets[i] = this.evaluateNode(children[i] as MatchTree, childScored);
      leaves[i] = childScored;
    }
    if (scored) for (const childScored of leaves) scored.push(...(childScored ?? []));
    return sets;
  }

  /** The rows matching `tree`, with bm25 scores (sum over the tree's phrases, as FTS5 sums them) when `withScores`. */
  match(tree: MatchTree, withScores: boolean): MatchResult {
    const leaves: Leaf[] = [];
    let docs: Uint32Array;
    arena.reset();
    try {
      this.queryStartsWanted = phrasesInsideOthers(tree);
      docs = this.evaluateNode(tree, withScores ? leaves : null);
    } finally {
      this.queryLeaves.clear();
      this.queryStartsWanted = new Set();
    }
    let scores: Float64Array | null = null;
    if (withScores) {
      const sums = this.scratchSums();
      const averageLength = this.liveRows > 0 ? this.liveTokens / this.liveRows : 0;
      for (const leaf of leaves) {
        const matching = leaf.docs.length;
        let idf = Math.log((this.liveRows - matching + 0.5) / (matching + 0.5));
        if (idf <= 0) idf = 1e-6;
        addBm25(sums, leaf, idf, this.docLength, averageLength);
      }
      scores = new Float64Array(docs.length);
      gatherScores(scores, sums, docs);
      sums.fill(0);
    }
    // Internal document numbers follow insertion; callers get rows in rowid order.
    const rowids = new Uint32Array(docs.length);
    gatherRowids(rowids, this.docRowid, docs);
    if (isSorted(rowids)) return { rowids, scores };
    const order = Array.from(rowids.keys()).sort((a, b) => (rowids[a] as number) - (rowids[b] as number));
    return {
      rowids: Uint32Array.from(order, (i) => rowids[i] as number),
      scores: scores ? Float64Array.from(order, (i) => (scores as Float64Array)[i] as number) : null,
    };
  }

  // ---- compaction and persistence ----

  /**
   * Drops dead postings, renumbers documents densely and puts the terms in code-unit order, in one
   * new buffer. Runs before a snapshot and after a rebuild; not inside a journal.
   */
  compact(): void {
    if (this.journal) throw new Error('compact inside a transaction');
    if (this.deadDocs === 0 && this.sortedTerms === this.terms.length) return;
    const renumber = new Int32Array(this.docCount).fill(-1);
    let docs = 0;
    for (let doc = 0; doc < this.docCount; doc += 1) if (this.docLive[doc] === 1) renumber[doc] = docs++;
    const order = Array.from(this.terms.keys()).sort((a, b) => ((this.terms[a] as string) < (this.terms[b] as string) ? -1 : 1));
    let total = 0;
    for (const id of order) total += this.streamLength[id] as number;
    const out = new Uint8Array(total);
    const outWriter = this.writer;
    let length = 0;
    const terms: string[] = [];
    const starts: number[] = [];
    const streamLength = new Uint32Array(Math.max(order.length, 16));
    const lastDoc = new Float64Array(Math.max(order.length, 16));
    const postingCount = new Uint32Array(Math.max(order.length, 16));
    for (const id of order) {
      const stream = this.stream(id);
      const end = this.streamLength[id] as number;
      const start = length;
      let doc = -1;
      let newLast = -1;
      let count = 0;
      const cursor = { at: 0 };
      while (cursor.at < end) {
        doc += readVarint(stream, cursor);
        const weight2 = readVarint(stream, cursor);
        const positionBytes = readVarint(stream, cursor);
        const positionsAt = cursor.at;
        cursor.at += positionBytes;
        const target = renumber[doc] as number;
        if (target < 0) continue;
        outWriter.length = 0;
        outWriter.varint(target - newLast);
        outWriter.varint(weight2);
        outWriter.varint(positionBytes);
        out.set(outWriter.bytes.subarray(0, outWriter.length), length);
        length += outWriter.length;
        out.set(stream.subarray(positionsAt, positionsAt + positionBytes), length);
        length += positionBytes;
        newLast = target;
        count += 1;
      }
      stream.fill(0);
      if (count === 0) continue;
      const newId = terms.length;
      terms.push(this.terms[id] as string);
      starts.push(start);
      streamLength[newId] = length - start;
      lastDoc[newId] = newLast;
      postingCount[newId] = count;
    }
    const docRowid = new Uint32Array(Math.max(docs, 16));
    const docLength = new Uint32Array(Math.max(docs, 16));
    const docLive = new Uint8Array(Math.max(docs, 16));
    this.docOfRowid.clear();
    for (let doc = 0; doc < this.docCount; doc += 1) {
      const target = renumber[doc] as number;
      if (target < 0) continue;
      docRowid[target] = this.docRowid[doc] as number;
      docLength[target] = this.docLength[doc] as number;
      docLive[target] = 1;
      this.docOfRowid.set(this.docRowid[doc] as number, target);
    }
    Object.assign(this, { terms, streamLength, lastDoc, postingCount, docRowid, docLength, docLive });
    this.baseStreams = out;
    this.baseStart = Uint32Array.from(starts);
    this.streams = new Array<Uint8Array | undefined>(terms.length);
    this.newTermIds = new Map();
    this.docCount = docs;
    this.sortedTerms = terms.length;
    this.extraOrder = null;
    this.deadDocs = 0;
  }

  /** The index as bytes (compacted first). Plaintext: the caller must wipe it. */
  serialize(): Uint8Array {
    this.compact();
    const termText = new TextEncoder().encode(this.terms.join('\n'));
    const termCount = this.terms.length;
    const postingBytes = this.terms.reduce((sum, _, id) => sum + (this.streamLength[id] as number), 0);
    const header = 32;
    const size = header + termText.length + this.docCount * 8 + termCount * 12 + postingBytes;
    const out = new Uint8Array(size);
    const view = new DataView(out.buffer);
    view.setUint32(0, FORMAT_MAGIC, true);
    view.setUint32(4, FORMAT_VERSION, true);
    view.setUint32(8, termCount, true);
    view.setUint32(12, this.docCount, true);
    view.setFloat64(16, this.liveTokens, true);
    view.setUint32(24, termText.length, true);
    view.setUint32(28, postingBytes, true);
    let at = header;
    out.set(termText, at);
    termText.fill(0);
    at += termText.length;
    const writeUint32s = (values: ArrayLike<number>, count: number) => {
      for (let i = 0; i < count; i += 1, at += 4) view.setUint32(at, values[i] as number, true);
    };
    writeUint32s(this.docRowid, this.docCount);
    writeUint32s(this.docLength, this.docCount);
    writeUint32s(this.streamLength, termCount);
    writeUint32s(this.postingCount, termCount);
    writeUint32s(this.lastDoc, termCount);
    for (let id = 0; id < termCount; id += 1) {
      out.set(this.stream(id).subarray(0, this.streamLength[id] as number), at);
      at += this.streamLength[id] as number;
    }
    return out;
  }

  /**
   * Opens `serialize`'s bytes and takes them: the postings stay where they are (a copy was 197 MB of
   * new memory at 100k testimonies, and touching it made opening vary by half a second), the bytes
   * before them (the term list: every indexed word) are wiped at once, and `clear` wipes the rest.
   * Wiped entirely when they are not a readable index.
   */
  static deserialize(bytes: Uint8Array, columnWeights: readonly number[]): PostingsIndex {
    try {
      return PostingsIndex.adopt(bytes, columnWeights);
    } catch (error) {
      bytes.fill(0);
      throw error;
    }
  }

  private static adopt(bytes: Uint8Array, columnWeights: readonly number[]): PostingsIndex {
    const corrupt = () => new VaultError('VAULT_CORRUPT', 'the search index snapshot has a damaged postings section');
    if (bytes.length < 32) throw corrupt();
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    if (view.getUint32(0, true) !== FORMAT_MAGIC || view.getUint32(4, true) !== FORMAT_VERSION) throw corrupt();
    const termCount = view.getUint32(8, true);
    const docCount = view.getUint32(12, true);
    const liveTokens = view.getFloat64(16, true);
    const termTextLength = view.getUint32(24, true);
    const postingBytes = view.getUint32(28, true);
    if (32 + termTextLength + docCount * 8 + termCount * 12 + postingBytes !== bytes.length) throw corrupt();
    const index = new PostingsIndex(columnWeights);
    let at = 32;
    const termText = new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(at, at + termTextLength));
    at += termTextLength;
    const terms = termCount === 0 ? [] : termText.split('\n');
    if (terms.length !== termCount) throw corrupt();
    const readUint32s = (count: number, into: Uint32Array | Float64Array) => {
      for (let i = 0; i < count; i += 1, at += 4) into[i] = view.getUint32(at, true);
    };
    index.docRowid = new Uint32Array(Math.max(docCount, 16));
    index.docLength = new Uint32Array(Math.max(docCount, 16));
    index.docLive = new Uint8Array(Math.max(docCount, 16));
    readUint32s(docCount, index.docRowid);
    readUint32s(docCount, index.docLength);
    index.streamLength = new Uint32Array(Math.max(termCount, 16));
    index.postingCount = new Uint32Array(Math.max(termCount, 16));
    index.lastDoc = new Float64Array(Math.max(termCount, 16));
    readUint32s(termCount, index.streamLength);
    readUint32s(termCount, index.postingCount);
    readUint32s(termCount, index.lastDoc);
    const postings = bytes.subarray(at, at + postingBytes);
    index.baseStart = new Uint32Array(Math.max(termCount, 16));
    let offset = 0;
    for (let id = 0; id < termCount; id += 1) {
      index.baseStart[id] = offset;
      offset += index.streamLength[id] as number;
    }
    if (offset !== postingBytes) throw corrupt();
    for (let id = 1; id < termCount; id += 1) if (!((terms[id - 1] as string) < (terms[id] as string))) throw corrupt();
    index.baseStreams = postings;
    index.streams = new Array<Uint8Array | undefined>(termCount);
    index.terms = terms;
    index.newTermIds = new Map();
    index.sortedTerms = termCount;
    index.docCount = docCount;
    for (let doc = 0; doc < docCount; doc += 1) {
      index.docLive[doc] = 1;
      index.docOfRowid.set(index.docRowid[doc] as number, doc);
    }
    if (index.docOfRowid.size !== docCount) throw corrupt();
    index.liveRows = docCount;
    index.liveTokens = liveTokens;
    bytes.fill(0, 0, bytes.length - postingBytes);
    return index;
  }

  /** Wipes the postings (they hold every indexed word) and forgets everything. */
  clear(): void {
    for (const stream of this.streams) stream?.fill(0);
    this.baseStreams.fill(0);
    this.streams = [];
    this.baseStreams = new Uint8Array(0);
    this.baseStart = new Uint32Array(0);
    this.terms = [];
    this.newTermIds = new Map();
    this.docOfRowid.clear();
    this.docCount = 0;
    this.liveRows = 0;
    this.liveTokens = 0;
    this.sortedTerms = 0;
    this.sumsScratch = new Float64Array(0);
    arena.release();
  }
}

/** A phrase's key in one query: prefix or exact, and its tokens (tokens never hold a space). */
function phraseKey(phrase: MatchPhrase): string {
  return `${phrase.prefix ? '*' : '='}${phrase.tokens.join(' ')}`;
}

function leafOf(docs: Uint32Array, freq: Float64Array, found: number, builder: PhraseStartsBuilder | null): Leaf {
  if (!builder) return { docs: docs.subarray(0, found), freq: freq.subarray(0, found), starts: null };
  builder.index[found] = builder.list.length;
  const starts = { index: builder.index.subarray(0, found + 1), positions: builder.list.positions.subarray(0, builder.list.length) };
  return { docs: docs.subarray(0, found), freq: freq.subarray(0, found), starts };
}

/** The keys of the exact phrases (two words or more) of `tree` that a longer exact phrase of it contains. */
function phrasesInsideOthers(tree: MatchTree): Set<string> {
  const phrases: MatchPhrase[] = [];
  const walk = (node: MatchTree): void => {
    if (node.kind === 'phrase') {
      if (!node.prefix && node.tokens.length >= 2) phrases.push(node);
    } else if (node.kind === 'not') {
      walk(node.include);
      walk(node.exclude);
    } else node.children.forEach(walk);
  };
  walk(tree);
  const wanted = new Set<string>();
  for (const inner of phrases) {
    const needle = ` ${inner.tokens.join(' ')} `;
    if (phrases.some((outer) => outer.tokens.length > inner.tokens.length && ` ${outer.tokens.join(' ')} `.includes(needle))) wanted.add(phraseKey(inner));
  }
  return wanted;
}

function isSorted(values: Uint32Array): boolean {
  for (let i = 1; i < values.length; i += 1) if ((values[i - 1] as number) > (values[i] as number)) return false;
  return true;
}
