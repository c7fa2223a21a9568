import type Database from 'better-sqlite3';
import { constantTimeEqual, keyedDigest, toBase64, type SecretKey } from '../crypto/index.js';
import { VaultError } from '../errors.js';

/** Everything in vault_meta and key_slots; authenticated as one unit by `header_mac`. */
export type VaultHeader = {
  vaultId: string;
  formatVersion: number;
  signingPublicKey: Uint8Array;
  wrappedSigningKey: Uint8Array;
  auditHeadSeq: number;
  auditHeadHash: Uint8Array;
};

export type KeySlotRow = {
  slot_id: string;
  kind: 'passphrase' | 'recovery';
  kdf_params_json: string;
  wrapped_master_key: Uint8Array;
};

type MetaRow = {
  vault_id: string;
  format_version: number;
  signing_public_key: Uint8Array;
  wrapped_signing_key: Uint8Array;
  audit_head_seq: number;
  audit_head_hash: Uint8Array;
  header_mac: Uint8Array;
};

/** A byte changed on disk can turn a column into another SQLite type: refuse clearly, before any key or MAC code sees it. */
function malformed(what: string): VaultError {
  return new VaultError('VAULT_CORRUPT', `the vault header is malformed (${what} has the wrong type): it was changed outside the app`);
}

export function readMetaRow(db: Database.Database): (VaultHeader & { headerMac: Uint8Array }) | undefined {
  const row = db.prepare('SELECT * FROM vault_meta WHERE singleton = 1').get() as MetaRow | undefined;
  if (!row) return undefined;
  if (typeof row.vault_id !== 'string' || typeof row.format_version !== 'number' || typeof row.audit_head_seq !== 'number') throw malformed('vault_meta');
  for (const bytes of [row.signing_public_key, row.wrapped_signing_key, row.audit_head_hash, row.header_mac]) if (!(bytes instanceof Uint8Array)) throw malformed('vault_meta');
  return {
    vaultId: row.vault_id,
    formatVersion: row.format_version,
    signingPublicKey: row.signing_public_key,
    wrappedSigningKey: row.wrapped_signing_key,
    auditHeadSeq: row.audit_head_seq,
    auditHeadHash: row.audit_head_hash,
    headerMac: row.header_mac,
  };
}

export function readKeySlots(db: Database.Database): KeySlotRow[] {
  const rows = db.prepare('SELECT slot_id, kind, kdf_params_json, wrapped_master_key FROM key_slots ORDER BY slot_id').all() as KeySlotRow[];
  for (const row of rows) {
    if (typeof row.slot_id !== 'string' || typeof row.kind !== 'string' || typeof row.kdf_params_json !== 'string' || !(row.wrapped_master_key instanceof Uint8Array)) throw malformed('a key slot');
  }
  return rows;
}

function headerMacMessage(header: VaultHeader, slots: KeySlotRow[]): string {
  return JSON.stringify({
    header: [
      header.vaultId,
      header.formatVersion,
      toBase64(header.signingPublicKey),
      toBase64(header.wrappedSigningKey),
      header.auditHeadSeq,
      toBase64(header.auditHeadHash),
    ],
    slots: slots.map((slot) => [slot.slot_id, slot.kind, slot.kdf_params_json, toBase64(slot.wrapped_master_key)]),
  });
}

/** Writes vault_meta with a fresh MAC over it and every key slot. Call inside the caller's transaction. */
export function writeHeader(db: Database.Database, header: VaultHeader, headerMacKey: SecretKey): void {
  const mac = keyedDigest(headerMacKey, headerMacMessage(header, readKeySlots(db)));
  db.prepare(
    `INSERT INTO vault_meta (singleton, vault_id, format_version, signing_public_key, wrapped_signing_key, audit_head_seq, audit_head_hash, header_mac)
     VALUES (1, @vaultId, @formatVersion, @signingPublicKey, @wrappedSigningKey, @auditHeadSeq, @auditHeadHash, @mac)
     ON CONFLICT (singleton) DO UPDATE SET vault_id = excluded.vault_id, format_version = excluded.format_version,
       signing_public_key = excluded.signing_public_key, wrapped_signing_key = excluded.wrapped_signing_key,
       audit_head_seq = excluded.audit_head_seq, audit_head_hash = excluded.audit_head_hash, header_mac = excluded.header_mac`,
  ).run({ ...header, mac });
}

/** Reads the header and checks its MAC; any change to meta or slots since the last write is tampering. */
export function readVerifiedHeader(db: Database.Database, headerMacKey: SecretKey): VaultHeader {
  const row = readMetaRow(db);
  if (!row) throw new VaultError('VAULT_CORRUPT', 'the vault header is missing');
  const { headerMac, ...header } = row;
  const expected = keyedDigest(headerMacKey, headerMacMessage(header, readKeySlots(db)));
  if (!constantTimeEqual(expected, headerMac)) {
    throw new VaultError('VAULT_CORRUPT', 'the vault header failed authentication: it was altered outside this app');
  }
  return header;
}
