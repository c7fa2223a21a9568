/** Why a plan cannot be applied to a testimony as it is now; the export refuses that item with this code. */
export type RedactionPlanErrorCode = 'PLAN_MISMATCH' | 'PLAN_STALE' | 'PLAN_INVALID_REGION';

export class RedactionPlanError extends Error {
  readonly code: RedactionPlanErrorCode;
  constructor(code: RedactionPlanErrorCode, message: string) {
    super(message);
    this.name = 'RedactionPlanError';
    this.code = code;
  }
}
