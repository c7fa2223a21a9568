/**
 * The consent scopes and person roles as a bundle names them. Repeated here (a test keeps them equal
 * to records/) so the offline viewer does not pull the record schemas, and all of zod, into its page.
 */
export const BUNDLE_PROFILES = ['un-mechanism', 'icc', 'national-prosecution', 'ngo', 'public'] as const;
export const BUNDLE_PERSON_ROLES = ['witness', 'victim', 'missing', 'perpetrator'] as const;
