import { migration0001Initial } from './0001-initial.js';
import { migration0002Export } from './0002-export.js';
import { migration0003KeySlots } from './0003-key-slots.js';
import { migration0004TrustedSenders } from './0004-trusted-senders.js';
import { migration0005RecordBranches } from './0005-record-branches.js';
import { migration0006AuditDigest } from './0006-audit-digest.js';
import type { Migration } from './migration.js';

/** Ordered; append only. Each file has its own test under tests/core/vault/migrations/. */
export const MIGRATIONS: readonly Migration[] = [
  migration0001Initial, migration0002Export, migration0003KeySlots, migration0004TrustedSenders, migration0005RecordBranches, migration0006AuditDigest,
];
export const LATEST_SCHEMA_VERSION = MIGRATIONS.length;
