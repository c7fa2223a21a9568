import { generateKey, openField, sealField, unwrapKey, wipeKey, wrapKey } from '../crypto/index.js';
import { VaultError } from '../errors.js';
import { requireRecord } from '../records/recordStore.js';
import type { VaultSession } from '../vault/VaultSession.js';
import { parseRedactionPlan } from './parseRedactionPlan.js';
import type { RedactionPlan } from './redactionPlanSchema.js';

type PlanRow = { wrapped_key: Uint8Array; plan_ciphertext: Uint8Array };

// Its own AAD field name and wrap purpose, so a plan can be neither swapped with a record field nor moved to another testimony.
function planContexts(session: VaultSession, testimonyId: string) {
  return {
    wrap: { vaultId: session.vaultId, purpose: 'redaction-plan', ownerId: testimonyId },
    field: { vaultId: session.vaultId, recordId: testimonyId, field: 'redactionPlan', recordVersion: 1 },
  };
}

/** Keeps a plan with its testimony, encrypted under a fresh key; replaces any earlier plan. */
export function saveRedactionPlan(session: VaultSession, testimonyId: string, input: unknown): RedactionPlan {
  const plan = parseRedactionPlan(input);
  if (plan.testimonyId !== testimonyId) throw new VaultError('INVALID_INPUT', 'the redaction plan names another testimony');
  const contexts = planContexts(session, testimonyId);
  const key = generateKey();
  try {
    const wrapped = wrapKey(session.key('masterKey'), key, contexts.wrap);
    const ciphertext = sealField(key, JSON.stringify(plan), contexts.field);
    session.db.transaction(() => {
      requireRecord(session, testimonyId, 'testimony');
      session.db
        .prepare('INSERT INTO redaction_plans (testimony_id, wrapped_key, plan_ciphertext) VALUES (?, ?, ?) ON CONFLICT (testimony_id) DO UPDATE SET wrapped_key = excluded.wrapped_key, plan_ciphertext = excluded.plan_ciphertext')
        .run(testimonyId, wrapped, ciphertext);
    })();
  } finally {
    wipeKey(key);
  }
  return plan;
}

/** The saved plan of a testimony, or null. A plan that fails authentication throws AUTH_FAILED. */
export function loadRedactionPlan(session: VaultSession, testimonyId: string): RedactionPlan | null {
  const row = session.db.prepare('SELECT wrapped_key, plan_ciphertext FROM redaction_plans WHERE testimony_id = ?').get(testimonyId) as PlanRow | undefined;
  if (!row) return null;
  const contexts = planContexts(session, testimonyId);
  const key = unwrapKey(session.key('masterKey'), row.wrapped_key, contexts.wrap);
  try {
    const plaintext = openField(key, row.plan_ciphertext, contexts.field);
    return parseRedactionPlan(JSON.parse(new TextDecoder().decode(plaintext)));
  } finally {
    wipeKey(key);
  }
}

export function deleteRedactionPlan(session: VaultSession, testimonyId: string): boolean {
  return session.db.prepare('DELETE FROM redaction_plans WHERE testimony_id = ?').run(testimonyId).changes > 0;
}
