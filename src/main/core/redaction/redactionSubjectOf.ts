import { listMedia } from '../media/readMedia.js';
import type { MediaView } from '../media/mediaSchema.js';
import { getTestimony, readTestimonyFields, type TestimonyView } from '../records/testimonies.js';
import type { VaultSession } from '../vault/VaultSession.js';
import type { RedactionSubject } from './suggestRedactions.js';

/** What the redactor sees of a testimony: its text fields, the other strings it exports, and its people. */
export function redactionSubjectOf(testimonyId: string, version: number, view: TestimonyView, media: readonly MediaView[]): RedactionSubject {
  const labels = [...view.facilities, ...view.perpetratorUnits, ...view.violations].flatMap((term) => [term.labelEn, term.labelAr].filter((label): label is string => label !== undefined));
  return {
    testimonyId,
    version,
    fields: { title: view.title, summary: view.summary, transcript: view.transcript, interviewPlace: view.interviewPlace ?? '', interviewer: view.interviewer ?? '' },
    otherTexts: [...view.tags, ...labels, ...media.map((item) => item.custodian)],
    ...(view.interviewee ? { interviewee: view.interviewee } : {}),
    persons: view.persons,
  };
}

/** The subject of the head version of a testimony, read from the vault. */
export function loadRedactionSubject(session: VaultSession, testimonyId: string): RedactionSubject {
  const view = getTestimony(session, testimonyId);
  const { version } = readTestimonyFields(session, testimonyId);
  return redactionSubjectOf(testimonyId, version, view, listMedia(session, testimonyId));
}
