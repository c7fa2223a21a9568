import type { VocabularyTerm } from '../core/records/vocabularySchema.js';

/** The label a person reads first: English, else Arabic (a term always has one of the two). */
export function termLabel(term: Pick<VocabularyTerm, 'labelEn' | 'labelAr'>): string {
  return term.labelEn ?? term.labelAr ?? '(no label)';
}
