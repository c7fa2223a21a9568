import { CONSENT_SCOPES, TESTIMONY_STATUSES } from '../records/testimonySchema.js';
import type { ConsentScope, TestimonyStatus } from './indexDocument.js';

/** The facet and filter values of one testimony, as `DocumentFacts.set` takes them. */
export type DocumentFact = {
  facilities: readonly number[];
  units: readonly number[];
  violations: readonly number[];
  persons: readonly number[];
  language: string;
  status: TestimonyStatus;
  /** Scopes the consent grants (none when it was withdrawn). */
  scopes: readonly ConsentScope[];
  /** First and last day as YYYY-MM-DD, or null when not recorded. */
  period: readonly [string, string] | null;
  interview: readonly [string, string] | null;
};

/** Which linked-record list of a testimony. */
export type LinkKind = 0 | 1 | 2 | 3;
export const LINK = { facility: 0, unit: 1, violation: 2, person: 3 } as const;

const FORMAT = 1;
const FIELDS = ['present', 'language', 'status', 'scopes', 'media', 'periodLow', 'periodHigh', 'interviewLow', 'interviewHigh', 'linkStart', 'linkEnd'] as const;

/** YYYY-MM-DD (the month or day may be 31 for an upper bound) as a comparable integer; 0 = none. */
function day(date: string): number {
  return Number(date.slice(0, 4)) * 10_000 + Number(date.slice(5, 7)) * 100 + Number(date.slice(8, 10));
}

/**
 * Facet and filter values of every testimony, column by column in typed arrays indexed by rowid,
 * so opening a 100k-testimony index needs no per-testimony parsing (the columns are saved packed
 * into one blob of the snapshot) and filtering and counting facets are tight loops. Linked-record
 * ids (index entity rowids) live in one packed buffer: [facilities… | units… | violations… | persons…]
 * with four counts in front.
 */
export class DocumentFacts {
  private capacity: number;
  present: Uint8Array;
  language: Uint16Array;
  status: Uint8Array;
  /** Bit i set = consent scope CONSENT_SCOPES[i] granted. */
  scopes: Uint8Array;
  media: Uint16Array;
  periodLow: Uint32Array;
  periodHigh: Uint32Array;
  interviewLow: Uint32Array;
  interviewHigh: Uint32Array;
  private linkStart: Uint32Array;
  private linkEnd: Uint32Array;
  private links: Int32Array;
  private linksUsed: number;
  /** Language codes (small: a handful of languages). */
  readonly languages: string[];
  private readonly languageCode = new Map<string, number>();

  private constructor(capacity: number, languages: string[]) {
    this.capacity = capacity;
    this.present = new Uint8Array(capacity);
    this.language = new Uint16Array(capacity);
    this.status = new Uint8Array(capacity);
    this.scopes = new Uint8Array(capacity);
    this.media = new Uint16Array(capacity);
    this.periodLow = new Uint32Array(capacity);
    this.periodHigh = new Uint32Array(capacity);
    this.interviewLow = new Uint32Array(capacity);
    this.interviewHigh = new Uint32Array(capacity);
    this.linkStart = new Uint32Array(capacity);
    this.linkEnd = new Uint32Array(capacity);
    this.links = new Int32Array(Math.max(64, capacity * 12));
    this.linksUsed = 0;
    this.languages = languages;
    languages.forEach((code, i) => this.languageCode.set(code, i));
  }

  static empty(): DocumentFacts {
    return new DocumentFacts(1024, []);
  }

  /** Highest rowid slot + 1 (iterate `0 ≤ rowid < size` and test `present`). */
  get size(): number {
    return this.capacity;
  }

  private grow(rowid: number): void {
    if (rowid < this.capacity) return;
    let capacity = this.capacity;
    while (capacity <= rowid) capacity *= 2;
    const grow = <T extends Uint8Array | Uint16Array | Uint32Array>(old: T, make: (n: number) => T): T => {
      const next = make(capacity);
      next.set(old);
      return next;
    };
    this.present = grow(this.present, (n) => new Uint8Array(n));
    this.language = grow(this.language, (n) => new Uint16Array(n));
    this.status = grow(this.status, (n) => new Uint8Array(n));
    this.scopes = grow(this.scopes, (n) => new Uint8Array(n));
    this.media = grow(this.media, (n) => new Uint16Array(n));
    this.periodLow = grow(this.periodLow, (n) => new Uint32Array(n));
    this.periodHigh = grow(this.periodHigh, (n) => new Uint32Array(n));
    this.interviewLow = grow(this.interviewLow, (n) => new Uint32Array(n));
    this.interviewHigh = grow(this.interviewHigh, (n) => new Uint32Array(n));
    this.linkStart = grow(this.linkStart, (n) => new Uint32Array(n));
    this.linkEnd = grow(this.linkEnd, (n) => new Uint32Array(n));
    this.capacity = capacity;
  }

  private codeOfLanguage(language: string): number {
    let code = this.languageCode.get(language);
    if (code === undefined) {
      code = this.languages.length;
      this.languages.push(language);
      this.languageCode.set(language, code);
    }
    return code;
  }

  set(rowid: number, fact: DocumentFact): void {
    this.grow(rowid);
    this.present[rowid] = 1;
    this.language[rowid] = this.codeOfLanguage(fact.language);
    this.status[rowid] = TESTIMONY_STATUSES.indexOf(fact.status);
    this.scopes[rowid] = fact.scopes.reduce((bits, scope) => bits | (1 << CONSENT_SCOPES.indexOf(scope)), 0);
    this.periodLow[rowid] = fact.period ? day(fact.period[0]) : 0;
    this.periodHigh[rowid] = fact.period ? day(fact.period[1]) : 0;
    this.interviewLow[rowid] = fact.interview ? day(fact.interview[0]) : 0;
    this.interviewHigh[rowid] = fact.interview ? day(fact.interview[1]) : 0;
    const lists = [fact.facilities, fact.units, fact.violations, fact.persons];
    const needed = 4 + lists.reduce((sum, list) => sum + list.length, 0);
    if (this.linksUsed + needed > this.links.length) {
      // Append-only: superseded entries stay as garbage until the next pack() compacts them.
      const next = new Int32Array(Math.max(this.links.length * 2, this.linksUsed + needed));
      next.set(this.links.subarray(0, this.linksUsed));
      this.links = next;
    }
    const start = this.linksUsed;
    let at = start + 4;
    lists.forEach((list, i) => {
      this.links[start + i] = list.length;
      this.links.set(list, at);
      at += list.length;
    });
    this.linkStart[rowid] = start;
    this.linkEnd[rowid] = at;
    this.linksUsed = at;
  }

  delete(rowid: number): void {
    if (rowid < this.capacity) this.present[rowid] = 0;
  }

  setMedia(rowid: number, count: number): void {
    if (rowid < this.capacity) this.media[rowid] = Math.min(count, 0xffff);
  }

  has(rowid: number): boolean {
    return rowid < this.capacity && this.present[rowid] === 1;
  }

  /** The packed link buffer, for loops that read it through `linkFrom` and `linkCount` without allocating. */
  get linkBuffer(): Int32Array {
    return this.links;
  }

  /** Per testimony, where its links start in `linkBuffer`: 4 counts (one per kind), then the linked rowids, kind after kind. */
  get linkStarts(): Uint32Array {
    return this.linkStart;
  }

  /** Where the links of one kind of one testimony start in `linkBuffer`. */
  linkFrom(rowid: number, kind: LinkKind): number {
    const start = this.linkStart[rowid] ?? 0;
    let from = start + 4;
    for (let i = 0; i < kind; i += 1) from += this.links[start + i] ?? 0;
    return from;
  }

  linkCount(rowid: number, kind: LinkKind): number {
    return this.links[(this.linkStart[rowid] ?? 0) + kind] ?? 0;
  }

  /** The linked entity rowids of one kind (a view; do not keep it across changes). */
  linked(rowid: number, kind: LinkKind): Int32Array {
    const start = this.linkStart[rowid] ?? 0;
    let from = start + 4;
    for (let i = 0; i < kind; i += 1) from += this.links[start + i] ?? 0;
    return this.links.subarray(from, from + (this.links[start + kind] ?? 0));
  }

  /** All the columns in one buffer, for the snapshot. */
  pack(): Buffer {
    // Compact the links of present rows only.
    const compact = new Int32Array(this.linksUsed);
    const starts = new Uint32Array(this.capacity);
    const ends = new Uint32Array(this.capacity);
    let used = 0;
    for (let rowid = 0; rowid < this.capacity; rowid += 1) {
      if (this.present[rowid] !== 1) continue;
      const from = this.linkStart[rowid] ?? 0;
      const to = this.linkEnd[rowid] ?? 0;
      compact.set(this.links.subarray(from, to), used);
      starts[rowid] = used;
      used += to - from;
      ends[rowid] = used;
    }
    const columns: Record<(typeof FIELDS)[number], Uint8Array | Uint16Array | Uint32Array> = {
      present: this.present, language: this.language, status: this.status, scopes: this.scopes, media: this.media,
      periodLow: this.periodLow, periodHigh: this.periodHigh, interviewLow: this.interviewLow, interviewHigh: this.interviewHigh,
      linkStart: starts, linkEnd: ends,
    };
    // Layout: u32 header length ‖ JSON header ‖ each column, then the links, each 8-byte aligned.
    const header = Buffer.from(JSON.stringify({ format: FORMAT, capacity: this.capacity, links: used, languages: this.languages }));
    const pad = (length: number) => Buffer.alloc((8 - (length % 8)) % 8);
    const lengthPrefix = Buffer.alloc(4);
    lengthPrefix.writeUInt32LE(header.length, 0);
    const parts: Buffer[] = [lengthPrefix, header, pad(4 + header.length)];
    for (const field of FIELDS) {
      const column = columns[field];
      const bytes = Buffer.from(column.buffer, column.byteOffset, column.byteLength);
      parts.push(bytes, pad(bytes.length));
    }
    parts.push(Buffer.from(compact.buffer, 0, used * 4));
    return Buffer.concat(parts);
  }

  /** The columns from `pack()`; null if the blob is not one this version wrote. */
  static unpack(blob: Uint8Array): DocumentFacts | null {
    const bytes = Buffer.from(blob.buffer, blob.byteOffset, blob.byteLength);
    if (bytes.length < 4) return null;
    const headerLength = bytes.readUInt32LE(0);
    let header: { format: number; capacity: number; links: number; languages: string[] };
    try {
      header = JSON.parse(bytes.subarray(4, 4 + headerLength).toString('utf8')) as typeof header;
    } catch {
      return null;
    }
    if (header.format !== FORMAT) return null;
    const facts = new DocumentFacts(header.capacity, [...header.languages]);
    // Copy into aligned, owned memory (the blob belongs to SQLite's result buffer).
    const aligned = new Uint8Array(bytes.length);
    aligned.set(bytes);
    let offset = 4 + headerLength;
    offset += (8 - (offset % 8)) % 8;
    const take = <T>(bytesPer: number, make: (buffer: ArrayBuffer, at: number, length: number) => T): T => {
      const view = make(aligned.buffer, offset, header.capacity);
      const length = header.capacity * bytesPer;
      offset += length + ((8 - (length % 8)) % 8);
      return view;
    };
    facts.present = take(1, (b, at, n) => new Uint8Array(b, at, n));
    facts.language = take(2, (b, at, n) => new Uint16Array(b, at, n));
    facts.status = take(1, (b, at, n) => new Uint8Array(b, at, n));
    facts.scopes = take(1, (b, at, n) => new Uint8Array(b, at, n));
    facts.media = take(2, (b, at, n) => new Uint16Array(b, at, n));
    facts.periodLow = take(4, (b, at, n) => new Uint32Array(b, at, n));
    facts.periodHigh = take(4, (b, at, n) => new Uint32Array(b, at, n));
    facts.interviewLow = take(4, (b, at, n) => new Uint32Array(b, at, n));
    facts.interviewHigh = take(4, (b, at, n) => new Uint32Array(b, at, n));
    facts.linkStart = take(4, (b, at, n) => new Uint32Array(b, at, n));
    facts.linkEnd = take(4, (b, at, n) => new Uint32Array(b, at, n));
    const links = new Int32Array(Math.max(64, header.links * 2));
    links.set(new Int32Array(aligned.buffer, offset, header.links));
    facts.links = links;
    facts.linksUsed = header.links;
    return facts;
  }
}
