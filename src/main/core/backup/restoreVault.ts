import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { VaultError } from '../errors.js';
import { fsyncDirectory } from '../media/blobFiles.js';
import type { ProgressListener } from '../platform.js';
import { BLOB_TEMP_PREFIX, blobPath, vaultPaths } from '../vault/vaultPaths.js';

export type RestoreReport = { dir: string; blobs: number; bytes: number };

/**
 * Restores a backup folder into a new vault folder: the database through SQLite's backup API (so a
 * half-written file is never left in place), then every blob it names. Nothing is decrypted here;
 * the caller unlocks the result and runs verify.
 */
export async function restoreVault(backupDir: string, targetDir: string, options: { onProgress?: ProgressListener; signal?: AbortSignal } = {}): Promise<RestoreReport> {
  const { onProgress, signal } = options;
  const backup = vaultPaths(backupDir);
  const target = vaultPaths(targetDir);
  if (!fs.existsSync(backup.dbPath)) throw new VaultError('VAULT_NOT_FOUND', `no backup at ${backup.dir}`);
  if (fs.existsSync(target.dir) && (!fs.statSync(target.dir).isDirectory() || fs.readdirSync(target.dir).length > 0)) {
    throw new VaultError('VAULT_EXISTS', `${target.dir} is not an empty folder; restore into a new one`);
  }
  fs.mkdirSync(target.blobDir, { recursive: true, mode: 0o700 });
  const partialPath = path.join(target.dir, 'vault.db.partial');
  try {
    const source = new Database(backup.dbPath, { readonly: true, fileMustExist: true });
    let blobs: { blob_id: string; sealed_size: number }[];
    try {
      blobs = source.prepare('SELECT blob_id, sealed_size FROM blobs ORDER BY blob_id').all() as typeof blobs;
      await source.backup(partialPath);
    } catch (cause) {
      throw new VaultError('VAULT_CORRUPT', `the backup database cannot be read: ${(cause as Error).message}`, { cause });
    } finally {
      source.close();
    }
    const total = blobs.reduce((sum, blob) => sum + blob.sealed_size, 0);
    let bytes = 0;
    for (const blob of blobs) {
      if (signal?.aborted) throw new VaultError('CANCELLED', 'the restore was cancelled; nothing was restored');
      const from = blobPath(backup, blob.blob_id);
      if (!fs.existsSync(from)) throw new VaultError('VAULT_CORRUPT', `the backup is missing blob ${blob.blob_id}`);
      const incoming = path.join(target.blobDir, `${BLOB_TEMP_PREFIX}${blob.blob_id}`);
      await fs.promises.copyFile(from, incoming, fs.constants.COPYFILE_EXCL);
      const handle = await fs.promises.open(incoming, 'r+');
      await handle.sync();
      await handle.close();
      fs.renameSync(incoming, blobPath(target, blob.blob_id));
      bytes += blob.sealed_size;
      onProgress?.({ done: bytes, total, phase: 'restoring blobs' });
    }
    fsyncDirectory(target.blobDir);
    const handle = fs.openSync(partialPath, 'r+');
    fs.fsyncSync(handle);
    fs.closeSync(handle);
    fs.renameSync(partialPath, target.dbPath);
    fsyncDirectory(target.dir);
    return { dir: target.dir, blobs: blobs.length, bytes };
  } catch (error) {
    // The folder was new or empty: leave it that way, so the restore can simply be run again.
    fs.rmSync(target.dir, { recursive: true, force: true });
    throw error;
  }
}
