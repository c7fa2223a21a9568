import { z } from 'zod';
import { TestimonyImportSchema } from './testimonySchema.js';

/** The published JSON Schema of the import format, derived from the validator so they cannot drift. */
export function testimonyImportJsonSchema(): Record<string, unknown> {
  return {
    ...z.toJSONSchema(TestimonyImportSchema, { io: 'input', unrepresentable: 'any' }),
    $id: 'https://testimony-vault.invalid/schemas/testimony-import.schema.json',
    title: 'Testimony Vault: testimony import',
    description: 'Input of `tvault testimony add`. Vocabulary fields take labels or aliases in English or Arabic; unknown terms are added and reported.',
  };
}
