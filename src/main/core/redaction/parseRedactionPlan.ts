import { VaultError } from '../errors.js';
import { describeValidationError } from '../records/testimonySchema.js';
import { RedactionPlanSchema, type RedactionPlan } from './redactionPlanSchema.js';

/** Validates a plan from a file, the UI or the vault; the message names fields, never their text. */
export function parseRedactionPlan(input: unknown): RedactionPlan {
  const parsed = RedactionPlanSchema.safeParse(input);
  if (!parsed.success) throw new VaultError('INVALID_INPUT', `invalid redaction plan: ${describeValidationError(parsed.error)}`);
  return parsed.data;
}
