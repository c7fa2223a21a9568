import fs from 'node:fs';
import { isVaultError, VaultError } from '../errors.js';
import type { ProgressListener } from '../platform.js';
import type { VaultSession } from '../vault/VaultSession.js';
import type { IndexEntity } from './indexDocument.js';
import type { SearchAnalytics } from './searchAnalytics.js';
import { SearchIndex } from './SearchIndex.js';
import { parseSearchRequest } from './searchRequest.js';
import type { SearchResult } from './searchResult.js';
import { readSnapshotFile, snapshotFilePath, sweepSnapshotTemps, writeSnapshotFile } from './snapshotFile.js';
import {
  listRecordHeads, readIndexDocument, readMediaTestimonyId, readPersonEntity, readVocabularyEntity, recordHead, vaultStateMarker, withSnippetFields,
  type RecordHead,
} from './vaultIndexSource.js';

export type RebuildReason = 'missing' | 'damaged' | 'other-vault' | 'requested';

export type CatchUpReport = {
  documents: number;
  removedDocuments: number;
  entities: number;
  removedEntities: number;
  media: number;
  removedMedia: number;
};

export type SearchOpenReport = {
  source: 'snapshot' | 'rebuilt';
  /** Why the snapshot was not used (never fatal: the index was rebuilt from the records). */
  rebuildReason?: RebuildReason;
  /** Records that changed since the snapshot and were applied on open. */
  caughtUp: CatchUpReport;
  documents: number;
  milliseconds: number;
};

export type SnapshotReport = { written: boolean; bytes: number };

const META_VAULT = 'vaultId';
const META_STATE = 'vaultState';
/** Records per slice of a rebuild: about 50 ms of work between two turns of the event loop. */
const STEP_RECORDS = 200;

function emptyReport(): CatchUpReport {
  return { documents: 0, removedDocuments: 0, entities: 0, removedEntities: 0, media: 0, removedMedia: 0 };
}

function changed(report: CatchUpReport): boolean {
  return Object.values(report).some((count) => count > 0);
}

/**
 * The search index of one unlocked vault: loaded from the encrypted snapshot (or rebuilt from the
 * records when the snapshot is missing, damaged or another vault's), kept current as records change,
 * and sealed back into the snapshot before the vault locks. Nothing it holds reaches the disk except
 * through `saveSnapshot`, which writes only ciphertext.
 */
export class VaultSearch {
  private dirty = false;
  /** The vault state (audit head) the index was last reconciled with record by record. */
  private reconciledState: string | null = null;
  private report: SearchOpenReport = { source: 'snapshot', caughtUp: emptyReport(), documents: 0, milliseconds: 0 };

  private constructor(
    private readonly session: VaultSession,
    private index: SearchIndex,
  ) {}

  /** How the last open went: from the snapshot, or rebuilt (and why), and what was caught up. */
  get openReport(): SearchOpenReport {
    return this.report;
  }

  /**
   * Opens the vault's index: the snapshot when it is sound, otherwise a rebuild (with progress).
   * `rebuild: true` ignores the snapshot (`tvault reindex`); call `saveSnapshot` afterwards.
   */
  static async open(session: VaultSession, options: { onProgress?: ProgressListener; rebuild?: boolean; signal?: AbortSignal } = {}): Promise<VaultSearch> {
    const started = performance.now();
    const { logger } = session.platform;
    sweepSnapshotTemps(session.paths.dir);
    const { index: loaded, reason: rebuildReason } = options.rebuild ? { reason: 'requested' as const } : await VaultSearch.loadSnapshot(session, options.onProgress);
    const search = new VaultSearch(session, loaded ?? SearchIndex.create());
    let caughtUp: CatchUpReport;
    try {
      if (!loaded) {
        caughtUp = await search.reconcileInSlices(options.onProgress, 'search.rebuild', options.signal);
        search.index.optimize();
        search.dirty = true;
      } else {
        // Same authenticated audit head as when it was sealed: the snapshot is exact, nothing to compare.
        const current = vaultStateMarker(session);
        if (loaded.getMeta(META_STATE) === current) {
          caughtUp = emptyReport();
          search.reconciledState = current;
        } else {
          caughtUp = await search.reconcileInSlices(options.onProgress, 'search.catch-up', options.signal);
        }
      }
    } catch (error) {
      search.index.close();
      throw error;
    }
    search.report = {
      source: loaded ? 'snapshot' : 'rebuilt',
      ...(rebuildReason && !loaded ? { rebuildReason } : {}),
      caughtUp,
      documents: search.index.documentCount,
      milliseconds: Math.round(performance.now() - started),
    };
    logger.info(loaded ? 'search.index.loaded' : 'search.index.rebuilt', { documents: search.report.documents, milliseconds: search.report.milliseconds });
    return search;
  }

  /** The sealed snapshot as an index, or why it cannot be used (never throws for a bad snapshot). */
  private static async loadSnapshot(session: VaultSession, onProgress: ProgressListener | undefined): Promise<{ index?: SearchIndex; reason?: RebuildReason }> {
    try {
      const plaintext = await readSnapshotFile(session.paths.dir, session.key('masterKey'), session.vaultId, onProgress);
      // The index takes the plaintext: it wipes what it does not keep, and the rest on close.
      const index = SearchIndex.fromSerialized(plaintext);
      if (index.getMeta(META_VAULT) === session.vaultId) return { index };
      index.close();
      return { reason: 'other-vault' };
    } catch (error) {
      if (!isVaultError(error)) throw error;
      if (error.code === 'FILE_NOT_FOUND') return { reason: 'missing' };
      session.platform.logger.warn('search.snapshot.rejected', { code: error.code });
      return { reason: 'damaged' };
    }
  }

  private requireOpen(): SearchIndex {
    if (this.session.isLocked || !this.index.isOpen) throw new VaultError('VAULT_LOCKED', 'the vault is locked');
    return this.index;
  }

  private upsertEntity(id: string, head: RecordHead, touchedDocs: Set<string>): void {
    const entity: IndexEntity = head.kind === 'person' ? readPersonEntity(this.session, id) : readVocabularyEntity(this.session, id);
    for (const doc of this.index.upsertEntity(entity)) touchedDocs.add(doc);
  }

  /** Brings linked persons and terms the index has not seen (or has an older version of) up to date first. */
  private refreshLinks(entityIds: readonly string[], touchedDocs: Set<string>, report: CatchUpReport): void {
    for (const id of entityIds) {
      const head = recordHead(this.session, id);
      if (!head || (head.kind !== 'person' && head.kind !== 'vocabularyTerm')) continue;
      if (this.index.entityVersion(id) === head.version) continue;
      this.upsertEntity(id, head, touchedDocs);
      report.entities += 1;
    }
  }

  private upsertTestimony(id: string, touchedDocs: Set<string>, report: CatchUpReport): void {
    const document = readIndexDocument(this.session, id);
    const links = [...document.facilityIds, ...document.perpetratorUnitIds, ...document.violationIds, ...document.personIds];
    this.refreshLinks(links, touchedDocs, report);
    this.index.upsertDocument(document);
    touchedDocs.delete(id);
    report.documents += 1;
  }

  private reindexTouched(touchedDocs: Set<string>, report: CatchUpReport): void {
    for (const id of touchedDocs) {
      if (recordHead(this.session, id)?.kind === 'testimony') {
        this.index.upsertDocument(readIndexDocument(this.session, id));
        report.documents += 1;
      }
    }
    touchedDocs.clear();
  }

  /**
   * Compares the index with every record head in the vault and applies the differences: what a
   * rebuild does from empty, and what an open does when the snapshot is older than the vault.
   * Yields every STEP_RECORDS records, so a host can run it in slices (`reconcileInSlices`).
   */
  private *reconcileSteps(report: CatchUpReport, onProgress: ProgressListener | undefined, phase: string): Generator<void, void, void> {
    const heads = listRecordHeads(this.session);
    const index = this.index;
    const touchedDocs = new Set<string>();
    const total = heads.size;
    let done = 0;
    const tick = (): boolean => {
      done += 1;
      if (onProgress && (done % 500 === 0 || done === total)) onProgress({ done, total, phase });
      return done % STEP_RECORDS === 0;
    };
    const entities = index.entityVersions();
    for (const [id, head] of heads) {
      if (head.kind !== 'person' && head.kind !== 'vocabularyTerm') continue;
      if (entities.get(id) !== head.version) {
        this.upsertEntity(id, head, touchedDocs);
        report.entities += 1;
      }
      if (tick()) yield;
    }
    for (const id of entities.keys()) {
      if (heads.has(id)) continue;
      for (const doc of index.removeEntity(id)) touchedDocs.add(doc);
      report.removedEntities += 1;
    }
    const media = index.mediaIds();
    for (const [id, head] of heads) {
      if (head.kind !== 'media') continue;
      if (!media.has(id)) {
        index.setMedia(id, readMediaTestimonyId(this.session, id));
        report.media += 1;
      }
      if (tick()) yield;
    }
    for (const id of media) {
      if (heads.has(id)) continue;
      index.removeMedia(id);
      report.removedMedia += 1;
    }
    const documents = index.documentVersions();
    for (const [id, head] of heads) {
      if (head.kind !== 'testimony') continue;
      if (documents.get(id) !== head.version) {
        index.upsertDocument(readIndexDocument(this.session, id));
        touchedDocs.delete(id);
        report.documents += 1;
      }
      if (tick()) yield;
    }
    for (const id of documents.keys()) {
      if (heads.has(id)) continue;
      index.removeDocument(id);
      touchedDocs.delete(id);
      report.removedDocuments += 1;
    }
    this.reindexTouched(touchedDocs, report);
    index.setMeta(META_VAULT, this.session.vaultId);
  }

  /** Reconciles in one go (one transaction): for catch-ups, which are small. */
  private reconcile(onProgress: ProgressListener | undefined, phase: string): CatchUpReport {
    const report = emptyReport();
    const state = vaultStateMarker(this.session);
    this.index.transaction(() => {
      for (const step of this.reconcileSteps(report, onProgress, phase)) void step;
    });
    if (changed(report)) this.dirty = true;
    this.reconciledState = state;
    return report;
  }

  /**
   * Reconciles in slices of STEP_RECORDS records, giving the event loop back between slices: a
   * rebuild of a large vault takes minutes, and the app's main process must keep answering (progress,
   * cancel, lock) meanwhile. A cancelled or failed run leaves an index the caller throws away.
   */
  private async reconcileInSlices(onProgress: ProgressListener | undefined, phase: string, signal: AbortSignal | undefined): Promise<CatchUpReport> {
    const report = emptyReport();
    const state = vaultStateMarker(this.session);
    const steps = this.reconcileSteps(report, onProgress, phase);
    for (;;) {
      if (signal?.aborted) throw new VaultError('CANCELLED', 'the index build was cancelled');
      const finished = this.index.transaction(() => steps.next().done === true);
      if (finished) break;
      await new Promise<void>((resolve) => setImmediate(resolve));
      if (this.session.isLocked) throw new VaultError('VAULT_LOCKED', 'the vault was locked during the index build');
    }
    if (changed(report)) this.dirty = true;
    this.reconciledState = state;
    return report;
  }

  /**
   * Call after any change to records, with the ids the change names: a testimony (added, edited or
   * deleted; its new persons and terms are picked up from it), a person, a vocabulary term, a media
   * item. Deleted ids are recognised by being gone from the vault.
   */
  recordsChanged(recordIds: readonly string[]): CatchUpReport {
    const index = this.requireOpen();
    const report = emptyReport();
    const touchedDocs = new Set<string>();
    index.transaction(() => {
      for (const id of recordIds) {
        const head = recordHead(this.session, id);
        if (!head) {
          const linkedPersons = index.personIdsOf(id);
          if (index.removeDocument(id)) {
            report.removedDocuments += 1;
            // A testimony delete shreds the persons no other testimony names: forget those too.
            for (const personId of linkedPersons) {
              if (recordHead(this.session, personId)) continue;
              for (const doc of index.removeEntity(personId)) touchedDocs.add(doc);
              report.removedEntities += 1;
            }
          } else if (index.entityVersion(id) !== undefined) {
            for (const doc of index.removeEntity(id)) touchedDocs.add(doc);
            report.removedEntities += 1;
          } else if (index.hasMedia(id)) {
            index.removeMedia(id);
            report.removedMedia += 1;
          }
          continue;
        }
        if (head.kind === 'testimony') this.upsertTestimony(id, touchedDocs, report);
        else if (head.kind === 'media') {
          index.setMedia(id, readMediaTestimonyId(this.session, id));
          report.media += 1;
        } else {
          this.upsertEntity(id, head, touchedDocs);
          report.entities += 1;
        }
      }
      this.reindexTouched(touchedDocs, report);
    });
    if (changed(report)) this.dirty = true;
    return report;
  }

  /** Reconciles with the vault record by record (cheap when nothing changed: no decryption). */
  catchUp(onProgress?: ProgressListener): CatchUpReport {
    this.requireOpen();
    return this.reconcile(onProgress, 'search.catch-up');
  }

  /** Validates the request (hostile input is fine) and runs it; snippets decrypt only the hits shown. */
  search(request: unknown): SearchResult {
    const index = this.requireOpen();
    const parsed = parseSearchRequest(request);
    return index.search(parsed, (id, use) => withSnippetFields(this.session, id, use));
  }

  /** Every testimony the request matches (filters apply; limit and offset do not), unranked. */
  matchingIds(request: unknown): string[] {
    const index = this.requireOpen();
    return index.matchingIds(parseSearchRequest(request));
  }

  /** Counts for researchers over a search result: vocabulary labels and numbers only. */
  analytics(request: unknown): SearchAnalytics {
    return this.requireOpen().analytics(parseSearchRequest({ ...(typeof request === 'object' && request !== null ? request : {}), limit: 0 }));
  }

  get documentCount(): number {
    return this.requireOpen().documentCount;
  }

  /**
   * Seals the index into `<vault>/index.snapshot` if it changed since it was loaded (or the file is
   * gone). Call before the vault locks: it needs the master key. Reconciles first if the vault moved
   * since the last reconciliation, so the snapshot is exact for the audit head it records.
   */
  async saveSnapshot(onProgress?: ProgressListener): Promise<SnapshotReport> {
    const index = this.requireOpen();
    const current = vaultStateMarker(this.session);
    if (this.reconciledState !== current) this.reconcile(onProgress, 'search.catch-up');
    const file = snapshotFilePath(this.session.paths.dir);
    if (!this.dirty && fs.existsSync(file)) return { written: false, bytes: fs.statSync(file).size };
    index.setMeta(META_VAULT, this.session.vaultId);
    index.setMeta(META_STATE, current);
    const plaintext = index.serialize();
    try {
      const bytes = await writeSnapshotFile(this.session.paths.dir, this.session.key('masterKey'), this.session.vaultId, plaintext, onProgress);
      this.dirty = false;
      this.session.platform.logger.info('search.snapshot.written', { bytes });
      return { written: true, bytes };
    } finally {
      plaintext.fill(0);
    }
  }

  /** Frees the in-memory index. Does not save: call `saveSnapshot` first if it should persist. */
  close(): void {
    this.index.close();
  }
}
