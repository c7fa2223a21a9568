import { z } from 'zod';
import type { MediaFields } from './mediaSchema.js';

const keyId = z.string().regex(/^[0-9A-F]{16}$/, 'must be a minisign key id');
const recordId = z.string().regex(/^[0-9a-f]{32}$/, 'must be an id');
const sha256 = z.string().regex(/^[0-9a-f]{64}$/, 'must be a SHA-256');
const instant = z.string().regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{3})?Z$/, 'must be an ISO time');

/**
 * One link in a media item's chain of custody, machine-readable. Vaults are named by their signing
 * key id (the minisign key id of their exports), never by a person. `intake` repeats the facts taken
 * when the file came in; `transfer.sent` and `transfer.received` are added by transfer and merge.
 */
export const CustodyEventSchema = z.discriminatedUnion('event', [
  z.object({
    event: z.literal('intake'), at: instant, vaultKeyId: keyId, custodian: z.string().max(10_000), originalName: z.string().max(4096),
    sha256, sizeBytes: z.number().int().min(0),
  }).strict(),
  z.object({
    event: z.literal('transfer.sent'), at: instant, vaultKeyId: keyId, bundleId: recordId,
    recipients: z.array(z.string().regex(/^sha256:[0-9a-f]{64}$/)).min(1).max(64),
  }).strict(),
  z.object({
    event: z.literal('transfer.received'), at: instant, vaultKeyId: keyId, bundleId: recordId, fromKeyId: keyId, payloadSha256: sha256,
  }).strict(),
]);
export type CustodyEvent = z.infer<typeof CustodyEventSchema>;

/**
 * A media item's custody log. Media taken in here have none stored: their log is the intake itself,
 * rebuilt from the intake fields (so it is the same every time it is sent).
 */
export function custodyLogOf(media: MediaFields, localVaultKeyId: string): CustodyEvent[] {
  if (media.custodyLog && media.custodyLog.length > 0) return media.custodyLog;
  return [{
    event: 'intake', at: media.intakeAt, vaultKeyId: localVaultKeyId, custodian: media.custodian, originalName: media.originalName, sha256: media.sha256, sizeBytes: media.sizeBytes,
  }];
}

/** What makes two events the same link: a media item has one intake, a bundle is sent once and received once per vault. */
export function custodyEventKey(event: CustodyEvent): string {
  switch (event.event) {
    case 'intake': return 'intake';
    case 'transfer.sent': return `sent ${event.bundleId}`;
    case 'transfer.received': return `received ${event.bundleId} ${event.vaultKeyId}`;
  }
}

/** Appends the events `log` lacks, in their order; existing links are never changed or reordered. */
export function appendCustodyEvents(log: readonly CustodyEvent[], events: readonly CustodyEvent[]): { log: CustodyEvent[]; added: number } {
  const seen = new Set(log.map(custodyEventKey));
  const out = [...log];
  for (const event of events) {
    const key = custodyEventKey(event);
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(event);
  }
  return { log: out, added: out.length - log.length };
}
