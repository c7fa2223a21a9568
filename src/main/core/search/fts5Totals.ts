import type Database from 'better-sqlite3';

/** What deleted rows took out of an FTS5 table: a row count and the tokens per column. */
export type Fts5Removed = { rows: number; columnTokens: number[] };

// SQLite's varint (also FTS5's): big-endian 7-bit groups with a continuation bit; a 9th byte holds 8 bits.
function readVarints(bytes: Uint8Array): number[] {
  const values: number[] = [];
  let offset = 0;
  while (offset < bytes.length) {
    let value = 0;
    let i = 0;
    for (;;) {
      const byte = bytes[offset + i] ?? 0;
      if (i === 8) {
        value = value * 256 + byte;
        break;
      }
      value = value * 128 + (byte & 0x7f);
      if ((byte & 0x80) === 0) break;
      i += 1;
    }
    offset += i + 1;
    values.push(value);
  }
  return values;
}

function writeVarint(value: number): number[] {
  if (value <= 0x7f) return [value];
  const groups: number[] = [];
  let rest = value;
  while (rest > 0) {
    groups.unshift(rest % 128);
    rest = Math.floor(rest / 128);
  }
  return groups.map((group, i) => (i < groups.length - 1 ? group | 0x80 : group));
}

/** The per-column token counts of one row, from `<table>_docsize` (read it before the row is deleted). */
export function fts5RowSizes(db: Database.Database, table: string, rowid: number): number[] | undefined {
  const size = db.prepare(`SELECT sz FROM "${table}_docsize" WHERE id = ?`).pluck().get(rowid) as Uint8Array | undefined;
  return size ? readVarints(size) : undefined;
}

/**
 * Takes deleted rows out of an FTS5 table's row and token totals, which bm25 uses for idf and the
 * average length. A contentless_delete table does not do this itself (it cannot see the deleted
 * text), so without it every edit or delete would leave the totals a little too high and rankings
 * would drift from those of a fresh build. The totals are the "averages" record (id 1 of
 * `<table>_data`: varints of the row count, then the tokens of each column), which SQLite's
 * defensive mode protects, so it is lifted for this one statement. Must run outside a transaction
 * that wrote to the table: FTS5 caches the totals until it commits.
 */
export function subtractFromFts5Totals(db: Database.Database, table: string, removed: Fts5Removed): void {
  if (removed.rows === 0) return;
  if (db.inTransaction) throw new Error('FTS5 totals can only be corrected after the writing transaction commits');
  const block = db.prepare(`SELECT block FROM "${table}_data" WHERE id = 1`).pluck().get() as Uint8Array | undefined;
  if (!block) return;
  const [rows = 0, ...tokens] = readVarints(block);
  const corrected = [Math.max(0, rows - removed.rows), ...tokens.map((count, i) => Math.max(0, count - (removed.columnTokens[i] ?? 0)))];
  db.unsafeMode(true);
  try {
    db.prepare(`UPDATE "${table}_data" SET block = ? WHERE id = 1`).run(Buffer.from(corrected.flatMap(writeVarint)));
  } finally {
    db.unsafeMode(false);
  }
}
