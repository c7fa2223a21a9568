import type { VaultSession } from '../vault/VaultSession.js';
import { loadRedactionSubject } from './redactionSubjectOf.js';
import type { RedactionPlan } from './redactionPlanSchema.js';
import { suggestRedactions } from './suggestRedactions.js';

/**
 * A draft plan for a testimony: every suggestion accepted, with how often it occurs. The documenter
 * reviews it (UI, or `tvault redaction suggest` then an editor), and saves it or passes it to the export.
 */
export function suggestRedactionPlan(session: VaultSession, testimonyId: string): RedactionPlan {
  return suggestRedactions(loadRedactionSubject(session, testimonyId)).plan;
}
