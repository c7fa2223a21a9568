import type { CONSENT_SCOPES, TESTIMONY_STATUSES } from '../records/testimonySchema.js';

export type ConsentScope = (typeof CONSENT_SCOPES)[number];
export type TestimonyStatus = (typeof TESTIMONY_STATUSES)[number];
export type EntityKind = 'person' | 'facility' | 'perpetratorUnit' | 'violation';

/**
 * What the index needs from one testimony (its head version). Built from decrypted fields in memory
 * and never written anywhere as such: the index keeps tokens and facet values only.
 */
export type IndexDocument = {
  id: string;
  version: number;
  reference: string;
  title: string;
  summary: string;
  transcript: string;
  tags: readonly string[];
  facilityIds: readonly string[];
  perpetratorUnitIds: readonly string[];
  violationIds: readonly string[];
  personIds: readonly string[];
  language: string;
  status: TestimonyStatus;
  consentScopes: readonly ConsentScope[];
  consentWithdrawn: boolean;
  period?: { from?: string; to?: string };
  interviewDate?: string;
};

/**
 * A vocabulary term or a person: every name it goes by. A query naming any of them is expanded to
 * all of them, and a testimony linked to it is found by any of them.
 */
export type IndexEntity = {
  id: string;
  kind: EntityKind;
  version: number;
  names: readonly string[];
  /** Vocabulary terms only (facet labels and the analytics CSV); persons carry no label. */
  labelEn?: string;
  labelAr?: string;
};
