import { randomId } from '../crypto/index.js';
import { appendAuditEntry } from '../audit/auditLog.js';
import { VaultError } from '../errors.js';
import { matchKey } from '../search/normalizeText.js';
import type { VaultSession } from '../vault/VaultSession.js';
import { createRecord, listRecordIds, readRecord, recordExists } from './recordStore.js';
import { describeValidationError } from './testimonySchema.js';
import { VOCABULARY_SEED } from './vocabularySeed.js';
import {
  isArabicScript, VocabularyTermInputSchema, type VocabularyScheme, type VocabularyTerm, type VocabularyTermInput,
} from './vocabularySchema.js';

export function seedVocabulary(session: VaultSession): number {
  session.db.transaction(() => {
    for (const term of VOCABULARY_SEED) createRecord(session, 'vocabularyTerm', { ...term }, randomId());
  })();
  return VOCABULARY_SEED.length;
}

/**
 * The decrypted vocabulary, reused while no term is added, changed or removed: every testimony add
 * resolves its terms against it, and decrypting it each time was a fifth of an import. The stamp is
 * read from the database each call, so a rolled-back transaction or a merge is seen at once.
 */
const vocabularyCache = new WeakMap<VaultSession, { stamp: string; terms: readonly VocabularyTerm[] }>();

function vocabularyStamp(session: VaultSession): string {
  const rows = session.db.prepare("SELECT record_id, head_version FROM records WHERE kind = 'vocabularyTerm' ORDER BY rowid").raw().all() as [string, number][];
  return rows.map(([id, version]) => `${id}:${version}`).join(',');
}

export function listVocabulary(session: VaultSession, scheme?: VocabularyScheme): VocabularyTerm[] {
  const stamp = vocabularyStamp(session);
  let cached = vocabularyCache.get(session);
  if (cached?.stamp !== stamp) {
    const terms = listRecordIds(session, 'vocabularyTerm').map((id) => ({
      ...(readRecord(session, id, 'vocabularyTerm').fields as Omit<VocabularyTerm, 'id'>),
      id,
    }));
    cached = { stamp, terms };
    vocabularyCache.set(session, cached);
  }
  // Copies, so a caller that changes a term cannot change the cache.
  const terms = cached.terms.map((term) => ({ ...term, aliases: [...term.aliases] }));
  return scheme ? terms.filter((term) => term.scheme === scheme) : terms;
}

export function termLabels(term: Pick<VocabularyTerm, 'labelEn' | 'labelAr' | 'aliases'>): string[] {
  return [term.labelEn, term.labelAr, ...term.aliases].filter((label): label is string => label !== undefined);
}

export function addVocabularyTerm(session: VaultSession, input: VocabularyTermInput | unknown): VocabularyTerm {
  const parsed = VocabularyTermInputSchema.safeParse(input);
  if (!parsed.success) throw new VaultError('INVALID_INPUT', `invalid vocabulary term: ${describeValidationError(parsed.error)}`);
  return session.db.transaction(() => {
    const id = randomId();
    createRecord(session, 'vocabularyTerm', parsed.data, id);
    appendAuditEntry(session, { action: 'vocabulary.add', recordId: id, version: 1 });
    return { ...parsed.data, id };
  })();
}

export type ResolvedTerms = { ids: string[]; added: { scheme: VocabularyScheme; label: string }[] };

/**
 * Matches labels against a scheme's labels and aliases after normalisation (so `Saydnaya`,
 * `صيدنايا` and `صَيْدْنايا` all hit Sednaya). Unknown labels become new terms, reported to the caller.
 */
export function resolveTerms(session: VaultSession, scheme: VocabularyScheme, labels: string[], known: VocabularyTerm[]): ResolvedTerms {
  const byKey = new Map<string, string>();
  for (const term of known.filter((t) => t.scheme === scheme)) {
    for (const label of termLabels(term)) byKey.set(matchKey(label), term.id);
  }
  const ids: string[] = [];
  const added: ResolvedTerms['added'] = [];
  for (const label of labels) {
    const key = matchKey(label);
    let id = byKey.get(key);
    if (!id) {
      const term = addVocabularyTerm(session, isArabicScript(label) ? { scheme, labelAr: label } : { scheme, labelEn: label });
      known.push(term);
      id = term.id;
      byKey.set(key, id);
      added.push({ scheme, label });
    }
    if (!ids.includes(id)) ids.push(id);
  }
  return { ids, added };
}

export function vocabularyTermExists(session: VaultSession, id: string): boolean {
  return recordExists(session, id, 'vocabularyTerm');
}
