import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { testimonyImportJsonSchema } from '../../../src/main/core/records/testimonyJsonSchema.js';
import { TestimonyImportSchema } from '../../../src/main/core/records/testimonySchema.js';
import { repoRoot, sampleTestimony } from '../coreFixtures.js';

describe('the published testimony import schema', () => {
  it('matches the validator (regenerate with `npm run schema:import`)', () => {
    const committed = JSON.parse(fs.readFileSync(path.join(repoRoot, 'docs/testimony-import.schema.json'), 'utf8')) as unknown;
    expect(committed).toEqual(testimonyImportJsonSchema());
  });

  it('documents every field of the sample, and the sample validates', () => {
    const properties = Object.keys((testimonyImportJsonSchema().properties ?? {}) as Record<string, unknown>);
    expect(properties).toEqual(expect.arrayContaining(Object.keys(sampleTestimony())));
    expect(TestimonyImportSchema.safeParse(sampleTestimony()).success).toBe(true);
  });
});
