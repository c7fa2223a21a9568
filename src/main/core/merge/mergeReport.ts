/** How the records of one kind joined the vault. */
export type RecordCounts = {
  /** New here: created with their id and every version. */
  added: number;
  /** Already here with fewer versions: the incoming later versions were appended. */
  extended: number;
  /** Every incoming version was already here: nothing written. */
  alreadyPresent: number;
  /** Edited here and there apart: the incoming history kept whole as a conflict copy beside the local record. */
  conflictCopies: number;
  /** Deleted (crypto-shredded) in this vault before: not brought back. */
  skippedDeleted: number;
};

/** How the sender was trusted: on the list, this vault's own key, or trusted by this merge (`trust: true`, now on the list). */
export type SenderTrust = 'trusted-sender' | 'this-vault' | 'trusted-now';

/** What a merge did. Ids, counts and key ids only; never record text. */
export type MergeReport = {
  bundleId: string;
  bundleCreatedAt: string;
  mergedAt: string;
  sender: { keyId: string; publicKey: string; label: string | null; trust: SenderTrust };
  testimonies: RecordCounts;
  persons: RecordCounts;
  vocabulary: { matched: number; added: number; labelsAdded: number };
  media: {
    added: number;
    /** The same media item (same id and SHA-256) was already here; its custody log gained this transfer if it lacked it. */
    alreadyPresent: number;
    custodyExtended: number;
    /** Added media whose bytes the vault already held (same SHA-256): no second copy was stored. */
    bytesDeduplicated: number;
    skippedDeleted: number;
  };
  /** Each conflict copy made by this merge: `recordId` is the local record, `conflictCopyId` the copy beside it. */
  conflicts: { kind: 'testimony' | 'person'; recordId: string; conflictCopyId: string; incomingId: string }[];
  skipped: { kind: string; id: string; reason: string }[];
  /** True when the vault already held everything the bundle carries (a bundle merged twice). */
  nothingNew: boolean;
};
