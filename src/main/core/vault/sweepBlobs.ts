import type Database from 'better-sqlite3';
import fs from 'node:fs';
import path from 'node:path';
import { BLOB_TEMP_PREFIX, type VaultPaths } from './vaultPaths.js';

/** Removes half-written blob temp files left by a crash; their DB rows were never committed. */
export function sweepIncomingBlobs(paths: VaultPaths): number {
  if (!fs.existsSync(paths.blobDir)) return 0;
  let removed = 0;
  for (const name of fs.readdirSync(paths.blobDir)) {
    if (name.startsWith(BLOB_TEMP_PREFIX)) {
      fs.rmSync(path.join(paths.blobDir, name), { force: true });
      removed += 1;
    }
  }
  return removed;
}

/** Removes blob files with no row in `blobs`: written and renamed, but the crash came before the commit. */
export function sweepOrphanBlobs(paths: VaultPaths, db: Database.Database): number {
  if (!fs.existsSync(paths.blobDir)) return 0;
  const known = new Set((db.prepare('SELECT blob_id FROM blobs').all() as { blob_id: string }[]).map((row) => row.blob_id));
  const names = fs.readdirSync(paths.blobDir);
  // A crash leaves orphans only beside a complete set of files. A row whose file is missing means
  // the database and the folder disagree for another reason (a changed byte, an old copy): delete
  // nothing, so no evidence is destroyed; `verify` reports both sides.
  const present = new Set(names);
  for (const blobId of known) if (!present.has(blobId)) return 0;
  let removed = 0;
  for (const name of names) {
    if (!name.startsWith(BLOB_TEMP_PREFIX) && !known.has(name)) {
      fs.rmSync(path.join(paths.blobDir, name), { force: true });
      removed += 1;
    }
  }
  return removed;
}
