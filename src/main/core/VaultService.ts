import { appendAuditEntry, verifyAuditChain, type AuditChainReport } from './audit/auditLog.js';
import type { KdfPreset } from './crypto/index.js';
import { isVaultError, VaultError } from './errors.js';
import { intakeMedia, type IntakeOptions, type IntakeResult } from './media/intakeMedia.js';
import type { MediaView } from './media/mediaSchema.js';
import {
  deleteMediaRecord, exportMediaToFile, getMedia, listMedia, readMediaBytes, removeBlobFile,
} from './media/readMedia.js';
import type { Platform, ProgressListener } from './platform.js';
import { linkTestimonyPersons, type TestimonyPersonLinks } from './records/linkTestimonyPersons.js';
import { addPerson, deletePerson, getPerson, listPersons, updatePerson, type PersonView } from './records/persons.js';
import { listRecordIds, listVersionNumbers, recordExists, requireRecord } from './records/recordStore.js';
import {
  addTestimony, deleteTestimonyRecord, getTestimony, listTestimonies, personIdsOf, testimonyHistory,
  updateTestimony, type AddTestimonyResult, type TestimonySummary, type TestimonyView,
} from './records/testimonies.js';
import { addVocabularyTerm, listVocabulary, seedVocabulary } from './records/vocabulary.js';
import type { VocabularyScheme, VocabularyTerm } from './records/vocabularySchema.js';
import type { SearchAnalytics } from './search/searchAnalytics.js';
import { parseSearchRequest } from './search/searchRequest.js';
import type { SearchResult } from './search/searchResult.js';
import { VaultSearch, type SearchOpenReport, type SnapshotReport } from './search/VaultSearch.js';
import { changePassphrase } from './vault/changePassphrase.js';
import { createVault, type CreateVaultOptions } from './vault/createVault.js';
import { unlockVault, unlockVaultWithRecoveryKey } from './vault/unlockVault.js';
import { addPassphraseSlot, addRecoverySlot, listKeySlots, removeKeySlot, type KeySlotSummary } from './vault/keySlots.js';
import { readUnlockGuard, setWipeAfterFailures } from './vault/unlockGuard.js';
import { backupVault, type BackupReport } from './backup/backupVault.js';
import { getControlNumberPrefix, setControlNumberPrefix } from './export/controlNumbers.js';
import { exportBundle, type ExportDependencies, type ExportOptions } from './export/exportBundle.js';
import type { ExportReport } from './export/exportReport.js';
import { exporterPublicKey } from './export/exporterPublicKey.js';
import { previewRedaction, type RedactionPreview } from './export/previewRedaction.js';
import type { ExportProfile } from './export/checkConsent.js';
import { deleteRedactionPlan, loadRedactionPlan, saveRedactionPlan } from './redaction/redactionPlans.js';
import { suggestRedactionPlan } from './redaction/suggestRedactionPlan.js';
import { restoreVault, type RestoreReport } from './backup/restoreVault.js';
import type { VaultSession } from './vault/VaultSession.js';
import { verifyVault, type VerifyReport } from './verifyVault.js';
import { exportTransferBundle, type TransferExportOptions, type TransferExportReport } from './export/exportTransferBundle.js';
import { mergeTransferBundle, type MergeOptions } from './merge/mergeTransferBundle.js';
import type { MergeReport } from './merge/mergeReport.js';
import { addTrustedSender, listTrustedSenders, removeTrustedSender } from './merge/trustedSenders.js';
import { listRecordBranches } from './records/recordBranches.js';

export type DeleteTestimonyResult = { mediaDeleted: number; personsDeleted: number };

/**
 * The one object the CLI, the Electron IPC handlers and the tests drive. It owns an unlocked
 * session; every method throws VAULT_LOCKED after `lock()`.
 */
export class VaultService {
  /** The search index, opened on first use (from its sealed snapshot, or rebuilt) and kept current. */
  private searchOpening: Promise<VaultSearch> | null = null;
  private openSearchIndex: VaultSearch | null = null;
  /** Set when keeping the open index current failed: the next search reconciles it first. */
  private searchNeedsCatchUp = false;
  /** Archive-list summaries read in this session, by testimony id (memory only; cleared at lock). */
  private summaryCache = new Map<string, TestimonySummary>();

  private constructor(private readonly session: VaultSession) {}

  static async create(dir: string, passphrase: string, platform: Platform, options: Omit<CreateVaultOptions, 'initialize'> = {}): Promise<VaultService> {
    const session = await createVault(dir, passphrase, platform, {
      ...options,
      initialize: (created) => {
        seedVocabulary(created);
        appendAuditEntry(created, { action: 'vault.create' });
      },
    });
    return new VaultService(session);
  }

  static async open(dir: string, passphrase: string, platform: Platform): Promise<VaultService> {
    return new VaultService(await unlockVault(dir, passphrase, platform));
  }

  /** Opens with the recovery key (typos are caught before the vault is touched) and logs it. */
  static async openWithRecoveryKey(dir: string, recoveryKey: string, platform: Platform): Promise<VaultService> {
    const service = new VaultService(await unlockVaultWithRecoveryKey(dir, recoveryKey, platform));
    try {
      appendAuditEntry(service.session, { action: 'vault.recovered', details: { slotId: service.session.unlockInfo.unlockedSlotId } });
    } catch (error) {
      // Never leave the vault unlocked (and its exclusive lock held) behind a failed open.
      service.lock();
      const code = (error as { code?: unknown }).code;
      if (code === 'SQLITE_CORRUPT' || code === 'SQLITE_NOTADB') throw new VaultError('VAULT_CORRUPT', 'vault.db is damaged: the recovery could not be logged', { cause: error });
      throw error;
    }
    return service;
  }

  /** Copies a backup folder into a new vault folder; unlock the result and verify it. */
  static restore(backupDir: string, targetDir: string, options: { onProgress?: ProgressListener; signal?: AbortSignal } = {}): Promise<RestoreReport> {
    return restoreVault(backupDir, targetDir, options);
  }

  get vaultId(): string {
    return this.session.vaultId;
  }

  get dir(): string {
    return this.session.paths.dir;
  }

  get isLocked(): boolean {
    return this.session.isLocked;
  }

  /** Hex of the vault's Ed25519 public key (signs audit entries and, later, exports). */
  get signingPublicKeyHex(): string {
    return Buffer.from(this.session.signingPublicKey).toString('hex');
  }

  /** Zeroes the keys and closes every handle now. The index is not sealed: the next open catches up. */
  lock(): void {
    this.summaryCache = new Map();
    this.closeSearchIndex();
    this.session.lock();
  }

  /**
   * The normal way to lock: seals the search index (if it is open and changed) so the next unlock
   * need not rebuild it, then locks. A failed seal is logged, never fatal: the records are intact.
   */
  async close(onProgress?: ProgressListener): Promise<void> {
    try {
      if (!this.session.isLocked && this.searchOpening) await (await this.searchOpening).saveSnapshot(onProgress);
    } catch (error) {
      this.session.platform.logger.warn('search.snapshot.not-saved', { code: isVaultError(error) ? error.code : 'UNKNOWN' });
    } finally {
      this.lock();
    }
  }

  private closeSearchIndex(): void {
    this.openSearchIndex?.close();
    this.openSearchIndex = null;
    this.searchOpening = null;
  }

  private searchIndex(options: { onProgress?: ProgressListener; rebuild?: boolean; signal?: AbortSignal } = {}): Promise<VaultSearch> {
    if (this.session.isLocked) throw new VaultError('VAULT_LOCKED', 'the vault is locked');
    if (!this.searchOpening) {
      const opening = VaultSearch.open(this.session, options).then(
        (search) => {
          if (this.searchOpening === opening) this.openSearchIndex = search;
          // Superseded (locked, or reindexed) while it was being built: nobody will use it.
          else search.close();
          return search;
        },
        (error: unknown) => {
          if (this.searchOpening === opening) this.searchOpening = null;
          throw error;
        },
      );
      this.searchOpening = opening;
    }
    return this.searchOpening.then((search) => {
      if (this.searchNeedsCatchUp) {
        search.catchUp();
        this.searchNeedsCatchUp = false;
      }
      return search;
    });
  }

  /** Keeps an open index current after a committed change; a failure here never undoes the change. */
  private recordsChanged(recordIds: readonly string[]): void {
    for (const recordId of recordIds) this.summaryCache.delete(recordId);
    const search = this.openSearchIndex;
    if (!search) {
      // Being built in slices right now: its list of records may predate this change.
      if (this.searchOpening) this.searchNeedsCatchUp = true;
      return;
    }
    try {
      search.recordsChanged(recordIds);
    } catch (error) {
      this.searchNeedsCatchUp = true;
      this.session.platform.logger.warn('search.update.deferred', { code: isVaultError(error) ? error.code : 'UNKNOWN' });
    }
  }

  /** Opens the search index now (the app does this right after unlock, with progress). */
  async openSearch(options: { onProgress?: ProgressListener; signal?: AbortSignal } = {}): Promise<SearchOpenReport> {
    return (await this.searchIndex(options)).openReport;
  }

  /** Ranked hits with snippets, facets and expansions (docs/SEARCH.md). The request is validated first. */
  async search(request: unknown): Promise<SearchResult> {
    parseSearchRequest(request);
    return (await this.searchIndex()).search(request);
  }

  /** Every testimony a request matches (limit and offset ignored), e.g. to export all of them. */
  async searchIds(request: unknown): Promise<string[]> {
    parseSearchRequest(request);
    return (await this.searchIndex()).matchingIds(request);
  }

  /** PII-free counts over a search result (facility × violation × year, unit × year). */
  async searchAnalytics(request: unknown): Promise<SearchAnalytics> {
    parseSearchRequest(request);
    return (await this.searchIndex()).analytics(request);
  }

  /** Throws the index away, rebuilds it from the records and seals it (`tvault reindex`). */
  async reindex(options: { onProgress?: ProgressListener; signal?: AbortSignal } = {}): Promise<SearchOpenReport & SnapshotReport> {
    const { onProgress } = options;
    this.closeSearchIndex();
    const search = await this.searchIndex({ rebuild: true, ...options });
    const snapshot = await search.saveSnapshot(onProgress);
    return { ...search.openReport, ...snapshot };
  }

  addTestimony(input: unknown): AddTestimonyResult {
    const added = addTestimony(this.session, input);
    this.recordsChanged([added.testimonyId, ...added.personIds]);
    return added;
  }

  getTestimony(testimonyId: string, version?: number): TestimonyView {
    return getTestimony(this.session, testimonyId, version);
  }

  /**
   * The archive list. Summaries decrypted earlier in this session are reused while their record
   * keeps its version (an edit, a merge or a delete drops them first), so after the first listing a
   * large vault lists again in a blink. The cache lives in memory only and goes at lock.
   */
  listTestimonies(): TestimonySummary[] {
    const summaries = listTestimonies(this.session, this.summaryCache);
    this.summaryCache = new Map(summaries.map((summary) => [summary.id, summary]));
    return summaries;
  }

  updateTestimony(testimonyId: string, patch: unknown): ReturnType<typeof updateTestimony> {
    const updated = updateTestimony(this.session, testimonyId, patch);
    this.recordsChanged([testimonyId]);
    return updated;
  }

  /** The person picker: points the testimony at persons already in the registry (a new version). */
  linkTestimonyPersons(testimonyId: string, links: TestimonyPersonLinks): { version: number } {
    const linked = linkTestimonyPersons(this.session, testimonyId, links);
    this.recordsChanged([testimonyId]);
    return linked;
  }

  testimonyHistory(testimonyId: string): ReturnType<typeof testimonyHistory> {
    return testimonyHistory(this.session, testimonyId);
  }

  /**
   * Crypto-shreds a testimony, its media, and the persons no other testimony names.
   * Blob files go after the commit; a crash in between leaves orphans the next open removes.
   */
  deleteTestimony(testimonyId: string): DeleteTestimonyResult {
    const session = this.session;
    const removedBlobs: string[] = [];
    const result = session.db.transaction(() => {
      requireRecord(session, testimonyId, 'testimony');
      const candidatePersons = new Set(listVersionNumbers(session, testimonyId).flatMap((version) => personIdsOf(session, testimonyId, version)));
      for (const otherId of listRecordIds(session, 'testimony')) {
        if (otherId === testimonyId) continue;
        for (const personId of personIdsOf(session, otherId)) candidatePersons.delete(personId);
      }
      const media = listMedia(session, testimonyId);
      for (const item of media) {
        const { blobRemoved } = deleteMediaRecord(session, item.id);
        if (blobRemoved) removedBlobs.push(blobRemoved);
        appendAuditEntry(session, { action: 'media.delete', recordId: item.id });
      }
      deleteTestimonyRecord(session, testimonyId);
      let personsDeleted = 0;
      for (const personId of candidatePersons) {
        if (!recordExists(session, personId, 'person')) continue;
        deletePerson(session, personId);
        personsDeleted += 1;
      }
      return { mediaDeleted: media.length, personsDeleted };
    })();
    for (const blobId of removedBlobs) removeBlobFile(session, blobId);
    this.recordsChanged([testimonyId]);
    return result;
  }

  addPerson(input: unknown): string {
    const personId = addPerson(this.session, input);
    this.recordsChanged([personId]);
    return personId;
  }

  getPerson(personId: string, version?: number): PersonView {
    return getPerson(this.session, personId, version);
  }

  listPersons(): PersonView[] {
    return listPersons(this.session);
  }

  updatePerson(personId: string, input: unknown): number {
    const version = updatePerson(this.session, personId, input);
    this.recordsChanged([personId]);
    return version;
  }

  listVocabulary(scheme?: VocabularyScheme): VocabularyTerm[] {
    return listVocabulary(this.session, scheme);
  }

  addVocabularyTerm(input: unknown): VocabularyTerm {
    const term = addVocabularyTerm(this.session, input);
    this.recordsChanged([term.id]);
    return term;
  }

  async addMedia(testimonyId: string, sourcePath: string, options: IntakeOptions): Promise<IntakeResult> {
    const media = await intakeMedia(this.session, testimonyId, sourcePath, options);
    this.recordsChanged([media.id]);
    return media;
  }

  getMedia(mediaId: string): MediaView {
    return getMedia(this.session, mediaId);
  }

  listMedia(testimonyId?: string): MediaView[] {
    return listMedia(this.session, testimonyId);
  }

  exportMedia(mediaId: string, outPath: string, onProgress?: ProgressListener): Promise<MediaView> {
    return exportMediaToFile(this.session, mediaId, outPath, onProgress);
  }

  readMediaBytes(mediaId: string, maxBytes: number): Promise<{ media: MediaView; bytes: Uint8Array }> {
    return readMediaBytes(this.session, mediaId, maxBytes);
  }

  deleteMedia(mediaId: string): void {
    const { blobRemoved } = this.session.db.transaction(() => {
      const outcome = deleteMediaRecord(this.session, mediaId);
      appendAuditEntry(this.session, { action: 'media.delete', recordId: mediaId });
      return outcome;
    })();
    if (blobRemoved) removeBlobFile(this.session, blobRemoved);
    this.recordsChanged([mediaId]);
  }

  verify(onProgress?: ProgressListener): Promise<VerifyReport> {
    return verifyVault(this.session, onProgress);
  }

  auditLog(): AuditChainReport {
    return verifyAuditChain(this.session);
  }

  async changePassphrase(newPassphrase: string, kdfPreset?: KdfPreset): Promise<void> {
    if (this.session.isLocked) throw new VaultError('VAULT_LOCKED', 'the vault is locked');
    await changePassphrase(this.session, newPassphrase, {
      ...(kdfPreset ? { kdfPreset } : {}),
      inTransaction: () => appendAuditEntry(this.session, { action: 'passphrase.change' }),
    });
  }

  /** Failed unlock attempts that came before this session's successful one (to warn the user). */
  get failedAttemptsBeforeUnlock(): number {
    return this.session.unlockInfo.failedAttemptsBefore;
  }

  /** The key slot this session was opened with (so a UI can mark "you" and warn before removing it). */
  get unlockedSlotId(): string {
    return this.session.unlockInfo.unlockedSlotId;
  }

  listKeySlots(): KeySlotSummary[] {
    return listKeySlots(this.session);
  }

  addPassphraseSlot(label: string, passphrase: string, kdfPreset?: KdfPreset): Promise<string> {
    return addPassphraseSlot(this.session, label, passphrase, {
      ...(kdfPreset ? { kdfPreset } : {}),
      inTransaction: (slotId) => appendAuditEntry(this.session, { action: 'key.add', details: { slotId, kind: 'passphrase' } }),
    });
  }

  /** Returns the recovery key text; show it once, then forget it. */
  createRecoveryKey(options: { replace: boolean }): { slotId: string; recoveryKey: string } {
    return addRecoverySlot(this.session, {
      replace: options.replace,
      inTransaction: (slotId) => appendAuditEntry(this.session, { action: 'key.recovery', details: { slotId } }),
    });
  }

  removeKeySlot(slotId: string): void {
    removeKeySlot(this.session, slotId, () => appendAuditEntry(this.session, { action: 'key.remove', details: { slotId } }));
  }

  /** Off (null) by default. When on, the Nth consecutive failed unlock destroys every key slot. */
  setWipeAfterFailures(wipeAfter: number | null): void {
    this.session.db.transaction(() => {
      setWipeAfterFailures(this.session.db, wipeAfter);
      appendAuditEntry(this.session, { action: 'settings.change', details: { wipeAfterFailures: wipeAfter ?? 'off' } });
    })();
  }

  get wipeAfterFailures(): number | null {
    return readUnlockGuard(this.session.db).wipeAfterFailures;
  }

  /** A consistent, verified, still-encrypted copy of the vault in `destDir` (incremental). */
  async backup(destDir: string, options: { onProgress?: ProgressListener; signal?: AbortSignal } = {}): Promise<BackupReport> {
    const report = await backupVault(this.session, destDir, options);
    appendAuditEntry(this.session, { action: 'backup', details: { blobsCopied: report.blobsCopied, ok: report.verify.ok } });
    return report;
  }

  /** A redacted, consent-checked, signed, age-encrypted bundle (see docs/EXPORT.md). */
  exportBundle(options: ExportOptions, dependencies?: ExportDependencies): Promise<ExportReport> {
    return exportBundle(this.session, options, dependencies);
  }

  suggestRedactionPlan(testimonyId: string): ReturnType<typeof suggestRedactionPlan> {
    return suggestRedactionPlan(this.session, testimonyId);
  }

  previewRedaction(testimonyId: string, profile: ExportProfile, plan?: unknown): RedactionPreview {
    return previewRedaction(this.session, testimonyId, profile, plan);
  }

  /** Saves the reviewed plan with the testimony, encrypted; crypto-shredded with it. */
  saveRedactionPlan(testimonyId: string, plan: unknown): ReturnType<typeof saveRedactionPlan> {
    return this.session.db.transaction(() => {
      const saved = saveRedactionPlan(this.session, testimonyId, plan);
      appendAuditEntry(this.session, { action: 'redaction.plan', recordId: testimonyId, details: { saved: true } });
      return saved;
    })();
  }

  loadRedactionPlan(testimonyId: string): ReturnType<typeof loadRedactionPlan> {
    return loadRedactionPlan(this.session, testimonyId);
  }

  deleteRedactionPlan(testimonyId: string): boolean {
    return this.session.db.transaction(() => {
      const deleted = deleteRedactionPlan(this.session, testimonyId);
      if (deleted) appendAuditEntry(this.session, { action: 'redaction.plan', recordId: testimonyId, details: { saved: false } });
      return deleted;
    })();
  }

  /** The vault's signing key in minisign format, for lawyers to verify exports. */
  exporterPublicKey(): ReturnType<typeof exporterPublicKey> {
    return exporterPublicKey(this.session);
  }

  get controlNumberPrefix(): string {
    return getControlNumberPrefix(this.session);
  }

  setControlNumberPrefix(prefix: string): void {
    this.session.db.transaction(() => {
      setControlNumberPrefix(this.session, prefix);
      appendAuditEntry(this.session, { action: 'settings.change', details: { controlNumberPrefix: prefix } });
    })();
  }

  /** Senders whose transfer bundles merge without --trust (labels decrypted; see docs/MERGE.md). */
  listTrustedSenders(): ReturnType<typeof listTrustedSenders> {
    return listTrustedSenders(this.session);
  }

  addTrustedSender(publicKeyText: string, label: string): ReturnType<typeof addTrustedSender> {
    return addTrustedSender(this.session, publicKeyText, label);
  }

  removeTrustedSender(keyOrKeyId: string): number {
    return removeTrustedSender(this.session, keyOrKeyId);
  }

  /** Conflict copies kept by merges (both sides of a record edited in two vaults). */
  listRecordBranches(branchOf?: string): ReturnType<typeof listRecordBranches> {
    return listRecordBranches(this.session, branchOf);
  }

  /** For tests and tools in core only: the session behind the service. */
  get sessionForCore(): VaultSession {
    return this.session;
  }

  /** A full, unredacted, signed transfer bundle for the organisation's central archive (docs/MERGE.md). */
  exportTransferBundle(options: TransferExportOptions): Promise<TransferExportReport> {
    return exportTransferBundle(this.session, options);
  }

  /** Verifies a transfer bundle, then merges it: nothing overwritten, nothing duplicated (docs/MERGE.md). */
  async mergeTransferBundle(bundleDir: string, options: MergeOptions): Promise<MergeReport> {
    const report = await mergeTransferBundle(this.session, bundleDir, options);
    this.summaryCache = new Map();
    if (this.openSearchIndex) this.searchNeedsCatchUp = true;
    return report;
  }
}
