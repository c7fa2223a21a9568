import { createHash } from 'node:crypto';
import fs from 'node:fs';

/** What is known before a call: written (and fsynced) first, so a kill mid-call leaves an in-doubt op to check. */
export type PendingOp =
  | { op: 'add'; digest: string }
  | { op: 'edit'; id: string; version: number; digest: string }
  | { op: 'attach'; testimonyId: string; sha256: string; size: number }
  | { op: 'deleteTestimony'; id: string }
  | { op: 'deleteMedia'; id: string }
  /** Passphrase number `to` replaces the current one (see crashPassphrase). */
  | { op: 'passwd'; to: number }
  /** The search index is rebuilt from the records and its sealed snapshot rewritten. */
  | { op: 'reindex' };

/** What a returned call vouches for: from here on it must survive any crash. */
export type AckedOp =
  | { op: 'add'; id: string; version: 1; digest: string }
  | { op: 'edit'; id: string; version: number; digest: string }
  | { op: 'attach'; id: string; testimonyId: string; sha256: string; size: number }
  | { op: 'deleteTestimony'; id: string }
  | { op: 'deleteMedia'; id: string }
  | { op: 'passwd'; to: number }
  | { op: 'reindex' };

/**
 * One line of the ack file. `resolve` records what the next round observed for an op that was in
 * flight when the process was killed (`applied: null` when the op's outcome cannot be seen, e.g. an add).
 */
export type AckLine =
  | { k: 'round'; round: number; pid: number }
  | { k: 'begin'; seq: number; pending: PendingOp }
  | { k: 'ack'; seq: number; acked: AckedOp }
  | { k: 'resolve'; seq: number; applied: boolean | null };

export type AckLogWriter = { append(line: AckLine): void; close(): void };

/** Appends JSON lines and fsyncs each one, so an ack written before a SIGKILL is on disk for the next round. */
export function openAckLog(filePath: string): AckLogWriter {
  const fd = fs.openSync(filePath, 'a', 0o600);
  return {
    append(line) {
      fs.writeSync(fd, `${JSON.stringify(line)}\n`);
      fs.fsyncSync(fd);
    },
    close: () => fs.closeSync(fd),
  };
}

/** Reads every complete line; a last line cut by the kill (no newline) was never acknowledged and is dropped. */
export function readAckLog(filePath: string): AckLine[] {
  if (!fs.existsSync(filePath)) return [];
  const text = fs.readFileSync(filePath, 'utf8');
  const complete = text.endsWith('\n') ? text : text.slice(0, text.lastIndexOf('\n') + 1);
  return complete.split('\n').filter((line) => line.length > 0).map((line) => JSON.parse(line) as AckLine);
}

/** The testimony fields the crash loop writes and checks, hashed in a fixed order. */
export type CheckedTestimonyFields = { reference: string; title: string; language: string; transcript: string; summary: string; tags: string[] };

export function testimonyDigest(fields: CheckedTestimonyFields): string {
  const canonical = JSON.stringify([fields.reference, fields.title, fields.language, fields.transcript, fields.summary, fields.tags]);
  return createHash('sha256').update(canonical).digest('hex');
}

/** The crash loop's passphrases: number 0 is the one the vault was created with, each change moves to a new number. */
export function crashPassphrase(base: string, number: number): string {
  return number === 0 ? base : `${base} (change ${number})`;
}

/**
 * Which passphrase numbers may open the vault after a kill: the last acknowledged (or resolved-applied)
 * change, and the target of a change that was in flight (tried first: it either committed or did not).
 */
export function passphraseCandidates(lines: readonly AckLine[]): { current: number; inDoubt: number | null } {
  const pending = new Map<number, number>();
  let current = 0;
  for (const line of lines) {
    if (line.k === 'begin' && line.pending.op === 'passwd') pending.set(line.seq, line.pending.to);
    else if (line.k === 'ack' && line.acked.op === 'passwd') {
      pending.delete(line.seq);
      current = line.acked.to;
    } else if (line.k === 'resolve' && pending.has(line.seq)) {
      if (line.applied === true) current = pending.get(line.seq) ?? current;
      pending.delete(line.seq);
    }
  }
  const inDoubt = [...pending.values()].at(-1) ?? null;
  return { current, inDoubt };
}
