import { describe, expect, it } from 'vitest';
import { AUDIT_ACTIONS as CORE_AUDIT_ACTIONS } from '../../src/main/core/audit/auditEntry.js';
import { GENDERS as CORE_GENDERS, PERSON_ROLES as CORE_ROLES, PersonInputSchema as CorePersonSchema } from '../../src/main/core/records/personSchema.js';
import {
  CONSENT_SCOPES as CORE_SCOPES, SENSITIVITY_LEVELS as CORE_SENSITIVITY, TESTIMONY_STATUSES as CORE_STATUSES, TestimonyImportSchema,
  TestimonyPatchSchema,
} from '../../src/main/core/records/testimonySchema.js';
import { VOCABULARY_SCHEMES as CORE_SCHEMES } from '../../src/main/core/records/vocabularySchema.js';
import { PersonInputSchema, TestimonyCreateInputSchema, TestimonyPatchInputSchema } from '../../src/shared/ipc/inputSchemas.js';
import {
  AUDIT_ACTIONS, CONSENT_SCOPES, GENDERS, PERSON_ROLES, SENSITIVITY_LEVELS, TESTIMONY_STATUSES, VOCABULARY_SCHEMES,
} from '../../src/shared/ipc/vocabularies.js';

// src/shared may import only zod, so it restates core's shapes; these tests fail when the two drift.
describe('contract parity with core', () => {
  it('copies core’s closed lists exactly', () => {
    expect(PERSON_ROLES).toEqual(CORE_ROLES);
    expect(GENDERS).toEqual(CORE_GENDERS);
    expect(CONSENT_SCOPES).toEqual(CORE_SCOPES);
    expect(TESTIMONY_STATUSES).toEqual(CORE_STATUSES);
    expect(SENSITIVITY_LEVELS).toEqual(CORE_SENSITIVITY);
    expect(VOCABULARY_SCHEMES).toEqual(CORE_SCHEMES);
    expect(AUDIT_ACTIONS).toEqual(CORE_AUDIT_ACTIONS);
  });

  it('gives testimony create, testimony patch and person the same fields as core', () => {
    expect(Object.keys(TestimonyCreateInputSchema.shape).sort()).toEqual(Object.keys(TestimonyImportSchema.shape).sort());
    expect(Object.keys(TestimonyPatchInputSchema.shape).sort()).toEqual(Object.keys(TestimonyPatchSchema.shape).sort());
    expect(Object.keys(PersonInputSchema.shape).sort()).toEqual(Object.keys(CorePersonSchema.shape).sort());
  });

  it('accepts a complete testimony that core accepts, and passes it through unchanged', () => {
    const full = {
      reference: 'SDN-2019-044',
      title: 'Transfer from Branch 215 to Sednaya',
      language: 'ar-SY',
      interviewDate: '2019-06-02',
      interviewPlace: 'Gaziantep',
      interviewer: 'Interviewer 3',
      interviewee: { name: 'Witness B', aliases: ['B'], phone: '+90 555 000 0000', nationalId: 'X1', email: 'b@example.org', birthDate: '1988', gender: 'male' },
      persons: [{ name: 'Cellmate', role: 'victim' }],
      transcript: 'نص الشهادة',
      summary: 'Summary',
      tags: ['transfer'],
      facilities: ['Sednaya'],
      perpetratorUnits: ['Military Police'],
      violations: ['torture'],
      period: { from: '2013', to: '2014-02' },
      consent: { scopes: ['un-mechanism', 'icc'], anonymity: true, mediaUse: false, date: '2019-06-02', withdrawn: false },
      status: 'in-review',
      sensitivity: 'critical',
    };
    const shared = TestimonyCreateInputSchema.parse(full);
    expect(shared).toEqual(full);
    expect(TestimonyImportSchema.safeParse(shared).success).toBe(true);
    expect(TestimonyPatchInputSchema.safeParse({ title: 'x', consent: full.consent }).success).toBe(true);
  });
});
