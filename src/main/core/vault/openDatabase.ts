import fs from 'node:fs';
import Database from 'better-sqlite3';
import { VaultError } from '../errors.js';

/**
 * Opens vault.db with the durability and hygiene pragmas, and takes SQLite's EXCLUSIVE lock so a
 * second writer (another process or window) is refused. The OS drops the lock if we are killed.
 */
const SQLITE_MAGIC = 'SQLite format 3\u0000';

/**
 * SQLite opens a file whose header claims a newer write format (byte 18) read-only, and the first
 * write then fails as "readonly database", which reads like a permissions problem. Bytes 18 and 19
 * are 1 (rollback journal) or 2 (WAL) in every file SQLite 3 writes: anything else is damage.
 */
function assertPlausibleHeader(dbPath: string): void {
  let header: Buffer;
  try {
    const handle = fs.openSync(dbPath, 'r');
    try {
      header = Buffer.alloc(100);
      fs.readSync(handle, header, 0, 100, 0);
    } finally {
      fs.closeSync(handle);
    }
  } catch {
    return; // Missing or unreadable: better-sqlite3 reports it below with the right code.
  }
  const versionsOk = [header.readUInt8(18), header.readUInt8(19)].every((version) => version === 1 || version === 2);
  if (header.toString('latin1', 0, 16) !== SQLITE_MAGIC || !versionsOk) {
    throw new VaultError('VAULT_CORRUPT', 'vault.db is not a readable vault database (its file header was changed)');
  }
}

export function openDatabase(dbPath: string, options: { create: boolean }): Database.Database {
  if (!options.create || fs.existsSync(dbPath)) assertPlausibleHeader(dbPath);
  let db: Database.Database;
  try {
    db = new Database(dbPath, { fileMustExist: !options.create, timeout: 0 });
  } catch (cause) {
    const code = (cause as { code?: string }).code;
    if (code === 'SQLITE_CANTOPEN') throw new VaultError('VAULT_NOT_FOUND', `no vault database at ${dbPath}`, { cause });
    throw new VaultError('VAULT_CORRUPT', `cannot open the vault database: ${(cause as Error).message}`, { cause });
  }
  try {
    db.pragma('locking_mode = EXCLUSIVE');
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    db.pragma('secure_delete = ON');
    db.pragma('foreign_keys = ON');
    // Keep SQLite's scratch space in memory, never in a temp file.
    db.pragma('temp_store = MEMORY');
    // A write transaction takes the exclusive lock now, not at the first real write.
    db.exec('BEGIN IMMEDIATE; COMMIT');
    return db;
  } catch (cause) {
    db.close();
    const code = (cause as { code?: string }).code;
    if (code === 'SQLITE_BUSY' || code === 'SQLITE_LOCKED') {
      throw new VaultError('VAULT_IN_USE', 'this vault is open in another window or process; close it there first');
    }
    // "unsupported file format" (SQLITE_ERROR) is a changed schema-format byte in the file header.
    if (code === 'SQLITE_NOTADB' || code === 'SQLITE_CORRUPT' || (code === 'SQLITE_ERROR' && /unsupported file format/.test((cause as Error).message))) {
      throw new VaultError('VAULT_CORRUPT', 'vault.db is not a readable vault database', { cause });
    }
    throw cause;
  }
}
