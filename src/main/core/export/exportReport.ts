import type { ConsentRefusalCode } from './checkConsent.js';

export type ItemRefusalCode = ConsentRefusalCode | 'NOT_FOUND' | 'PLAN_MISMATCH' | 'PLAN_STALE' | 'PLAN_INVALID_REGION' | 'PLAN_INVALID';
export type RefusedItem = { testimonyId: string; code: ItemRefusalCode; reason: string };

export type MediaOutcome =
  | { mediaId: string; status: 'included'; file: string; transformations: string[] }
  | { mediaId: string; status: 'excluded'; reason: string };

export type ExportedItem = {
  testimonyId: string;
  controlNumber: string;
  anonymised: boolean;
  redactions: number;
  media: MediaOutcome[];
  warnings: string[];
};

/** A leak the last check found: which needle (by id, category and pseudonym), in which file, in which form. */
export type LeakFinding = { file: string; category: string; needleId: string; pseudonym: string; variant: 'normalised' | 'letters-only' | 'digits' | string };

/** What an export did or refused, item by item. Holds ids, names of files and fields, never record text. */
export type ExportReport = {
  bundleId: string;
  outDir: string;
  profile: string;
  createdAt: string;
  items: ExportedItem[];
  refused: RefusedItem[];
  leaks: LeakFinding[];
  fileProblems: { file: string; problem: string }[];
  payload: { sha256: string; size: number; recipients: number; passphrase: boolean } | null;
  signer: { keyId: string; publicKey: string } | null;
};
