import path from 'node:path';

export type VaultPaths = {
  dir: string;
  dbPath: string;
  blobDir: string;
};

export function vaultPaths(dir: string): VaultPaths {
  const absolute = path.resolve(dir);
  return { dir: absolute, dbPath: path.join(absolute, 'vault.db'), blobDir: path.join(absolute, 'blobs') };
}

/** Blob files are named by random id only; temp files carry a prefix the open-time sweep recognises. */
export const BLOB_TEMP_PREFIX = '.incoming-';
export function blobPath(paths: VaultPaths, blobId: string): string {
  return path.join(paths.blobDir, blobId);
}
