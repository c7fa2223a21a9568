import { z } from 'zod';
import { digestOfEntries, readAuditDigest } from '../audit/auditDigest.js';
import { appendAuditEntry } from '../audit/auditLog.js';
import type { AuditEntry } from '../audit/auditEntry.js';
import {
  MinisignError, minisignKeyIdHex, minisignPublicKeyBase64, openField, parseMinisignPublicKey, randomId, sealField,
} from '../crypto/index.js';
import type { VaultSession } from '../vault/VaultSession.js';
import { MergeError } from './MergeError.js';

/** A vault whose transfer bundles this vault merges, named by its minisign key (`tvault identity --minisign-pub`). */
export type TrustedSender = {
  senderId: string;
  keyId: string;
  publicKey: string;
  label: string;
  addedAt: string;
  /** The signed audit log agrees that this key was added and not removed since (a row put back by hand is not). */
  confirmed: boolean;
};

const EntrySchema = z.object({ keyId: z.string(), publicKey: z.string(), label: z.string(), addedAt: z.string() }).strict();
const MAX_LABEL_CHARS = 200;

function entryContext(session: VaultSession, senderId: string) {
  return { vaultId: session.vaultId, recordId: senderId, field: 'trustedSender.entry', recordVersion: 1 };
}

/** A label as stored: trimmed, 1 to 200 characters. */
export function checkSenderLabel(label: string): string {
  const clean = label.trim();
  if (clean.length === 0 || clean.length > MAX_LABEL_CHARS) throw new MergeError('INVALID_OPTIONS', `a sender label must have 1 to ${MAX_LABEL_CHARS} characters`);
  return clean;
}

/** A `.pub` file's text or the bare `RW…` line, as minisign prints them. */
export function parseSenderKey(text: string): { keyId: string; publicKey: string } {
  try {
    const key = parseMinisignPublicKey(text.trim());
    return { keyId: minisignKeyIdHex(key.keyId), publicKey: minisignPublicKeyBase64(key) };
  } catch (error) {
    if (error instanceof MinisignError) throw new MergeError('SENDER_KEY_MALFORMED', 'not a minisign public key (give the .pub file or its RW… line)');
    throw error;
  }
}

/**
 * Every row, decrypted. A row that does not open was not written by this vault: it is skipped, never
 * trusted. Trust comes from the given audit entries (verify), else from the log's digest.
 */
export function listTrustedSenders(session: VaultSession, auditEntries?: readonly AuditEntry[]): TrustedSender[] {
  const rows = session.db.prepare('SELECT sender_id, entry_ciphertext FROM trusted_senders ORDER BY rowid').all() as { sender_id: string; entry_ciphertext: Uint8Array }[];
  const audited = (auditEntries ? digestOfEntries(auditEntries) : readAuditDigest(session, { save: false })).trust;
  const senders: TrustedSender[] = [];
  for (const row of rows) {
    let entry: z.infer<typeof EntrySchema>;
    try {
      const plain = openField(session.key('masterKey'), row.entry_ciphertext, entryContext(session, row.sender_id));
      entry = EntrySchema.parse(JSON.parse(new TextDecoder().decode(plain)));
    } catch {
      session.platform.logger.warn('trust.row_unreadable');
      continue;
    }
    senders.push({ senderId: row.sender_id, ...entry, confirmed: audited.get(entry.publicKey) === true });
  }
  return senders;
}

/** The confirmed entry for this exact public key (`RW…`), or null. Key ids alone are never compared: anyone can choose one. */
export function findTrustedSender(session: VaultSession, publicKey: string): TrustedSender | null {
  return listTrustedSenders(session).find((sender) => sender.publicKey === publicKey && sender.confirmed) ?? null;
}

/**
 * Trusts a sender's key from now on; the label (who or which team, encrypted) is for people.
 * Recorded in the audit log with the key only. Adding a key that is already trusted changes nothing.
 * Runs in the caller's transaction when there is one (a merge with `trust: true`).
 */
export function addTrustedSender(session: VaultSession, publicKeyText: string, label: string, details: Record<string, string> = {}): TrustedSender {
  const key = parseSenderKey(publicKeyText);
  const cleanLabel = checkSenderLabel(label);
  return session.db.transaction(() => {
    const existing = findTrustedSender(session, key.publicKey);
    if (existing) return existing;
    const senderId = randomId();
    const entry = { keyId: key.keyId, publicKey: key.publicKey, label: cleanLabel, addedAt: session.platform.now().toISOString() };
    session.db.prepare('INSERT INTO trusted_senders (sender_id, entry_ciphertext) VALUES (?, ?)').run(
      senderId, sealField(session.key('masterKey'), JSON.stringify(entry), entryContext(session, senderId)),
    );
    appendAuditEntry(session, { action: 'trust.add', details: { keyId: key.keyId, publicKey: key.publicKey, ...details } });
    return { senderId, ...entry, confirmed: true };
  })();
}

/** Stops trusting a key, given as its `RW…` key, `.pub` text or 16-hex key id. Returns how many entries went. */
export function removeTrustedSender(session: VaultSession, keyOrKeyId: string): number {
  const wanted = /^[0-9A-Fa-f]{16}$/.test(keyOrKeyId.trim()) ? { keyId: keyOrKeyId.trim().toUpperCase() } : { publicKey: parseSenderKey(keyOrKeyId).publicKey };
  return session.db.transaction(() => {
    const matches = listTrustedSenders(session).filter((sender) => ('keyId' in wanted ? sender.keyId === wanted.keyId : sender.publicKey === wanted.publicKey));
    for (const sender of matches) session.db.prepare('DELETE FROM trusted_senders WHERE sender_id = ?').run(sender.senderId);
    for (const publicKey of new Set(matches.map((sender) => sender.publicKey))) {
      const keyId = matches.find((sender) => sender.publicKey === publicKey)?.keyId ?? '';
      appendAuditEntry(session, { action: 'trust.remove', details: { keyId, publicKey } });
    }
    return matches.length;
  })();
}
