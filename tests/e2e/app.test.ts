import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cspHeader } from '../../src/main/electron/security.js';
import { foreignRequests, IPC_TEST_PASSPHRASE, startAppSession, type AppSession } from './e2eHarness.js';

/**
 * The built renderer in Debian's Chromium, talking to the real handler table over real core, a
 * real vault in a temp folder and real crypto (see e2eHarness.ts).
 */
const XSS_TITLE = '<img src=x onerror=alert(1)>';
const XSS_TRANSCRIPT = 'Before <svg onload=alert(1)> middle <a href="javascript:alert(2)">click me</a> \u202Eevil.exe\u202C after <script>alert(3)</script>';

let app: AppSession;
const page = () => app.page;
const shot = (name: string) => app.shot(name);
const textOf = (selector: string) => app.textOf(selector);
const inPage = <T>(expression: string) => app.inPage<T>(expression);
const switchLanguage = (expected: 'ar' | 'en') => app.switchLanguage(expected);
const unlock = (passphrase: string) => app.unlock(passphrase);

async function addTestimony(values: { reference: string; title: string; language: string; transcript: string }, screenshot?: string): Promise<void> {
  await page().locator('button.add-testimony').click();
  await page().locator('input[name=reference]').fill(values.reference);
  await page().locator('input[name=title]').fill(values.title);
  await page().locator('select[name=language]').selectOption(values.language);
  await page().locator('textarea[name=transcript]').fill(values.transcript);
  if (screenshot) await shot(screenshot);
  await page().locator('form button[type=submit]').click();
  await page().locator('#detail-title').waitFor(); // saving opens the new testimony
  await backToList();
  await row(values.reference).waitFor();
}

/** The list's row for a reference (the list is virtualised: only rows in view exist). */
function row(reference: string) {
  return page().locator(`.records [role=row]:has-text("${reference}")`);
}

async function openByReference(reference: string): Promise<void> {
  await row(reference).locator('button.link').click();
  await page().locator('.transcript').waitFor();
}

async function backToList(): Promise<void> {
  await page().locator('button.back').click();
  await page().locator('#list-heading').waitFor();
}

async function filterList(text: string): Promise<void> {
  await page().locator('input[name=filter]').fill(text);
}

beforeAll(async () => {
  app = await startAppSession();
});

afterAll(async () => {
  await app?.close();
});

describe('Testimony Vault in Chromium', () => {
  it('serves the page with the CSP header and offers to create a vault on first run', async () => {
    const response = await page().request.get(`${app.origin}/index.html`);
    expect(response.headers()['content-security-policy']).toBe(cspHeader());
    await page().locator('#gate-heading').waitFor();
    expect(await textOf('#gate-heading')).toBe('Create a new vault');
    expect(await page().locator('input[type=password]').count()).toBe(2);
    await shot('create-en');
    await switchLanguage('ar');
    expect(await textOf('#gate-heading')).toBe('إنشاء خزنة جديدة');
    await shot('create-ar');
    await switchLanguage('en');
  });

  it('explains a mismatch and a weak passphrase', async () => {
    await page().locator('input[name=passphrase]').fill('one passphrase here');
    await page().locator('input[name=confirmation]').fill('another passphrase');
    await page().locator('form button[type=submit]').click();
    expect(await textOf('[role=alert]')).toBe('The two passphrases are not the same.');
    await page().locator('input[name=passphrase]').fill('short');
    expect(await textOf('.strength-too-short')).toContain('Too short');
    await page().locator('input[name=passphrase]').fill('river lantern copper meadow violin harbor');
    expect(await textOf('.strength-strong')).toBe('Strong');
    await page().locator('input[name=passphrase]').fill('short');
    await page().locator('input[name=confirmation]').fill('short');
    await page().locator('form button[type=submit]').click();
    await page().locator('[role=alert][data-code=WEAK_PASSPHRASE]').waitFor();
    expect(await textOf('[role=alert]')).toContain('too short');
  });

  it('creates the vault and adds an English and an Arabic testimony', async () => {
    await page().locator('input[name=passphrase]').fill(IPC_TEST_PASSPHRASE);
    await page().locator('input[name=confirmation]').fill(IPC_TEST_PASSPHRASE);
    await page().locator('form button[type=submit]').click();
    await page().locator('#list-heading').waitFor();
    expect(await textOf('.empty')).toContain('No testimonies yet');

    await addTestimony({
      reference: 'SDN-2024-001',
      title: 'Detention at Sednaya prison, 2014',
      language: 'en',
      transcript: 'I was taken from a checkpoint near Damascus.\nWe were moved to Sednaya at night and held in the red building for eleven months.',
    }, 'add-en');
    await addTestimony({
      reference: 'SDN-2024-002',
      title: 'شهادة ناجٍ من سجن صيدنايا',
      language: 'ar',
      transcript: 'اعتُقلتُ في حمص عام 2013.\nنُقلتُ إلى صَيْدْنايا حيث بقيتُ في المبنى الأحمر سنتين.',
    });
    const references = await page().locator('.records [role=row] .reference').allTextContents();
    expect(references.sort()).toEqual(['SDN-2024-001', 'SDN-2024-002']);
    expect(await textOf('.list-count')).toBe('Testimonies in the vault: 2');
    await shot('list-en');
  });

  it('opens a testimony and shows its transcript as text', async () => {
    await openByReference('SDN-2024-001');
    expect(await textOf('#detail-title')).toBe('Detention at Sednaya prison, 2014');
    expect(await textOf('.transcript')).toContain('held in the red building for eleven months');
    await shot('detail-en');
    await backToList();
  });

  it('filters the list, folding Arabic harakat (full search is on the research screen)', async () => {
    await filterList('red');
    expect(await page().locator('.records-canvas [role=row]').count()).toBe(0);
    expect(await textOf('.empty')).toBe('No testimony matches these filters.');
    await filterList('صَيْدْنايا');
    expect(await page().locator('.records-canvas .reference').allTextContents()).toEqual(['SDN-2024-002']);
    expect(await textOf('.list-count')).toBe('Showing 1 of 2 testimonies');
    await filterList('sednaya');
    expect(await page().locator('.records-canvas .reference').allTextContents()).toEqual(['SDN-2024-001']);
    await filterList('');
    expect(await page().locator('.records-canvas [role=row]').count()).toBe(2);
  });

  it('locks, refuses a wrong passphrase, and unlocks', async () => {
    await page().locator('button.lock').click();
    await page().locator('#gate-heading').waitFor();
    expect(await textOf('#gate-heading')).toBe('Unlock the vault');
    expect(await page().locator('.records').count()).toBe(0);
    expect(app.fixture.ctx.state.service).toBeNull();
    await shot('unlock-en');
    await unlock('this is not the passphrase');
    await page().locator('[role=alert][data-code=WRONG_PASSPHRASE]').waitFor();
    expect(await textOf('[role=alert]')).toBe('That passphrase is not correct.');
    await unlock(IPC_TEST_PASSPHRASE);
    await page().locator('#list-heading').waitFor();
    expect(await page().locator('.records-canvas [role=row]').count()).toBe(2);
  });

  it('switches to Arabic: right to left, translated, every screen', async () => {
    await switchLanguage('ar');
    expect(await inPage<string>('document.documentElement.dir')).toBe('rtl');
    expect(await page().locator('.app').getAttribute('dir')).toBe('rtl');
    expect(await textOf('#list-heading')).toBe('الشهادات');
    await shot('list-ar');
    // The bundled fonts, from the app's own origin: Arabic in Noto Sans Arabic, Latin in Noto Sans.
    const loadedFamilies = await inPage<string[]>("document.fonts.ready.then(() => [...document.fonts].filter((face) => face.status === 'loaded').map((face) => face.family.replaceAll('\"', '')))");
    expect(loadedFamilies).toEqual(expect.arrayContaining(['Noto Sans', 'Noto Sans Arabic']));
    const fontRequests = app.requests.filter((url) => url.endsWith('.woff2'));
    expect(fontRequests.length).toBeGreaterThan(0);
    expect(fontRequests.every((url) => url.startsWith(app.origin))).toBe(true);

    await openByReference('SDN-2024-002');
    expect(await textOf('#detail-title')).toBe('شهادة ناجٍ من سجن صيدنايا');
    expect(await textOf('.facts')).toContain('العربية');
    await shot('detail-ar');
    await backToList();

    await page().locator('button.add-testimony').click();
    expect(await textOf('#add-heading')).toBe('إضافة شهادة');
    await page().locator('input[name=reference]').fill('SDN-2024-003');
    await page().locator('input[name=title]').fill('شهادة عن الفرع 215');
    await page().locator('textarea[name=transcript]').fill('كنا ثلاثين شخصًا في زنزانة واحدة.');
    await shot('add-ar');
    await page().locator('form button.cancel').click();

    await filterList('صيدنايا');
    expect(await textOf('.list-count')).toBe('يُعرض 1 من أصل 2 شهادة');
    await filterList('');

    await page().locator('button.lock').click();
    await page().locator('#gate-heading').waitFor();
    expect(await textOf('#gate-heading')).toBe('فتح الخزنة');
    await shot('unlock-ar');
    await unlock('كلمة خاطئة تمامًا');
    await page().locator('[role=alert][data-code=WRONG_PASSPHRASE]').waitFor();
    expect(await textOf('[role=alert]')).toBe('عبارة المرور غير صحيحة.');
    await unlock(IPC_TEST_PASSPHRASE);
    await page().locator('#list-heading').waitFor();
    await switchLanguage('en');
    expect(await inPage<string>('document.documentElement.dir')).toBe('ltr');
  });

  it('renders a hostile testimony as inert text', async () => {
    await addTestimony({ reference: 'XSS-1', title: XSS_TITLE, language: 'en', transcript: XSS_TRANSCRIPT });
    expect(await textOf('.records [role=row]:has-text("XSS-1") button.link')).toBe(XSS_TITLE);
    await openByReference('XSS-1');
    expect(await textOf('#detail-title')).toBe(XSS_TITLE);
    expect(await textOf('.transcript')).toBe(XSS_TRANSCRIPT);
    expect(await page().locator('.transcript').innerText()).toContain('<svg onload=alert(1)>');
    expect(await page().locator('.transcript').innerText()).toContain('javascript:alert(2)');
    expect(await page().locator('main img, main svg, main a, main script, main iframe').count()).toBe(0);
    expect(await inPage<number>("document.images.length + document.querySelectorAll('script:not([src])').length")).toBe(0);
    await page().waitForTimeout(300);
    expect(app.dialogs).toEqual([]);
    await shot('detail-hostile-en');
    await backToList();
  });

  it('never leaves the app origin, never shows a dialog, and breaks no CSP rule', () => {
    expect(app.requests.length).toBeGreaterThan(0);
    expect(foreignRequests(app)).toEqual([]);
    expect(app.dialogs).toEqual([]);
    expect(app.consoleProblems).toEqual([]);
    expect(app.pageErrors).toEqual([]);
    expect(app.failedResponses).toEqual([]);
  });
});
