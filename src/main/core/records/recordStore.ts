import { generateKey, openField, sealField, unwrapKey, wipeKey, wrapKey, type SecretKey } from '../crypto/index.js';
import { VaultError } from '../errors.js';
import type { VaultSession } from '../vault/VaultSession.js';
import { preparedStatement } from '../vault/preparedStatement.js';

export type RecordKind = 'testimony' | 'person' | 'vocabularyTerm' | 'media';
/** JSON-serialisable field values, keyed by field name. */
export type FieldValues = Record<string, unknown>;

export type StoredRecord = {
  recordId: string;
  kind: RecordKind;
  version: number;
  headVersion: number;
  fields: FieldValues;
};

type RecordRow = { record_id: string; kind: RecordKind; head_version: number; wrapped_key: Uint8Array };
type FieldRow = { field: string; ciphertext: Uint8Array };

// A per-version manifest lists the field names, so a deleted or injected field row is detected.
const MANIFEST_FIELD = '_fields';
const decoder = new TextDecoder();

function aadField(kind: RecordKind, field: string): string {
  return `${kind}.${field}`;
}

function recordKeyContext(session: VaultSession, recordId: string) {
  return { vaultId: session.vaultId, purpose: 'record', ownerId: recordId };
}

function withRecordKey<T>(session: VaultSession, row: RecordRow, use: (key: SecretKey) => T): T {
  const key = unwrapKey(session.key('masterKey'), row.wrapped_key, recordKeyContext(session, row.record_id));
  try {
    return use(key);
  } finally {
    wipeKey(key);
  }
}

function writeVersion(session: VaultSession, key: SecretKey, row: Pick<RecordRow, 'record_id' | 'kind'>, version: number, fields: FieldValues): void {
  const insert = session.db.prepare('INSERT INTO record_fields (record_id, version, field, ciphertext) VALUES (?, ?, ?, ?)');
  const names = Object.keys(fields).filter((name) => fields[name] !== undefined).sort();
  const all: [string, unknown][] = [[MANIFEST_FIELD, names], ...names.map((name): [string, unknown] => [name, fields[name]])];
  for (const [name, value] of all) {
    const context = { vaultId: session.vaultId, recordId: row.record_id, field: aadField(row.kind, name), recordVersion: version };
    insert.run(row.record_id, version, name, sealField(key, JSON.stringify(value), context));
  }
}

function recordRow(session: VaultSession, recordId: string): RecordRow | undefined {
  return preparedStatement(session.db, 'SELECT * FROM records WHERE record_id = ?').get(recordId) as RecordRow | undefined;
}

export function requireRecord(session: VaultSession, recordId: string, kind: RecordKind): RecordRow {
  const row = recordRow(session, recordId);
  if (!row || row.kind !== kind) throw new VaultError('NOT_FOUND', `no ${kind} with id ${recordId}`);
  return row;
}

export function recordExists(session: VaultSession, recordId: string, kind: RecordKind): boolean {
  const row = recordRow(session, recordId);
  return row !== undefined && row.kind === kind;
}

/** Creates a record with its own random data key, wrapped by the master key. Call inside a transaction. */
export function createRecord(session: VaultSession, kind: RecordKind, fields: FieldValues, recordId: string): StoredRecord {
  const key = generateKey();
  try {
    const wrapped = wrapKey(session.key('masterKey'), key, recordKeyContext(session, recordId));
    session.db.prepare('INSERT INTO records (record_id, kind, head_version, wrapped_key) VALUES (?, ?, 1, ?)').run(recordId, kind, wrapped);
    writeVersion(session, key, { record_id: recordId, kind }, 1, fields);
    return { recordId, kind, version: 1, headVersion: 1, fields };
  } finally {
    wipeKey(key);
  }
}

/** Writes a new version holding all fields; earlier versions stay, so the original can always be shown. */
export function updateRecord(session: VaultSession, recordId: string, kind: RecordKind, fields: FieldValues): StoredRecord {
  const row = requireRecord(session, recordId, kind);
  const version = row.head_version + 1;
  withRecordKey(session, row, (key) => writeVersion(session, key, row, version, fields));
  session.db.prepare('UPDATE records SET head_version = ? WHERE record_id = ?').run(version, recordId);
  return { recordId, kind, version, headVersion: version, fields };
}

function decryptVersion(session: VaultSession, key: SecretKey, row: RecordRow, version: number): FieldValues {
  const rows = session.db
    .prepare('SELECT field, ciphertext FROM record_fields WHERE record_id = ? AND version = ?')
    .all(row.record_id, version) as FieldRow[];
  const values = new Map<string, unknown>();
  for (const fieldRow of rows) {
    const context = { vaultId: session.vaultId, recordId: row.record_id, field: aadField(row.kind, fieldRow.field), recordVersion: version };
    values.set(fieldRow.field, JSON.parse(decoder.decode(openField(key, fieldRow.ciphertext, context))));
  }
  const manifest = values.get(MANIFEST_FIELD);
  if (!Array.isArray(manifest)) throw new VaultError('AUTH_FAILED', `record ${row.record_id} v${version} has no field manifest`);
  values.delete(MANIFEST_FIELD);
  const expected = [...manifest].sort().join('\n');
  const present = [...values.keys()].sort().join('\n');
  if (expected !== present) throw new VaultError('AUTH_FAILED', `record ${row.record_id} v${version} has missing or extra fields`);
  return Object.fromEntries(values);
}

export function readRecord(session: VaultSession, recordId: string, kind: RecordKind, version?: number): StoredRecord {
  const row = requireRecord(session, recordId, kind);
  const wanted = version ?? row.head_version;
  if (!Number.isInteger(wanted) || wanted < 1 || wanted > row.head_version) {
    throw new VaultError('NOT_FOUND', `${kind} ${recordId} has no version ${wanted}`);
  }
  const fields = withRecordKey(session, row, (key) => decryptVersion(session, key, row, wanted));
  return { recordId, kind, version: wanted, headVersion: row.head_version, fields };
}

/**
 * Lets `use` decrypt fields of one version (the head by default) by name, each only when asked for
 * (an absent one gives undefined), under one unwrapped record key, wiped when `use` returns. For
 * reads that may not need every field they could: a search hit's snippet rarely needs the summary.
 * Unlike full reads and verify, this does not check the field manifest.
 */
export function withFieldReader<T>(session: VaultSession, recordId: string, kind: RecordKind, use: (read: (name: string) => unknown) => T, version?: number): T {
  const row = requireRecord(session, recordId, kind);
  const wanted = version ?? row.head_version;
  const select = preparedStatement(session.db, 'SELECT ciphertext FROM record_fields WHERE record_id = ? AND version = ? AND field = ?');
  return withRecordKey(session, row, (key) => {
    let open = true;
    try {
      return use((name) => {
        if (!open) throw new Error(`field ${name} of ${recordId} read after its key was wiped`);
        const found = select.get(recordId, wanted, name) as { ciphertext: Uint8Array } | undefined;
        if (!found) return undefined;
        const context = { vaultId: session.vaultId, recordId, field: aadField(kind, name), recordVersion: wanted };
        return JSON.parse(decoder.decode(openField(key, found.ciphertext, context))) as unknown;
      });
    } finally {
      open = false;
    }
  });
}

/**
 * Decrypts only the named fields of one version (absent ones are left out): for scans that need a
 * small field of many records and must not decrypt every transcript.
 */
export function readSomeFields(session: VaultSession, recordId: string, kind: RecordKind, names: readonly string[], version?: number): FieldValues {
  return withFieldReader(
    session,
    recordId,
    kind,
    (read) => {
      const values: FieldValues = {};
      for (const name of names) {
        const value = read(name);
        if (value !== undefined) values[name] = value;
      }
      return values;
    },
    version,
  );
}

/** Decrypts every version of a record; used by verify. Throws on the first failure. */
export function readAllVersions(session: VaultSession, recordId: string): StoredRecord[] {
  const row = recordRow(session, recordId);
  if (!row) throw new VaultError('NOT_FOUND', `no record with id ${recordId}`);
  const versions = (session.db.prepare('SELECT DISTINCT version FROM record_fields WHERE record_id = ? ORDER BY version').all(recordId) as { version: number }[]).map((v) => v.version);
  const expected = Array.from({ length: row.head_version }, (_, i) => i + 1).join(',');
  if (versions.join(',') !== expected) throw new VaultError('AUTH_FAILED', `record ${recordId} has versions [${versions.join(',')}] but its head is v${row.head_version}`);
  return withRecordKey(session, row, (key) =>
    versions.map((version) => ({ recordId, kind: row.kind, version, headVersion: row.head_version, fields: decryptVersion(session, key, row, version) })),
  );
}

export function listRecordIds(session: VaultSession, kind?: RecordKind): string[] {
  const rows = kind
    ? (session.db.prepare('SELECT record_id FROM records WHERE kind = ? ORDER BY rowid').all(kind) as { record_id: string }[])
    : (session.db.prepare('SELECT record_id FROM records ORDER BY rowid').all() as { record_id: string }[]);
  return rows.map((row) => row.record_id);
}

export function listVersionNumbers(session: VaultSession, recordId: string): number[] {
  const rows = session.db.prepare('SELECT DISTINCT version FROM record_fields WHERE record_id = ? ORDER BY version').all(recordId) as { version: number }[];
  return rows.map((row) => row.version);
}

/**
 * Crypto-shreds a record: its wrapped key and every field row are deleted (secure_delete zeroes the
 * pages). Without the key, any copy of the ciphertext left elsewhere is unreadable.
 */
export function deleteRecord(session: VaultSession, recordId: string, kind: RecordKind): void {
  requireRecord(session, recordId, kind);
  session.db.prepare('DELETE FROM records WHERE record_id = ?').run(recordId);
}
