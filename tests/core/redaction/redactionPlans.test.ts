import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sha256Hex } from '../../../src/main/core/crypto/index.js';
import { openBundle } from '../../../src/main/core/export/openBundle.js';
import { previewRedaction } from '../../../src/main/core/export/previewRedaction.js';
import { getTestimony } from '../../../src/main/core/records/testimonies.js';
import { REDACTION_PLAN_FORMAT, type RedactionPlan } from '../../../src/main/core/redaction/redactionPlanSchema.js';
import { deleteRedactionPlan, loadRedactionPlan, saveRedactionPlan } from '../../../src/main/core/redaction/redactionPlans.js';
import { suggestRedactionPlan } from '../../../src/main/core/redaction/suggestRedactionPlan.js';
import { loadRedactionSubject } from '../../../src/main/core/redaction/redactionSubjectOf.js';
import { suggestRedactions } from '../../../src/main/core/redaction/suggestRedactions.js';
import { createTestVault, errorCodeOf, sampleTestimony, type VaultFixture } from '../coreFixtures.js';
import { PHOTO_WITH_GPS, exportTo, lawyerKey, type LawyerKey } from '../export/exportFixtures.js';

describe('redaction plans: suggested, reviewed, kept encrypted with the testimony, used by the export', () => {
  let vault: VaultFixture;
  let work: string;
  let key: LawyerKey;
  let testimonyId: string;
  let otherId: string;
  let mediaId: string;

  beforeAll(async () => {
    vault = await createTestVault();
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'tv-plans-'));
    key = lawyerKey(work);
    testimonyId = vault.service.addTestimony(sampleTestimony()).testimonyId;
    otherId = vault.service.addTestimony({ ...sampleTestimony(), reference: 'OTHER' }).testimonyId;
    mediaId = (await vault.service.addMedia(testimonyId, PHOTO_WITH_GPS, { custodian: 'team A' })).id;
  });
  afterAll(() => {
    vault.cleanup();
    fs.rmSync(work, { recursive: true, force: true });
  });

  const session = () => vault.service.sessionForCore;

  const draftPlan = (): RedactionPlan => suggestRedactionPlan(session(), testimonyId);

  it('suggests every name, alias, name part and identifier with a stable id and how often it occurs', () => {
    const plan = draftPlan();
    const byText = new Map(plan.suggestions.map((s) => [s.text, s]));
    expect(byText.get('Samir Youssef Qassem')).toMatchObject({ source: 'person', category: 'witness-name', decision: 'accept', occurrences: 1 });
    expect(byText.get('سمير يوسف قاسم')).toMatchObject({ category: 'witness-name', occurrences: 0 });
    expect(byText.get('Qassem')).toMatchObject({ category: 'name-part' });
    expect(byText.get('+963 933 410 552')).toMatchObject({ category: 'phone', occurrences: 1 });
    expect(byText.get('the interrogator known as Abu Ali')).toMatchObject({ category: 'person-name' });
    expect(byText.has('interrogator')).toBe(false);
    expect(draftPlan().suggestions.map((s) => s.id)).toEqual(plan.suggestions.map((s) => s.id));
    // An export asks for the same suggestions without the counts (they are for the reviewer).
    const uncounted = suggestRedactions(loadRedactionSubject(session(), testimonyId), { countOccurrences: false }).plan.suggestions;
    expect(uncounted).toEqual(plan.suggestions.map(({ occurrences: _count, ...suggestion }) => suggestion));
  });

  it('previews what the export would make of the text, and refuses as it would', () => {
    const preview = previewRedaction(session(), testimonyId, 'icc');
    expect(preview.anonymised).toBe(true);
    expect(preview.transcript).toContain('I am [WITNESS-1].');
    expect(preview.transcript).toContain('call me on [PHONE].');
    expect(preview.events.map((e) => e.category)).toEqual(['witness-name', 'person-name', 'phone']);
    expect(() => previewRedaction(session(), testimonyId, 'public')).toThrow(expect.objectContaining({ code: 'ITEMS_REFUSED' }));
  });

  it('keeps a plan encrypted: nothing of it is readable in the database, and it cannot be moved to another testimony', () => {
    const plan = { ...draftPlan(), suggestions: [...draftPlan().suggestions, { source: 'user' as const, category: 'custom' as const, text: 'PLAN-CANARY-7f3e', decision: 'accept' as const }] };
    saveRedactionPlan(session(), testimonyId, plan);
    expect(loadRedactionPlan(session(), testimonyId)?.suggestions.at(-1)?.text).toBe('PLAN-CANARY-7f3e');
    const row = session().db.prepare('SELECT wrapped_key, plan_ciphertext FROM redaction_plans WHERE testimony_id = ?').get(testimonyId) as { wrapped_key: Buffer; plan_ciphertext: Buffer };
    expect(row.plan_ciphertext.includes('PLAN-CANARY')).toBe(false);
    expect(row.plan_ciphertext.includes('Samir')).toBe(false);
    expect(loadRedactionPlan(session(), otherId)).toBeNull();
    // Copied to another testimony's row, the ciphertext and key no longer authenticate.
    session().db.prepare('INSERT INTO redaction_plans VALUES (?, ?, ?)').run(otherId, row.wrapped_key, row.plan_ciphertext);
    expect(() => loadRedactionPlan(session(), otherId)).toThrow(expect.objectContaining({ code: 'AUTH_FAILED' }));
    expect(deleteRedactionPlan(session(), otherId)).toBe(true);
    expect(() => saveRedactionPlan(session(), otherId, plan)).toThrow(expect.objectContaining({ code: 'INVALID_INPUT' }));
  });

  it('exports with the saved plan: a rejected perpetrator name stays, an added term gets its pseudonym, a marked region is black in the pixels', async () => {
    const plan = draftPlan();
    const perpetrator = plan.suggestions.find((s) => s.text === 'the interrogator known as Abu Ali');
    const transcript = getTestimony(session(), testimonyId).transcript;
    const start = transcript.indexOf('seventy men');
    saveRedactionPlan(session(), testimonyId, {
      ...plan,
      suggestions: [
        ...plan.suggestions.map((s) => (s.id === perpetrator?.id ? { ...s, decision: 'reject' as const } : s)),
        { source: 'user', category: 'custom', text: 'outside Homs', decision: 'accept', pseudonym: '[PLACE-1]', reason: 'the checkpoint can identify the witness' },
      ],
      spans: [{ field: 'transcript', start, end: start + 'seventy men'.length, textSha256: sha256Hex('seventy men'), reason: 'numbers the documenter withholds' }],
      imageRegions: [{ mediaId, x: 100, y: 50, width: 200, height: 120, reason: 'a face' }],
    });
    const bundle = path.join(work, 'bundle');
    const report = await exportTo(vault.service, { testimonyIds: [testimonyId], profile: 'icc', recipients: [key.recipient], outDir: bundle });
    const control = report.items[0]?.controlNumber ?? '';
    const out = path.join(work, 'opened');
    await openBundle({ bundleDir: bundle, outDir: out, identityText: key.identityText });
    const exported = JSON.parse(fs.readFileSync(path.join(out, 'testimonies', `${control}.json`), 'utf8')) as { transcript: string; people: { role: string; pseudonym?: string }[] };
    expect(exported.transcript).toContain('stopped at a checkpoint [PLACE-1]');
    expect(exported.transcript).toContain('We were [REDACTED] in a cell');
    expect(exported.transcript).toContain('I am [WITNESS-1].');
    const log = fs.readFileSync(path.join(out, 'REDACTION_LOG.csv'), 'utf8');
    expect(log).toContain(`"media/${control}-1.jpg region x=100 y=50 w=200 h=120","image-region","a face","[BLACKED-OUT]"`);
    expect(log).toContain('"custom","the checkpoint can identify the witness","[PLACE-1]"');
    const { data, info } = await sharp(path.join(out, `media/${control}-1.jpg`)).raw().toBuffer({ resolveWithObject: true });
    const pixel = (x: number, y: number) => [...data.subarray((y * info.width + x) * info.channels, (y * info.width + x) * info.channels + 3)];
    for (const [x, y] of [[101, 51], [200, 110], [298, 168]] as const) expect(Math.max(...pixel(x, y))).toBeLessThan(16);
    expect(Math.max(...pixel(500, 400))).toBeGreaterThan(40);
  });

  it('refuses the item when a marked span no longer matches the edited testimony', async () => {
    vault.service.updateTestimony(testimonyId, { transcript: `Edited. ${getTestimony(session(), testimonyId).transcript}` });
    const error = await exportTo(vault.service, { testimonyIds: [testimonyId], profile: 'icc', recipients: [key.recipient], outDir: path.join(work, 'stale') }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'ITEMS_REFUSED', report: { refused: [{ testimonyId, code: 'PLAN_STALE' }] } });
    expect(await errorCodeOf(() => exportTo(vault.service, { testimonyIds: [testimonyId], profile: 'icc', recipients: [key.recipient], outDir: path.join(work, 'stale2'), plans: { [testimonyId]: { format: REDACTION_PLAN_FORMAT } } }))).toBe('ITEMS_REFUSED');
  });

  it('goes with its testimony: deleting the testimony crypto-shreds the plan', () => {
    saveRedactionPlan(session(), otherId, { format: REDACTION_PLAN_FORMAT, testimonyId: otherId, testimonyVersion: 1 });
    vault.service.deleteTestimony(otherId);
    expect(session().db.prepare('SELECT COUNT(*) AS n FROM redaction_plans WHERE testimony_id = ?').get(otherId)).toEqual({ n: 0 });
  });
});
