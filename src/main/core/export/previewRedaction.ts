import { getTestimony } from '../records/testimonies.js';
import type { VaultSession } from '../vault/VaultSession.js';
import { checkConsent, type ExportProfile } from './checkConsent.js';
import { ExportError } from './ExportError.js';
import { defaultRedactor } from '../redaction/applyRedactions.js';
import { parseRedactionPlan } from '../redaction/parseRedactionPlan.js';
import { PseudonymRegistry } from '../redaction/PseudonymRegistry.js';
import type { RedactedText } from '../redaction/RedactedText.js';
import { loadRedactionPlan } from '../redaction/redactionPlans.js';
import type { RedactionEvent } from '../redaction/redactionRules.js';
import { loadRedactionSubject } from '../redaction/redactionSubjectOf.js';
import { resolveRedactionRules } from '../redaction/resolveRedactionRules.js';
import { suggestRedactions } from '../redaction/suggestRedactions.js';

export type RedactionPreview = {
  anonymised: boolean;
  title: RedactedText;
  summary: RedactedText;
  transcript: RedactedText;
  events: RedactionEvent[];
  warnings: string[];
};

/**
 * What the export would make of one testimony's main text under `profile`, for review before
 * exporting. Pseudonym numbers are those of a one-testimony bundle; in a larger bundle they may
 * differ (they are stable within a bundle, not across bundles). Refuses as the export would.
 */
export function previewRedaction(session: VaultSession, testimonyId: string, profile: ExportProfile, planInput?: unknown): RedactionPreview {
  const consent = checkConsent(getTestimony(session, testimonyId).consent, profile);
  if (!consent.ok) throw new ExportError('ITEMS_REFUSED', `${testimonyId} ${consent.code}: ${consent.reason}`);
  const subject = loadRedactionSubject(session, testimonyId);
  const { generated } = suggestRedactions(subject, { countOccurrences: false });
  const registry = new PseudonymRegistry();
  for (const suggestion of generated) {
    if (!suggestion.owner) continue;
    const pseudonym = registry.register(suggestion.owner.names, suggestion.owner.asWitness);
    if (suggestion.category === 'name-part') registry.registerPart(suggestion.text, pseudonym);
  }
  const plan = planInput !== undefined ? parseRedactionPlan(planInput) : loadRedactionPlan(session, testimonyId);
  const { rules, warnings } = resolveRedactionRules(subject, generated, plan, { anonymise: consent.anonymise, fullAnonymisation: consent.fullAnonymisation }, registry);
  const run = (field: 'title' | 'summary' | 'transcript') => defaultRedactor.redact(subject.fields[field], field, rules);
  const title = run('title');
  const summary = run('summary');
  const transcript = run('transcript');
  return { anonymised: consent.anonymise, title: title.text, summary: summary.text, transcript: transcript.text, events: [...title.events, ...summary.events, ...transcript.events], warnings };
}
