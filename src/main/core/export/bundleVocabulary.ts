/**
 * The consent scopes and person roles as a bundle names them. Repeated here (a test keeps them equal
 * to records/) so the offline viewer does not pull the record schemas, and all of zod, into its page.
 */
export const BUNDLE_CONSENT_SCOPES = ['un-mechanism', 'icc', 'national-prosecution', 'ngo', 'public'] as const;
/** An unredacted bundle between vaults of the same organisation (docs/MERGE.md); never a consent scope. */
export const TRANSFER_PROFILE = 'transfer';
/** What a bundle manifest may name: a consent scope (a redacted export) or `transfer`. */
export const BUNDLE_PROFILES = [...BUNDLE_CONSENT_SCOPES, TRANSFER_PROFILE] as const;
export const BUNDLE_PERSON_ROLES = ['witness', 'victim', 'missing', 'perpetrator'] as const;
