import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { isVaultError } from '../../src/main/core/errors.js';
import { openBlobChunks } from '../../src/main/core/media/readMedia.js';
import type { MediaFields } from '../../src/main/core/media/mediaSchema.js';
import { readAllVersions, recordExists } from '../../src/main/core/records/recordStore.js';
import type { TestimonyFields } from '../../src/main/core/records/testimonySchema.js';
import { SNAPSHOT_FILE_NAME, snapshotFilePath } from '../../src/main/core/search/snapshotFile.js';
import { VaultSearch } from '../../src/main/core/search/VaultSearch.js';
import { BLOB_TEMP_PREFIX } from '../../src/main/core/vault/vaultPaths.js';
import type { VaultService } from '../../src/main/core/VaultService.js';
import { testimonyDigest, type AckLine, type AckedOp, type PendingOp } from './ackLog.js';

type TestimonyModel = { versions: Map<number, string>; deleted: boolean };
type MediaModel = { testimonyId: string; sha256: string; size: number; deleted: boolean };
export type Resolution = { seq: number; op: PendingOp['op']; applied: boolean | null };

export type AckedStateReport = {
  /** Empty when every acked operation is intact and the vault holds no half-records. */
  problems: string[];
  /** Ops that were in flight at the last kill, and what this check saw of them. */
  resolutions: Resolution[];
  counts: {
    ackedOps: number;
    liveTestimonies: number;
    deletedTestimonies: number;
    liveMedia: number;
    deletedMedia: number;
    records: number;
    blobRows: number;
    blobFiles: number;
    blobBytesChecked: number;
    /** How the search index opened at this check ('none': no snapshot has been written yet). */
    snapshotSource: 'snapshot' | 'rebuilt' | 'none';
  };
};

type Model = { testimonies: Map<string, TestimonyModel>; media: Map<string, MediaModel>; reindexed: boolean };

function testimonyOf(model: Model, id: string): TestimonyModel {
  // An edit or delete may target a testimony whose add was in doubt (committed, never acked).
  let entry = model.testimonies.get(id);
  if (!entry) {
    entry = { versions: new Map(), deleted: false };
    model.testimonies.set(id, entry);
  }
  return entry;
}

function apply(model: Model, op: AckedOp | PendingOp): void {
  switch (op.op) {
    case 'add':
      if ('id' in op) testimonyOf(model, op.id).versions.set(1, op.digest);
      return;
    case 'edit':
      testimonyOf(model, op.id).versions.set(op.version, op.digest);
      return;
    case 'attach':
      if ('id' in op) model.media.set(op.id, { testimonyId: op.testimonyId, sha256: op.sha256, size: op.size, deleted: false });
      return;
    case 'deleteTestimony':
      testimonyOf(model, op.id).deleted = true;
      for (const media of model.media.values()) if (media.testimonyId === op.id) media.deleted = true;
      return;
    case 'deleteMedia': {
      const media = model.media.get(op.id);
      if (media) media.deleted = true;
      return;
    }
    case 'passwd':
      return;
    case 'reindex':
      model.reindexed = true;
      return;
  }
}

function headVersionOf(service: VaultService, id: string): number | undefined {
  const row = service.sessionForCore.db.prepare('SELECT head_version FROM records WHERE record_id = ?').get(id) as { head_version: number } | undefined;
  return row?.head_version;
}

/** What the caller saw while opening: which passphrase number unlocked the vault. */
export type OpenContext = { openedWithPassphrase?: number };

/** Decides from the vault what became of an op that was in flight at the kill: all of it or none of it. */
function observe(service: VaultService, pending: PendingOp, problems: string[], context: OpenContext): boolean | null {
  switch (pending.op) {
    case 'passwd':
      return context.openedWithPassphrase === undefined ? null : context.openedWithPassphrase === pending.to;
    case 'reindex':
      // Either snapshot (old or new) is fine; what matters is checked below: it opens and is never damaged.
      return null;
    case 'add':
    case 'attach':
      // The id is made inside the call, so the outcome cannot be looked up; verify() checks log and records agree.
      return null;
    case 'edit': {
      const head = headVersionOf(service, pending.id);
      if (head === undefined) {
        problems.push(`in-doubt edit: testimony ${pending.id} is missing`);
        return null;
      }
      if (head === pending.version - 1) return false;
      if (head >= pending.version) return true;
      problems.push(`in-doubt edit of ${pending.id}: head v${head}, expected v${pending.version - 1} or later`);
      return null;
    }
    case 'deleteTestimony':
      return !recordExists(service.sessionForCore, pending.id, 'testimony');
    case 'deleteMedia':
      return !recordExists(service.sessionForCore, pending.id, 'media');
  }
}

async function blobDigest(service: VaultService, blobId: string): Promise<{ sha256: string; size: number }> {
  const hash = createHash('sha256');
  let size = 0;
  for await (const chunk of openBlobChunks(service.sessionForCore, blobId)) {
    hash.update(chunk);
    size += chunk.length;
  }
  return { sha256: hash.digest('hex'), size };
}

function explain(error: unknown): string {
  return isVaultError(error) ? `${error.code}: ${error.message}` : String(error);
}

/**
 * Replays the ack file into the state the vault must be in, then checks the vault against it and
 * for half-records: database integrity, every record version decryptable and complete, every media
 * linked to a live testimony and a blob whose file has the written size, no stray files in blobs/.
 */
export async function checkAckedState(service: VaultService, lines: readonly AckLine[], context: OpenContext = {}): Promise<AckedStateReport> {
  const problems: string[] = [];
  const session = service.sessionForCore;
  const db = session.db;
  const model: Model = { testimonies: new Map(), media: new Map(), reindexed: false };
  const pending = new Map<number, PendingOp>();
  let ackedOps = 0;

  for (const line of lines) {
    if (line.k === 'begin') pending.set(line.seq, line.pending);
    else if (line.k === 'ack') {
      pending.delete(line.seq);
      apply(model, line.acked);
      ackedOps += 1;
    } else if (line.k === 'resolve') {
      const op = pending.get(line.seq);
      pending.delete(line.seq);
      if (op && line.applied === true) apply(model, op);
    }
  }

  const resolutions: Resolution[] = [];
  for (const [seq, op] of pending) {
    const applied = observe(service, op, problems, context);
    resolutions.push({ seq, op: op.op, applied });
    if (applied === true) apply(model, op);
  }

  const integrity = db.pragma('integrity_check') as { integrity_check: string }[];
  if (integrity.length !== 1 || integrity[0]?.integrity_check !== 'ok') problems.push(`integrity_check: ${integrity.map((row) => row.integrity_check).join('; ')}`);
  const foreignKeys = db.pragma('foreign_key_check') as unknown[];
  if (foreignKeys.length > 0) problems.push(`foreign_key_check: ${foreignKeys.length} rows refer to missing rows`);

  // Every record, acked or not, must decrypt completely: a half-written version is a half-record.
  // Each version is decrypted once here and reused below (the check runs at every round's start).
  const testimonyVersions = new Map<string, TestimonyFields[]>();
  const mediaHeads = new Map<string, MediaFields>();
  const recordKinds = new Map<string, string>();
  const records = db.prepare('SELECT record_id, kind FROM records ORDER BY rowid').all() as { record_id: string; kind: string }[];
  for (const record of records) {
    recordKinds.set(record.record_id, record.kind);
    try {
      const versions = readAllVersions(session, record.record_id);
      if (record.kind === 'testimony') testimonyVersions.set(record.record_id, versions.map((version) => version.fields as TestimonyFields));
      const head = versions.at(-1);
      if (record.kind === 'media' && head) mediaHeads.set(record.record_id, head.fields as MediaFields);
    } catch (error) {
      problems.push(`${record.kind} ${record.record_id} does not decrypt completely: ${explain(error)}`);
    }
  }

  for (const [id, expected] of model.testimonies) {
    const present = recordKinds.get(id) === 'testimony';
    if (expected.deleted) {
      if (present) problems.push(`testimony ${id} was deleted (acked) but is still there`);
      continue;
    }
    if (!present) {
      problems.push(`testimony ${id} was acked but is missing`);
      continue;
    }
    const versions = testimonyVersions.get(id) ?? [];
    for (const [version, digest] of expected.versions) {
      const fields = versions[version - 1];
      if (!fields) problems.push(`testimony ${id} v${version} was acked but only ${versions.length} versions decrypt`);
      else if (testimonyDigest(fields) !== digest) problems.push(`testimony ${id} v${version} does not hold the acked fields`);
    }
  }

  const blobChecks = new Map<string, { sha256: string; size: number } | string>();
  const checkBlob = async (blobId: string) => {
    let check = blobChecks.get(blobId);
    if (check === undefined) {
      check = await blobDigest(service, blobId).catch(explain);
      blobChecks.set(blobId, check);
    }
    return check;
  };
  for (const [id, expected] of model.media) {
    const media = mediaHeads.get(id);
    if (expected.deleted || model.testimonies.get(expected.testimonyId)?.deleted === true) {
      if (recordKinds.has(id)) problems.push(`media ${id} was deleted (acked) but is still there`);
      continue;
    }
    if (!media) {
      problems.push(`media ${id} was acked but is missing`);
      continue;
    }
    if (media.testimonyId !== expected.testimonyId || media.sha256 !== expected.sha256 || media.sizeBytes !== expected.size) {
      problems.push(`media ${id} metadata differs from the ack`);
    }
    const content = await checkBlob(media.blobId);
    if (typeof content === 'string') problems.push(`media ${id} blob ${media.blobId}: ${content}`);
    else if (content.sha256 !== expected.sha256 || content.size !== expected.size) problems.push(`media ${id} blob content differs from the acked SHA-256`);
  }
  const blobBytesChecked = [...blobChecks.values()].reduce((sum, content) => sum + (typeof content === 'string' ? 0 : content.size), 0);

  // Structure: every media hangs off a live testimony and a blob; every named person exists.
  const links = new Map((db.prepare('SELECT record_id, blob_id FROM record_blobs').all() as { record_id: string; blob_id: string }[]).map((row) => [row.record_id, row.blob_id]));
  const blobRows = new Map((db.prepare('SELECT blob_id, sealed_size FROM blobs').all() as { blob_id: string; sealed_size: number }[]).map((row) => [row.blob_id, row.sealed_size]));
  const usedBlobs = new Set<string>();
  for (const [mediaId, media] of mediaHeads) {
    if (recordKinds.get(media.testimonyId) !== 'testimony') problems.push(`media ${mediaId} belongs to testimony ${media.testimonyId}, which is gone`);
    if (links.get(mediaId) !== media.blobId) problems.push(`media ${mediaId} is not linked to blob ${media.blobId}`);
    usedBlobs.add(media.blobId);
  }
  const testimonyHeads = new Map([...testimonyVersions].flatMap(([id, versions]) => {
    const head = versions.at(-1);
    return head ? [[id, head] as const] : [];
  }));
  for (const [testimonyId, fields] of testimonyHeads) {
    const named = [...(fields.intervieweeId ? [fields.intervieweeId] : []), ...fields.persons.map((person) => person.personId)];
    for (const personId of named) if (!recordExists(session, personId, 'person')) problems.push(`testimony ${testimonyId} names person ${personId}, who is gone`);
  }
  // The search snapshot is replaced by rename: after any kill it is the old one or the new one, never damaged.
  const snapshotExists = fs.existsSync(snapshotFilePath(session.paths.dir));
  if (model.reindexed && !snapshotExists) problems.push(`a reindex was acked but ${SNAPSHOT_FILE_NAME} is missing`);
  const snapshotTemps = () => fs.readdirSync(session.paths.dir).filter((name) => name.startsWith(`.${SNAPSHOT_FILE_NAME}`));
  let snapshotSource: 'snapshot' | 'rebuilt' | 'none' = 'none';
  if (snapshotExists || snapshotTemps().length > 0) {
    try {
      const search = await VaultSearch.open(session);
      snapshotSource = search.openReport.source;
      if (snapshotExists && search.openReport.rebuildReason !== undefined) problems.push(`${SNAPSHOT_FILE_NAME} was not usable after the kill: ${search.openReport.rebuildReason}`);
      search.close();
    } catch (error) {
      problems.push(`the search index does not open: ${explain(error)}`);
    }
    const stray = snapshotTemps();
    if (stray.length > 0) problems.push(`half-written snapshot files survived the search open: ${stray.join(', ')}`);
  }

  const blobFiles = fs.readdirSync(session.paths.blobDir);
  for (const name of blobFiles) {
    if (name.startsWith(BLOB_TEMP_PREFIX)) problems.push(`blobs/${name}: an unfinished intake survived the open`);
    else if (!blobRows.has(name)) problems.push(`blobs/${name}: an orphan file survived the open`);
  }
  for (const [blobId, sealedSize] of blobRows) {
    if (!usedBlobs.has(blobId)) problems.push(`blob ${blobId} has a row but no media uses it`);
    const file = path.join(session.paths.blobDir, blobId);
    const size = fs.existsSync(file) ? fs.statSync(file).size : -1;
    if (size !== sealedSize) problems.push(`blob ${blobId}: file is ${size} bytes, the row says ${sealedSize}`);
  }

  const values = <T>(map: Map<string, T>) => [...map.values()];
  return {
    problems,
    resolutions,
    counts: {
      ackedOps,
      liveTestimonies: values(model.testimonies).filter((t) => !t.deleted).length,
      deletedTestimonies: values(model.testimonies).filter((t) => t.deleted).length,
      liveMedia: values(model.media).filter((m) => !m.deleted && model.testimonies.get(m.testimonyId)?.deleted !== true).length,
      deletedMedia: values(model.media).filter((m) => m.deleted || model.testimonies.get(m.testimonyId)?.deleted === true).length,
      records: records.length,
      blobRows: blobRows.size,
      blobFiles: blobFiles.length,
      blobBytesChecked,
      snapshotSource,
    },
  };
}
