import { sha256Hex } from '../crypto/index.js';
import { normalizeNeedle } from './normalizeWithOffsets.js';
import type { PseudonymRegistry } from './PseudonymRegistry.js';
import { markRedacted, type RedactedText } from './RedactedText.js';
import type { PlanSuggestion, RedactionPlan } from './redactionPlanSchema.js';
import { RedactionPlanError } from './RedactionPlanError.js';
import type { RedactionCategory, RedactionRules, RedactionSpan, RedactionTerm } from './redactionRules.js';
import type { GeneratedSuggestion, RedactionSubject } from './suggestRedactions.js';
import { termPatterns } from './termPatterns.js';

/** A string that must not appear anywhere in the payload, in any of its written forms. */
export type LeakNeedle = { id: string; category: RedactionCategory; pseudonym: RedactedText; variants: string[] };

export type ResolvedRedaction = { rules: RedactionRules; needles: LeakNeedle[]; warnings: string[] };

export type RedactionPolicy = {
  /** Consent asks for anonymity, or the profile does: names and identifiers go unless rejected. */
  anonymise: boolean;
  /** The public profile: every generated suggestion applies, rejections included. */
  fullAnonymisation: boolean;
};

const FIXED_PSEUDONYMS: Partial<Record<RedactionCategory, string>> = {
  phone: '[PHONE]', email: '[EMAIL]', 'national-id': '[ID]', 'id-number': '[ID]', 'birth-date': '[BIRTH-DATE]', custom: '[REDACTED]',
};
export const FIXED_PSEUDONYM_LIST: readonly RedactedText[] = [...new Set([...Object.values(FIXED_PSEUDONYMS), '[NAME]'])].map(markRedacted);
const MIN_SPAN_NEEDLE_CHARS = 4;
const MONTHS_EN = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
const MONTHS_AR = ['كانون الثاني', 'شباط', 'آذار', 'نيسان', 'أيار', 'حزيران', 'تموز', 'آب', 'أيلول', 'تشرين الأول', 'تشرين الثاني', 'كانون الأول'];

/** The common written forms of a recorded date of birth, for the leak check. A bare year has none: it is too common to scan for. */
export function birthDateVariants(date: string): string[] {
  const [y, mm, dd] = date.split('-');
  if (!y || !mm) return [];
  const m = String(Number(mm));
  const monthEn = MONTHS_EN[Number(mm) - 1] ?? '';
  const monthAr = MONTHS_AR[Number(mm) - 1] ?? '';
  if (!dd) return [`${y}-${mm}`, `${mm}/${y}`, `${monthEn} ${y}`, `${monthAr} ${y}`];
  const d = String(Number(dd));
  return [
    date, `${dd}/${mm}/${y}`, `${d}/${m}/${y}`, `${mm}/${dd}/${y}`, `${dd}.${mm}.${y}`, `${dd}-${mm}-${y}`, `${y}/${mm}/${dd}`,
    `${d} ${monthEn} ${y}`, `${monthEn} ${d}, ${y}`, `${d} ${monthAr} ${y}`,
  ];
}

function pseudonymFor(suggestion: GeneratedSuggestion | PlanSuggestion, registry: PseudonymRegistry, userPseudonym: string | undefined): RedactedText {
  const generated = suggestion as GeneratedSuggestion;
  if ((suggestion.category === 'witness-name' || suggestion.category === 'person-name') && generated.owner) {
    return registry.register(generated.owner.names, generated.owner.asWitness);
  }
  if (suggestion.category === 'name-part' && generated.owner) {
    return registry.pseudonymOfPart(suggestion.text, registry.register(generated.owner.names, generated.owner.asWitness));
  }
  if (userPseudonym) return markRedacted(userPseudonym);
  if (suggestion.category === 'witness-name' || suggestion.category === 'person-name' || suggestion.category === 'name-part') return markRedacted('[NAME]');
  return markRedacted(FIXED_PSEUDONYMS[suggestion.category] ?? '[REDACTED]');
}

/**
 * Turns the generated suggestions, the documenter's plan and the consent policy into the rules the
 * redactor applies and the needles the leak check hunts for. The needles come from here, not from
 * the redactor, so a broken redactor cannot hide what it missed.
 */
export function resolveRedactionRules(
  subject: RedactionSubject,
  generated: readonly GeneratedSuggestion[],
  plan: RedactionPlan | null,
  policy: RedactionPolicy,
  registry: PseudonymRegistry,
): ResolvedRedaction {
  if (plan && plan.testimonyId !== subject.testimonyId) throw new RedactionPlanError('PLAN_MISMATCH', 'the redaction plan belongs to another testimony');
  const warnings: string[] = [];
  const terms: RedactionTerm[] = [];
  const needles: LeakNeedle[] = [];
  const kept = new Set<string>();
  const planned = new Map((plan?.suggestions ?? []).flatMap((entry) => (entry.id ? [[entry.id, entry] as const] : [])));

  const accept = (id: string, suggestion: GeneratedSuggestion | PlanSuggestion, userPseudonym: string | undefined) => {
    const pseudonym = pseudonymFor(suggestion, registry, userPseudonym);
    const reason = suggestion.reason || suggestion.category;
    terms.push({ id, category: suggestion.category, pseudonym, reason, patterns: termPatterns(suggestion.category, suggestion.text) });
    const variants = suggestion.category === 'birth-date' && /^\d{4}-\d{2}/.test(suggestion.text) ? birthDateVariants(suggestion.text) : [suggestion.text];
    if (variants.length > 0) needles.push({ id, category: suggestion.category, pseudonym, variants });
  };

  for (const suggestion of generated) {
    const decision = planned.get(suggestion.id)?.decision;
    if (policy.fullAnonymisation) {
      if (decision === 'reject') warnings.push(`public profile: suggestion ${suggestion.id} (${suggestion.category}) was rejected in the plan and is applied anyway`);
      accept(suggestion.id, suggestion, undefined);
    } else if (policy.anonymise ? decision !== 'reject' : decision === 'accept') {
      accept(suggestion.id, suggestion, undefined);
    } else if (suggestion.detectionKey) {
      kept.add(suggestion.detectionKey);
    }
  }

  const generatedIds = new Set(generated.map((suggestion) => suggestion.id));
  (plan?.suggestions ?? []).forEach((entry, index) => {
    if (entry.id && generatedIds.has(entry.id)) return;
    // Added terms, and suggestions whose source changed since the plan was made: accepting is always safe.
    if (entry.decision === 'accept') accept(entry.id ?? `user-${index + 1}`, entry, entry.pseudonym);
  });

  const spans: RedactionSpan[] = [];
  for (const span of plan?.spans ?? []) {
    const fieldText = subject.fields[span.field];
    const slice = fieldText.slice(span.start, span.end);
    if (span.end > fieldText.length || sha256Hex(slice) !== span.textSha256) {
      throw new RedactionPlanError('PLAN_STALE', `a marked span in ${span.field} no longer matches the text (the testimony changed since version ${plan?.testimonyVersion}); mark it again`);
    }
    const pseudonym = markRedacted(span.pseudonym ?? '[REDACTED]');
    spans.push({ field: span.field, start: span.start, end: span.end, pseudonym, reason: span.reason || 'marked by the documenter' });
    if ([...normalizeNeedle(slice)].length >= MIN_SPAN_NEEDLE_CHARS) {
      needles.push({ id: `span-${span.field}-${span.start}`, category: 'custom', pseudonym, variants: [slice] });
    } else {
      warnings.push(`a marked span in ${span.field} is shorter than ${MIN_SPAN_NEEDLE_CHARS} characters; it is redacted there but not searched for elsewhere`);
    }
  }
  return { rules: { detectors: policy.anonymise, terms, spans, keptDetections: kept }, needles, warnings };
}
