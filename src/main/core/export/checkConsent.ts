import { CONSENT_SCOPES, type Consent } from '../records/testimonySchema.js';

/** Export profiles are the consent scopes: a testimony goes only where its source agreed it may go. */
export const EXPORT_PROFILES = CONSENT_SCOPES;
export type ExportProfile = (typeof CONSENT_SCOPES)[number];
export type ConsentRefusalCode = 'CONSENT_WITHDRAWN' | 'CONSENT_SCOPE';

export type ConsentDecision =
  | { ok: true; anonymise: boolean; fullAnonymisation: boolean; mediaAllowed: boolean }
  | { ok: false; code: ConsentRefusalCode; reason: string };

export function isExportProfile(value: string): value is ExportProfile {
  return (CONSENT_SCOPES as readonly string[]).includes(value);
}

/** The per-item gate: withdrawn consent and profiles outside the consented scopes are refused; `public` always anonymises. */
export function checkConsent(consent: Consent, profile: ExportProfile): ConsentDecision {
  if (consent.withdrawn) return { ok: false, code: 'CONSENT_WITHDRAWN', reason: 'consent was withdrawn' };
  if (!consent.scopes.includes(profile)) {
    const scopes = consent.scopes.length > 0 ? consent.scopes.join(', ') : 'none';
    return { ok: false, code: 'CONSENT_SCOPE', reason: `consent covers ${scopes}, not ${profile}` };
  }
  const fullAnonymisation = profile === 'public';
  return { ok: true, anonymise: consent.anonymity || fullAnonymisation, fullAnonymisation, mediaAllowed: consent.mediaUse };
}
