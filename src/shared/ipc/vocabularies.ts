/**
 * Closed lists the contract shares with core. Shared code may not import core, so these are
 * copies; tests/electron/contractParity.test.ts fails when they drift apart.
 */
export const PERSON_ROLES = ['witness', 'victim', 'missing', 'perpetrator'] as const;
export const GENDERS = ['female', 'male', 'other', 'unknown'] as const;
export const CONSENT_SCOPES = ['un-mechanism', 'icc', 'national-prosecution', 'ngo', 'public'] as const;
export const TESTIMONY_STATUSES = ['draft', 'in-review', 'verified', 'archived'] as const;
export const SENSITIVITY_LEVELS = ['normal', 'high', 'critical'] as const;
export const VOCABULARY_SCHEMES = ['facility', 'perpetratorUnit', 'violation'] as const;
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

/** Same bounds as core's testimony schema. */
export const MAX_TRANSCRIPT_CHARS = 5_000_000;
export const MAX_SUMMARY_CHARS = 100_000;
/** Core counts at most 1024 code points; one code point is at most two UTF-16 units. */
export const MAX_PASSPHRASE_UNITS = 2048;
export const MAX_SEARCH_QUERY_CHARS = 1000;
