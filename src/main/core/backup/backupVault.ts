import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { VaultError } from '../errors.js';
import type { ProgressListener } from '../platform.js';
import { openDatabase } from '../vault/openDatabase.js';
import { BLOB_TEMP_PREFIX, blobPath, vaultPaths, type VaultPaths } from '../vault/vaultPaths.js';
import { VaultSession, type SessionKeys } from '../vault/VaultSession.js';
import { fsyncDirectory, removeQuietly } from '../media/blobFiles.js';
import { verifyVault, type VerifyReport } from '../verifyVault.js';
import { readMetaRow } from '../vault/header.js';

export type BackupReport = {
  dest: string;
  blobsCopied: number;
  blobsAlreadyThere: number;
  blobsRemoved: number;
  bytesCopied: number;
  verify: VerifyReport;
};

const PARTIAL_DB = 'vault.db.partial';

type BlobRow = { blob_id: string; sealed_size: number };

/** A backup folder is either new and empty, or an earlier backup of this same vault. */
function assertUsableDestination(dest: VaultPaths, vaultId: string): void {
  if (!fs.existsSync(dest.dir)) return;
  if (!fs.statSync(dest.dir).isDirectory()) throw new VaultError('INVALID_INPUT', `${dest.dir} is not a folder`);
  const entries = fs.readdirSync(dest.dir).filter((name) => name !== PARTIAL_DB);
  if (entries.length === 0) return;
  if (!fs.existsSync(dest.dbPath)) throw new VaultError('VAULT_EXISTS', `${dest.dir} is not empty and holds no backup; choose an empty folder`);
  let existingId: string | undefined;
  try {
    const db = new Database(dest.dbPath, { readonly: true, fileMustExist: true });
    try {
      existingId = readMetaRow(db)?.vaultId;
    } finally {
      db.close();
    }
  } catch {
    existingId = undefined;
  }
  if (existingId !== vaultId) throw new VaultError('VAULT_EXISTS', `${dest.dir} holds a backup of another vault; choose another folder`);
}

async function copyFileSynced(source: string, target: string): Promise<number> {
  await fs.promises.copyFile(source, target, fs.constants.COPYFILE_EXCL);
  const handle = await fs.promises.open(target, 'r+');
  try {
    await handle.sync();
    return (await handle.stat()).size;
  } finally {
    await handle.close();
  }
}

/** Copies SessionKeys so the backup can be verified in this process without the passphrase. */
function copyKeys(session: VaultSession): SessionKeys {
  const names = ['masterKey', 'signingSecretKey', 'headerMacKey', 'auditKey', 'dedupKey'] as const;
  return Object.fromEntries(names.map((name) => [name, new Uint8Array(session.key(name))])) as SessionKeys;
}

/** Decrypts and checks everything in the backup with this session's keys. */
export async function verifyCopyOfVault(session: VaultSession, dir: string, onProgress?: ProgressListener): Promise<VerifyReport> {
  const paths = vaultPaths(dir);
  const copy = new VaultSession(paths, session.vaultId, session.signingPublicKey, openDatabase(paths.dbPath, { create: false }), copyKeys(session), session.platform, {
    unlockedSlotId: session.unlockInfo.unlockedSlotId,
    failedAttemptsBefore: 0,
  });
  try {
    return await verifyVault(copy, onProgress);
  } finally {
    copy.lock();
    // Back to a standalone file, so the backup folder holds no WAL or SHM once we are done.
    const db = new Database(paths.dbPath);
    db.pragma('journal_mode = DELETE');
    db.close();
  }
}

/**
 * Takes a consistent snapshot while the vault stays in use: SQLite's online backup API for the
 * database, then every blob the snapshot names (blobs never change once written, so one already in
 * the destination is kept). The new database replaces the old one by an atomic rename only after
 * every blob it needs is in place; until then the previous backup stays whole and usable.
 */
export async function backupVault(
  session: VaultSession,
  destDir: string,
  options: { onProgress?: ProgressListener; signal?: AbortSignal } = {},
): Promise<BackupReport> {
  const dest = vaultPaths(destDir);
  if (dest.dir === session.paths.dir) throw new VaultError('INVALID_INPUT', 'a backup cannot be written into the vault itself');
  assertUsableDestination(dest, session.vaultId);
  const checkCancelled = () => {
    if (options.signal?.aborted) throw new VaultError('CANCELLED', 'the backup was cancelled; the previous backup is unchanged');
  };
  fs.mkdirSync(dest.blobDir, { recursive: true, mode: 0o700 });
  const partialPath = path.join(dest.dir, PARTIAL_DB);
  removeQuietly(partialPath);
  const release = session.holdBlobRemovals();
  try {
    await session.db.backup(partialPath);
    const snapshot = new Database(partialPath);
    let blobs: BlobRow[];
    try {
      // A standalone file: no WAL to travel with it.
      snapshot.pragma('journal_mode = DELETE');
      blobs = snapshot.prepare('SELECT blob_id, sealed_size FROM blobs ORDER BY blob_id').all() as BlobRow[];
    } finally {
      snapshot.close();
    }
    let blobsCopied = 0;
    let blobsAlreadyThere = 0;
    let bytesCopied = 0;
    const totalBytes = blobs.reduce((sum, blob) => sum + blob.sealed_size, 0);
    for (const blob of blobs) {
      checkCancelled();
      const target = blobPath(dest, blob.blob_id);
      if (fs.existsSync(target) && fs.statSync(target).size === blob.sealed_size) {
        blobsAlreadyThere += 1;
      } else {
        const incoming = path.join(dest.blobDir, `${BLOB_TEMP_PREFIX}${blob.blob_id}`);
        removeQuietly(incoming);
        bytesCopied += await copyFileSynced(blobPath(session.paths, blob.blob_id), incoming);
        // Renamed now: to the old database it is an orphan, which opening the old backup would sweep.
        fs.renameSync(incoming, target);
        blobsCopied += 1;
      }
      options.onProgress?.({ done: bytesCopied, total: totalBytes, phase: 'copying blobs' });
    }
    fsyncDirectory(dest.blobDir);
    checkCancelled();
    const syncHandle = fs.openSync(partialPath, 'r+');
    fs.fsyncSync(syncHandle);
    fs.closeSync(syncHandle);
    // A WAL left by an earlier open of the old backup must never be replayed onto the new file.
    removeQuietly(`${dest.dbPath}-wal`);
    removeQuietly(`${dest.dbPath}-shm`);
    fs.renameSync(partialPath, dest.dbPath);
    fsyncDirectory(dest.dir);
    const wanted = new Set(blobs.map((blob) => blob.blob_id));
    let blobsRemoved = 0;
    for (const name of fs.readdirSync(dest.blobDir)) {
      if (!wanted.has(name)) {
        removeQuietly(path.join(dest.blobDir, name));
        blobsRemoved += 1;
      }
    }
    options.onProgress?.({ done: 0, total: null, phase: 'verifying' });
    const verify = await verifyCopyOfVault(session, dest.dir, options.onProgress);
    return { dest: dest.dir, blobsCopied, blobsAlreadyThere, blobsRemoved, bytesCopied, verify };
  } catch (error) {
    removeQuietly(partialPath);
    throw error;
  } finally {
    release();
  }
}
