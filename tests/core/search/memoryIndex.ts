import type { IndexDocument, IndexEntity } from '../../../src/main/core/search/indexDocument.js';
import { SearchIndex, type SnippetSource } from '../../../src/main/core/search/SearchIndex.js';

/** A testimony for the index with neutral defaults; tests override what they are about. */
export function plainDocument(id: string, fields: Partial<IndexDocument> = {}): IndexDocument {
  return {
    id,
    version: 1,
    reference: `REF-${id}`,
    title: '',
    summary: '',
    transcript: '',
    tags: [],
    facilityIds: [],
    perpetratorUnitIds: [],
    violationIds: [],
    personIds: [],
    language: 'en',
    status: 'draft',
    consentScopes: [],
    consentWithdrawn: false,
    ...fields,
  };
}

/**
 * An index built straight from in-memory records (no vault, no KDF): for the large and
 * hand-computed corpora. Snippet text comes from the same objects, as it would from decryption.
 */
export function memoryIndex(entities: readonly IndexEntity[], documents: readonly IndexDocument[]): { index: SearchIndex; snippets: SnippetSource } {
  const index = SearchIndex.create();
  const byId = new Map(documents.map((document) => [document.id, document]));
  index.transaction(() => {
    for (const entity of entities) index.upsertEntity(entity);
    for (const document of documents) index.upsertDocument(document);
  });
  const snippets: SnippetSource = (id, use) => {
    const document = byId.get(id);
    if (!document) throw new Error(`no document ${id}`);
    return use({ title: document.title, summary: document.summary, transcript: document.transcript });
  };
  return { index, snippets };
}
