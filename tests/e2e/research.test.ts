import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureSodium, generateAgeIdentity } from '../../src/main/core/crypto/index.js';
import type { ResearchHost } from '../../src/main/electron/researchHandlers.js';
import type { IpcResult } from '../../src/shared/ipc/result.js';
import { foreignRequests, repoRoot, startAppSession, type AppSession } from './e2eHarness.js';

/**
 * The research side in Chromium over real core: search (Arabic variants, aliases, syntax errors,
 * facets), jumping to the match, analytics and its CSV, the export wizard with a marked passage,
 * and opening the sealed bundle again, verified. Main-process dialogs answer from queues.
 */
const WITNESS = 'Samir Youssef Qassem';
const MARKED = 'the red building';

let app: AppSession;
let work: string;
const lawyer = { recipient: '', keyPath: '' };
const answers: { csv: string[]; exportFolder: string[]; bundle: string[]; identity: string[] } = { csv: [], exportFolder: [], bundle: [], identity: [] };
const ids = { arabic: '', english: '', publicOnly: '' };

function valueOf<T>(result: IpcResult<T>): T {
  if (!result.ok) throw new Error(`expected ok, got ${result.code}: ${result.message}`);
  return result.value;
}

async function openScreen(screen: 'research' | 'export' | 'openBundle'): Promise<void> {
  await app.page.locator(`[data-screen="${screen}"]`).first().click();
}

/**
 * Waits until a DOM expression is true. (page.waitForFunction compiles its predicate with eval
 * when it has to poll, which the app's CSP rightly refuses; page.evaluate does not.)
 */
async function until(expression: string): Promise<void> {
  await expect.poll(() => app.inPage<boolean>(expression), { timeout: 60_000, interval: 50 }).toBe(true);
}

async function search(query: string): Promise<void> {
  await app.page.locator('input[name=research-query]').fill(query);
  await app.page.locator('form.query-bar button[type=submit]').click();
  await until('!document.querySelector("form.query-bar button[type=submit]").disabled');
}

async function hitReferences(): Promise<string[]> {
  return (await app.page.locator('.hits .hit-reference').allTextContents()).sort();
}

beforeAll(async () => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'tv-research-e2e-'));
  await ensureSodium();
  const identity = generateAgeIdentity(new Date());
  lawyer.recipient = identity.recipient;
  lawyer.keyPath = path.join(work, 'key.txt');
  fs.writeFileSync(lawyer.keyPath, identity.fileText, { mode: 0o600 });

  app = await startAppSession({ prefix: 'tv-research-' });
  const host: ResearchHost = {
    appVersion: '0.1.0-e2e',
    chooseCsvPath: () => Promise.resolve(answers.csv.shift() ?? null),
    chooseExportFolder: () => Promise.resolve(answers.exportFolder.shift() ?? null),
    chooseBundleFolder: () => Promise.resolve(answers.bundle.shift() ?? null),
    chooseIdentityFile: () => Promise.resolve(answers.identity.shift() ?? null),
  };
  app.fixture.ctx.research = host;
  await app.createVault();

  // The records carry vocabulary and consent (the add form is exercised in app.test.ts); through the same handler table as the page.
  const { handlers } = app.fixture;
  ids.arabic = valueOf(await handlers['testimony:create']({
    reference: 'AR-2024-001', title: 'شهادة ناجٍ من سجن صَيْدْنايا', language: 'ar',
    transcript: 'اعتُقلتُ في حمص عام ٢٠١٣.\nنُقلتُ إلى صَيْدْنايا حيث بقيتُ في المبنى الأحمر سنتين.',
    facilities: ['صيدنايا'], violations: ['torture'], period: { from: '2013', to: '2015' },
    consent: { scopes: ['icc'], anonymity: true, mediaUse: false },
  })).testimonyId;
  ids.english = valueOf(await handlers['testimony:create']({
    reference: 'EN-2024-002', title: 'Arrest at a Homs checkpoint', language: 'en',
    interviewee: { name: WITNESS, phone: '+963 933 410 552' },
    transcript: `I am ${WITNESS}. I was held in Branch 215 and then moved to Sednaya in 2014, where I was kept in ${MARKED} for a year.`,
    facilities: ['Branch 215 (Raids Branch)', 'Sednaya Military Prison'], perpetratorUnits: ['Military Intelligence Directorate'], violations: ['torture', 'enforced disappearance'],
    period: { from: '2012-10', to: '2014' },
    consent: { scopes: ['icc', 'ngo'], anonymity: true, mediaUse: true },
  })).testimonyId;
  ids.publicOnly = valueOf(await handlers['testimony:create']({
    reference: 'PUB-2024-003', title: 'A statement for the press', language: 'en', transcript: 'Saydnaya is a prison north of Damascus.',
    facilities: ['Sednaya Military Prison'], consent: { scopes: ['public'], anonymity: true, mediaUse: false },
  })).testimonyId;
  const service = app.fixture.ctx.state.service;
  if (!service) throw new Error('the vault should be open');
  await service.addMedia(ids.english, path.join(repoRoot, 'tests/fixtures/photo-with-gps.jpg'), { custodian: 'e2e documenter' });
});

afterAll(async () => {
  await app?.close();
  if (work) fs.rmSync(work, { recursive: true, force: true });
});

describe('research and export in Chromium', () => {
  it('finds the vocalised Arabic spelling from a plain query and marks it as text', async () => {
    await openScreen('research');
    await app.page.locator('#research-heading').waitFor();
    await search('صيدنايا');
    expect(await hitReferences()).toContain('AR-2024-001');
    const marks = await app.page.locator('.hit:has-text("AR-2024-001") .snippet mark').allTextContents();
    expect(marks).toContain('صَيْدْنايا');
    // Snippets are text: no element but <mark> and <span> inside.
    expect(await app.inPage<number>('document.querySelectorAll(".snippet *:not(mark):not(span)").length')).toBe(0);
  });

  it('expands an alias through the vocabulary and says what else it searched', async () => {
    await search('Saydnaya');
    expect(await hitReferences()).toEqual(['AR-2024-001', 'EN-2024-002', 'PUB-2024-003']);
    const expansions = await app.textOf('.expansions');
    expect(expansions).toContain('Also searched:');
    expect(expansions).toMatch(/sednaya/i);
    expect(expansions).toContain('صيدنايا');
    await app.shot('research-en');
  });

  it('explains a query it cannot read', async () => {
    await search('"unclosed phrase');
    await app.page.locator('.query-error[role=alert]').waitFor();
    expect(await app.textOf('.query-error')).toContain('The query could not be read');
    expect(await app.textOf('.query-error .notice-detail')).toMatch(/^query: /);
  });

  it('filters by facility with counts, and jumps to the matched passage', async () => {
    await search('torture OR Sednaya');
    const branch = app.page.locator('fieldset[data-dimension=facility] label.facet-value', { hasText: '215' });
    expect(await branch.locator('.facet-count').textContent()).toBe('1');
    await branch.locator('input').check();
    await until('document.querySelectorAll(".hits .hit").length === 1');
    expect(await hitReferences()).toEqual(['EN-2024-002']);
    expect(await app.textOf('.result-count')).toContain('filters: 1');
    await app.shot('research-filtered-en');

    await app.page.locator('.hit .hit-title').click();
    await app.page.locator('.transcript mark.match').first().waitFor();
    expect((await app.page.locator('.transcript mark.match').allTextContents()).join(' ')).toMatch(/Sednaya/);
    expect(await app.textOf('.transcript')).toContain(MARKED);
    await app.shot('research-match-en');
    await app.page.locator('button.back').click();
    await app.page.locator('#research-heading').waitFor();
    await branch.locator('input').uncheck();
    await until('document.querySelectorAll(".hits .hit").length === 3');
  });

  it('charts facility × violation × year and unit × year, and saves a CSV without personal data', async () => {
    await search('');
    await app.page.locator('button[role=tab]', { hasText: 'Analytics' }).click();
    await app.page.locator('#chart-facility').waitFor();
    await app.page.locator('.chart svg .recharts-bar-rectangle').first().waitFor();
    expect(await app.page.locator('.chart').count()).toBe(2);
    expect(await app.textOf('.analytics')).toContain('Military Intelligence');
    await app.shot('analytics-en');
    const csvPath = path.join(work, 'counts.csv');
    answers.csv.push(csvPath);
    await app.page.locator('button.save-csv').click();
    await app.page.locator('.analytics .notice-ok').waitFor();
    expect(await app.textOf('.analytics .notice-ok')).toContain('counts.csv');
    const csv = fs.readFileSync(csvPath, 'utf8');
    expect(csv).toContain('unit_year');
    for (const secret of [WITNESS, 'EN-2024-002', 'AR-2024-001', MARKED, ids.english]) expect(csv).not.toContain(secret);
    await app.page.locator('button[role=tab]', { hasText: 'Results' }).click();
  });

  it('exports the search result: consent refusals, a reviewed redaction, the leak check and seal', async () => {
    await app.page.locator('button.export-results').click();
    await app.page.locator('#wizard-heading').waitFor();
    await app.page.locator('input[name=export-item]').first().waitFor();
    expect(await app.page.locator('input[name=export-item]:checked').count()).toBe(3);
    await app.page.locator('button.next').click();

    await app.page.locator('select[name=profile]').selectOption('icc');
    await app.page.locator('textarea[name=recipients]').fill('age1notakey');
    expect(await app.textOf('[role=alert]')).toContain('not age public keys');
    await app.page.locator('textarea[name=recipients]').fill(lawyer.recipient);
    await app.page.locator('button.next').click();

    await app.page.locator('table.consent-table').waitFor();
    expect(await app.textOf('tr:has-text("PUB-2024-003")')).toContain('consent does not cover this recipient');
    expect(await app.page.locator('tr.consent-ok').count()).toBe(2);
    await app.shot('export-consent-en');
    await app.page.locator('button.next').click();

    await app.page.locator('.item-tabs button', { hasText: 'EN-2024-002' }).click();
    await app.page.locator('.suggestion', { hasText: WITNESS }).waitFor();
    await until(`document.querySelector('textarea.original').value.includes(${JSON.stringify(MARKED)})`);
    const start = await app.inPage<number>(`document.querySelector('textarea.original').value.indexOf(${JSON.stringify(MARKED)})`);
    await app.inPage(`document.querySelector('textarea.original').setSelectionRange(${start}, ${start + MARKED.length})`);
    await app.page.locator('button.mark-selection').click();
    await app.page.locator('.spans li', { hasText: MARKED }).waitFor();
    await until(`!document.querySelector('.preview-text').textContent.includes(${JSON.stringify(MARKED)}) && document.querySelectorAll('.preview-text mark.pseudonym').length >= 2`);
    const preview = await app.textOf('.preview-text');
    expect(preview).not.toContain(WITNESS);
    expect(preview).not.toContain(MARKED);
    // A box drawn across the photo: the export blacks it out when it rebuilds the image.
    const photo = app.page.locator('.region-canvas img');
    await until('(() => { const img = document.querySelector(".region-canvas img"); return img !== null && img.complete && img.naturalWidth > 0; })()');
    const frame = await photo.boundingBox();
    if (!frame) throw new Error('the photo is not shown');
    await app.page.mouse.move(frame.x + frame.width * 0.2, frame.y + frame.height * 0.2);
    await app.page.mouse.down();
    await app.page.mouse.move(frame.x + frame.width * 0.5, frame.y + frame.height * 0.45, { steps: 5 });
    await app.page.mouse.up();
    await app.page.locator('.region-list li').waitFor();
    expect(await app.page.locator('.region-canvas .region-box').count()).toBe(1);
    expect(await app.inPage<string>('document.querySelector(".region-canvas img").src')).toMatch(/^blob:/);
    await app.page.locator('.redaction-columns').scrollIntoViewIfNeeded();
    await app.shot('export-redaction-en');
    await app.page.locator('.image-regions').scrollIntoViewIfNeeded();
    await app.shot('export-image-en');
    await app.page.locator('button.save-plan').click();
    await app.page.locator('.redaction-review [role=status]').waitFor();
    await app.page.locator('button.next').click();

    answers.exportFolder.push(path.join(work, 'bundle'));
    await app.page.locator('button.seal').click();
    await app.page.locator('.export-summary.sealed').waitFor();
    const controlNumbers = await app.page.locator('table.control-numbers td.reference').allTextContents();
    expect(controlNumbers).toHaveLength(2);
    for (const number of controlNumbers) expect(number).toMatch(/^[A-Z][A-Z0-9]*-\d{6,}$/);
    expect(await app.textOf('.export-summary')).toContain('Left out for lack of consent: 1');
    expect(await app.textOf('table.control-numbers')).toContain('1 included, 0 left out');
    expect(fs.existsSync(path.join(work, 'bundle', 'payload.age'))).toBe(true);
    await app.shot('export-sealed-en');
  });

  it('opens the shared export read-only: signature, hashes, decrypted in memory, redacted', async () => {
    const signer = (await app.page.locator('.export-summary code.signer-key').textContent()) ?? '';
    expect(signer).toMatch(/^RW/);
    await openScreen('openBundle');
    await app.page.locator('#bundle-heading').waitFor();
    await app.page.locator('input[name=expected-signer]').fill(signer);
    answers.bundle.push(path.join(work, 'bundle'));
    answers.identity.push(lawyer.keyPath);
    const before = fs.readdirSync(work).sort();
    await app.page.locator('button.choose-bundle').click();
    await app.page.locator('.bundle-view[data-status=opened]').waitFor();
    expect(await app.textOf('.bundle-verdict')).toContain('Verified: signed by the expected key');
    expect(await app.page.locator('.checks .check.failed').count()).toBe(0);
    expect(await app.page.locator('.checks .check.ok').count()).toBeGreaterThan(3);
    expect(await app.page.locator('.opened-testimony').count()).toBe(2);
    const opened = await app.textOf('.bundle-view');
    expect(opened).not.toContain(WITNESS);
    expect(opened).not.toContain(MARKED);
    expect(fs.readdirSync(work).sort()).toEqual(before);
    await app.shot('bundle-en');
  });

  it('shows every research screen in Arabic, right to left', async () => {
    await app.switchLanguage('ar');
    expect(await app.inPage<string>('document.documentElement.dir')).toBe('rtl');
    await app.shot('bundle-ar');
    await openScreen('research');
    await app.page.locator('#research-heading').waitFor();
    expect(await app.textOf('#research-heading')).toBe('البحث');
    await search('صَيْدْنايا');
    expect(await app.textOf('.result-count')).toContain('الشهادات الموجودة');
    await app.shot('research-ar');
    await app.page.locator('button[role=tab]', { hasText: 'الإحصاءات' }).click();
    await app.page.locator('.chart svg .recharts-bar-rectangle').first().waitFor();
    await app.shot('analytics-ar');
    await openScreen('export');
    await app.page.locator('#wizard-heading').waitFor();
    expect(await app.textOf('#wizard-heading')).toBe('تصدير إلى جهة مستلمة');
    await app.shot('export-ar');
    await app.page.locator('button.next').click();
    await app.page.locator('textarea[name=recipients]').fill(lawyer.recipient);
    await app.page.locator('button.next').click();
    await app.page.locator('table.consent-table').waitFor();
    expect(await app.textOf('tr:has-text("PUB-2024-003")')).toContain('الموافقة لا تشمل هذه الجهة');
    await app.shot('export-consent-ar');
    await app.page.locator('button.next').click();
    await app.page.locator('.item-tabs button', { hasText: 'AR-2024-001' }).click();
    await app.page.locator('.preview-text').waitFor();
    await app.shot('export-redaction-ar');
    await app.switchLanguage('en');
  });

  it('never left the app origin, showed no dialog, broke no CSP rule', () => {
    expect(app.requests.length).toBeGreaterThan(0);
    expect(foreignRequests(app)).toEqual([]);
    expect(app.dialogs).toEqual([]);
    expect(app.consoleProblems).toEqual([]);
    expect(app.pageErrors).toEqual([]);
    expect(app.failedResponses).toEqual([]);
  });
});
