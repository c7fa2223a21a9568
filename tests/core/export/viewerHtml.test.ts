import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { GENERATED_VIEWER_MODULE, buildViewerHtml, generatedModuleSource } from '../../../scripts/buildViewer.js';
import { BUNDLE_CONSENT_SCOPES, BUNDLE_PERSON_ROLES, BUNDLE_PROFILES, TRANSFER_PROFILE } from '../../../src/main/core/export/bundleVocabulary.js';
import { PERSON_ROLES } from '../../../src/main/core/records/personSchema.js';
import { CONSENT_SCOPES } from '../../../src/main/core/records/testimonySchema.js';

describe('the viewer that exports ship', () => {
  it('is the build of the current viewer source (run `npm run build:viewer` after changing it)', async () => {
    const html = await buildViewerHtml();
    expect(fs.readFileSync(GENERATED_VIEWER_MODULE, 'utf8')).toBe(generatedModuleSource(html));
  });

  it('names profiles and roles exactly as the records do', () => {
    expect(BUNDLE_CONSENT_SCOPES).toEqual(CONSENT_SCOPES);
    expect(BUNDLE_PROFILES).toEqual([...CONSENT_SCOPES, TRANSFER_PROFILE]);
    expect(BUNDLE_PERSON_ROLES).toEqual(PERSON_ROLES);
  });
});
