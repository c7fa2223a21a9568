import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { exportTransferBundle, type TransferExportOptions, type TransferExportReport } from '../../../src/main/core/export/exportTransferBundle.js';
import { readAllVersions, type FieldValues } from '../../../src/main/core/records/recordStore.js';
import type { TestimonyFields } from '../../../src/main/core/records/testimonySchema.js';
import type { VaultService } from '../../../src/main/core/VaultService.js';

export async function transferTo(service: VaultService, options: Omit<TransferExportOptions, 'appVersion'>): Promise<TransferExportReport> {
  return exportTransferBundle(service.sessionForCore, { appVersion: '0.1.0-test', ...options });
}

/** SHA-256 of every file under a vault folder (vault.db, its WAL, every blob), by relative path: equal snapshots mean nothing was written. */
export function vaultSnapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (current: string) => {
    for (const name of fs.readdirSync(current).sort()) {
      const full = path.join(current, name);
      if (fs.lstatSync(full).isDirectory()) walk(full);
      else out[path.relative(dir, full)] = createHash('sha256').update(fs.readFileSync(full)).digest('hex');
    }
  };
  walk(dir);
  return out;
}

/**
 * Every version of a testimony as a vault-independent value: vocabulary ids replaced by the term's
 * English label (seeded terms have different ids in every vault).
 */
export function portableHistory(service: VaultService, testimonyId: string): FieldValues[] {
  const labels = new Map(service.listVocabulary().map((term) => [term.id, term.labelEn ?? term.labelAr ?? '']));
  const label = (ids: string[]) => ids.map((id) => labels.get(id) ?? `unknown ${id}`);
  return readAllVersions(service.sessionForCore, testimonyId).map(({ fields }) => {
    const testimony = fields as TestimonyFields;
    return { ...testimony, facilityIds: label(testimony.facilityIds), perpetratorUnitIds: label(testimony.perpetratorUnitIds), violationIds: label(testimony.violationIds) };
  });
}

export function personHistory(service: VaultService, personId: string): FieldValues[] {
  return readAllVersions(service.sessionForCore, personId).map(({ fields }) => fields);
}

/** A file of random bytes in `dir`: media whose every byte must survive. */
export function randomFile(dir: string, name: string, size: number): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, randomBytes(size));
  return file;
}

export const sha256File = (file: string): string => createHash('sha256').update(fs.readFileSync(file)).digest('hex');
export const sha256Of = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');
