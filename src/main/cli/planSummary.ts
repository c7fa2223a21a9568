import type { RedactionPlan } from '../core/redaction/redactionPlanSchema.js';

/** Counts only, never the plan's text: what a plan holds, for one line of output. */
export function planCounts(plan: RedactionPlan) {
  const accepted = plan.suggestions.filter((suggestion) => suggestion.decision === 'accept').length;
  return {
    testimonyVersion: plan.testimonyVersion,
    suggestions: plan.suggestions.length,
    accepted,
    rejected: plan.suggestions.length - accepted,
    spans: plan.spans.length,
    imageRegions: plan.imageRegions.length,
    excludedMedia: plan.excludedMediaIds.length,
  };
}

export function planSummary(plan: RedactionPlan): string {
  const c = planCounts(plan);
  return `${c.suggestions} suggestion(s) (${c.accepted} accepted, ${c.rejected} rejected), ${c.spans} span(s), ${c.imageRegions} image region(s), ${c.excludedMedia} media excluded; made on version ${c.testimonyVersion}`;
}

/** Said whenever a plan reaches or comes from a file. */
export const PLAN_FILE_WARNING = 'a redaction plan holds the very names and numbers it hides: keep the file off shared disks, save it into the vault (tvault redaction save) and delete it';
