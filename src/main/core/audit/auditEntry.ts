import { z } from 'zod';

export const AUDIT_ACTIONS = [
  'vault.create',
  'passphrase.change',
  'key.add',
  'key.remove',
  'key.recovery',
  'vault.recovered',
  'settings.change',
  'backup',
  'testimony.create',
  'testimony.edit',
  'testimony.delete',
  'person.create',
  'person.edit',
  'person.delete',
  'vocabulary.add',
  'media.attach',
  'media.delete',
  'export',
  'redaction.plan',
  'trust.add',
  'trust.remove',
  'merge',
] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

/** What an entry says. Ids and counts only: an entry never holds a name or testimony text. */
export const AuditEntrySchema = z
  .object({
    seq: z.number().int().min(1),
    at: z.string(),
    action: z.enum(AUDIT_ACTIONS),
    recordId: z.string().optional(),
    version: z.number().int().optional(),
    details: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).optional(),
  })
  .strict();
export type AuditEntry = z.infer<typeof AuditEntrySchema>;
export type NewAuditEntry = Omit<AuditEntry, 'seq' | 'at'>;
