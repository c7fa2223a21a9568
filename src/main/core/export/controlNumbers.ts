import { readAuditDigest } from '../audit/auditDigest.js';
import type { VaultSession } from '../vault/VaultSession.js';
import { ExportError } from './ExportError.js';

export const DEFAULT_CONTROL_PREFIX = 'TV';
export const CONTROL_PREFIX_PATTERN = /^[A-Z][A-Z0-9]{0,11}$/;
/** `TV-000001`; more digits once a vault passes a million items. */
export const CONTROL_NUMBER_PATTERN = /^[A-Z][A-Z0-9]{0,11}-\d{6,9}$/;

export function formatControlNumber(prefix: string, value: number): string {
  return `${prefix}-${String(value).padStart(6, '0')}`;
}

export function getControlNumberPrefix(session: VaultSession): string {
  const row = session.db.prepare("SELECT value FROM export_settings WHERE name = 'control_prefix'").get() as { value: string } | undefined;
  return row && CONTROL_PREFIX_PATTERN.test(row.value) ? row.value : DEFAULT_CONTROL_PREFIX;
}

/** Sets the Bates prefix. Numbering continues from the same counter, so no number repeats under any prefix. */
export function setControlNumberPrefix(session: VaultSession, prefix: string): void {
  if (!CONTROL_PREFIX_PATTERN.test(prefix)) {
    throw new ExportError('CONTROL_PREFIX_INVALID', 'the control-number prefix must be 1 to 12 upper-case letters or digits, starting with a letter');
  }
  session.db.prepare("INSERT INTO export_settings (name, value) VALUES ('control_prefix', ?) ON CONFLICT (name) DO UPDATE SET value = excluded.value").run(prefix);
}

/**
 * Reserves `count` consecutive numbers above both the counter row and the highest number the signed
 * audit log says was issued (the row is not authenticated; the log's digest catches a rolled-back
 * counter). They are consumed even if the export then fails: a number is never reused.
 */
export function allocateControlNumbers(session: VaultSession, count: number): { prefix: string; values: number[] } {
  return session.db.transaction(() => {
    const row = session.db.prepare('SELECT last_issued FROM control_numbers WHERE singleton = 1').get() as { last_issued: number } | undefined;
    const start = Math.max(row?.last_issued ?? 0, readAuditDigest(session, { save: true }).highestControlValue) + 1;
    const values = Array.from({ length: count }, (_, i) => start + i);
    session.db
      .prepare('INSERT INTO control_numbers (singleton, last_issued) VALUES (1, ?) ON CONFLICT (singleton) DO UPDATE SET last_issued = excluded.last_issued')
      .run(start + count - 1);
    return { prefix: getControlNumberPrefix(session), values };
  })();
}
