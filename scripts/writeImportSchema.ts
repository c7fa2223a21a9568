import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { testimonyImportJsonSchema } from '../src/main/core/records/testimonyJsonSchema.js';

/** Regenerates docs/testimony-import.schema.json from the zod schema that validates imports. */
const target = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../docs/testimony-import.schema.json');
fs.writeFileSync(target, `${JSON.stringify(testimonyImportJsonSchema(), null, 2)}\n`);
console.log(`wrote ${target}`);
