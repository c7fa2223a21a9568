import { migration0001Initial } from './0001-initial.js';
import type { Migration } from './migration.js';

/** Ordered; append only. Each file has its own test under tests/core/vault/migrations/. */
export const MIGRATIONS: readonly Migration[] = [migration0001Initial];
export const LATEST_SCHEMA_VERSION = MIGRATIONS.length;
