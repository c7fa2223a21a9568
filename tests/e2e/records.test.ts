import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { foreignRequests, IPC_TEST_PASSPHRASE, repoRoot, startAppSession, type AppSession } from './e2eHarness.js';

/**
 * The record side of the app in Chromium over real core: a large virtualised list, every field of
 * a testimony with vocabulary and person pickers, versions, consent, media intake as a job with a
 * blob: preview, the registries, the audit chain, keys, settings, quick lock and auto-lock.
 */
const PHOTO = path.join(repoRoot, 'tests/fixtures/photo-with-gps.jpg');
// Core seals and signs each testimony (~10 ms each here); enough rows to prove the DOM stays small.
const SEEDED = 1500;

let app: AppSession;
const page = () => app.page;
const textOf = (selector: string) => app.textOf(selector);

async function nav(screen: string): Promise<void> {
  await page().locator(`.sidebar button[data-screen=${screen}]`).click();
}

function row(reference: string) {
  return page().locator(`.records [role=row]:has-text("${reference}")`);
}

async function openByReference(reference: string): Promise<void> {
  await page().locator('input[name=filter]').fill(reference);
  await row(reference).first().locator('button.link').click();
  await page().locator('#detail-title').waitFor();
}

async function pick(name: string, typed: string): Promise<void> {
  await page().locator(`input[name=${name}]`).fill(typed);
  await page().locator(`input[name=${name}]`).press('Enter');
}

beforeAll(async () => {
  app = await startAppSession({ prefix: 'tv-e2e-records-', clock: true });
  await app.createVault();
});

afterAll(async () => {
  await app?.close();
});

describe('records, media, registries, audit and settings in Chromium', () => {
  // Seeding shares two cores with other suites: a generous ceiling, not a speed requirement.
  it(`keeps the DOM small with ${SEEDED} testimonies, and sorts and filters them`, { timeout: 600_000 }, async () => {
    const service = app.fixture.ctx.state.service;
    if (!service) throw new Error('the vault should be open');
    service.sessionForCore.db.transaction(() => {
      for (let index = 0; index < SEEDED; index += 1) {
        service.addTestimony({ reference: `BULK-${String(index).padStart(5, '0')}`, title: `Seeded testimony ${index}`, language: index % 2 === 0 ? 'en' : 'ar', status: index % 3 === 0 ? 'verified' : 'draft' });
      }
    })();
    await nav('persons');
    await nav('testimonies'); // reads the list again
    await page().locator('.records-canvas [role=row]').first().waitFor();
    expect(await page().locator('.records[role=table]').getAttribute('aria-rowcount')).toBe(String(SEEDED + 1));
    const rendered = await page().locator('.records-canvas [role=row]').count();
    expect(rendered).toBeGreaterThan(5);
    expect(rendered).toBeLessThan(60);
    await app.shot('list-large-en');

    await page().locator('button.sort[data-sort=reference]').click();
    expect(await page().locator('.records-canvas .reference').first().textContent()).toBe('BULK-00000');
    await page().locator('button.sort[data-sort=reference]').click();
    expect(await page().locator('.records-canvas .reference').first().textContent()).toBe(`BULK-${String(SEEDED - 1).padStart(5, '0')}`);
    // Scrolled to the end, the last rows exist and the DOM is still small.
    await app.inPage("(() => { const scroller = document.querySelector('.records-scroll'); scroller.scrollTop = scroller.scrollHeight; return true; })()");
    await row('BULK-00000').waitFor();
    expect(await page().locator('.records-canvas [role=row]').count()).toBeLessThan(60);

    await page().locator('select[name=filterStatus]').selectOption('verified');
    expect(await textOf('.list-count')).toBe(`Showing ${Math.ceil(SEEDED / 3).toLocaleString('en')} of ${SEEDED.toLocaleString('en')} testimonies`);
    await page().locator('select[name=filterStatus]').selectOption('');
  });

  it('adds a testimony with every field, vocabulary aliases and consent', async () => {
    await page().locator('button.add-testimony').click();
    await page().locator('input[name=reference]').fill('SDN-2025-100');
    await page().locator('input[name=title]').fill('Transfer from Branch 215 to Sednaya');
    await page().locator('select[name=language]').selectOption('en');
    await page().locator('input[name=interviewDate]').fill('2025-03-14');
    await page().locator('input[name=interviewPlace]').fill('Gaziantep');
    await page().locator('input[name=interviewer]').fill('Documenter 7');
    await page().locator('textarea[name=transcript]').fill('They moved us at night from Branch 215 to Saydnaya.');
    await page().locator('textarea[name=summary]').fill('Transfer between two facilities, 2013.');
    await pick('facilities', 'Saydnaya'); // an alias: the chip shows the term's label
    await pick('facilities', 'Unlisted farm near Qutayfah'); // unknown: becomes a new term
    await pick('violations', 'torture');
    await page().locator('input[name=periodFrom]').fill('2013-02');
    await page().locator('input[name=periodTo]').fill('2014-01');
    await page().locator('input[name=tags]').fill('transfer, night');
    await page().locator('select[name=status]').selectOption('in-review');
    await page().locator('select[name=sensitivity]').selectOption('critical');
    await page().locator('input[name=consent-icc]').check();
    await page().locator('input[name=consent-un-mechanism]').check();
    await page().locator('input[name=consent-date]').fill('2025-03-14');
    const facilityChips = await page().locator('[data-picker=facilities] .chip').allTextContents();
    expect(facilityChips[0]).toMatch(/Sednaya/);
    expect(facilityChips[1]).toContain('new term');
    await app.shot('add-en');
    await page().locator('form button[type=submit]').click();
    await page().locator('#detail-title').waitFor();

    expect(await textOf('#detail-title')).toBe('Transfer from Branch 215 to Sednaya');
    const facts = await textOf('.facts');
    for (const expected of ['Gaziantep', 'Documenter 7', '2013-02 – 2014-01', 'In review', 'Critical']) expect(facts).toContain(expected);
    expect(await textOf('.summary')).toBe('Transfer between two facilities, 2013.');
    const terms = await textOf('.term-list');
    expect(terms).toMatch(/Sednaya/);
    expect(terms).toContain('Unlisted farm near Qutayfah');
    expect(terms).toContain('transfer');
    expect(await page().locator('input[name=consent-icc]').isChecked()).toBe(true);
    expect(await page().locator('input[name=consent-public]').isChecked()).toBe(false);
    expect(await page().locator('input[name=consent-icc]').isDisabled()).toBe(true); // read-only panel
  });

  it('edits into a new version and still shows the original', async () => {
    await page().locator('button.edit').click();
    await page().locator('input[name=title]').fill('Transfer from Branch 215 to Sednaya (corrected)');
    await page().locator('input[name=consent-withdrawn]').check();
    await page().locator('form button[type=submit]').click();
    await page().locator('#detail-title:has-text("corrected")').waitFor();
    expect(await textOf('.facts')).toContain('2 of 2');
    expect(await textOf('.consent')).toContain('excluded from every export');
    await page().locator('.history button[data-version="1"]').click();
    await page().locator('.old-version').waitFor();
    expect(await textOf('#detail-title')).toBe('Transfer from Branch 215 to Sednaya');
    expect(await textOf('.old-version')).toContain('the original');
    expect(await page().locator('button.edit').count()).toBe(0); // old versions are read-only
    await app.inPage('window.scrollTo(0, 0) ?? true');
    await app.shot('detail-original-en');
    await page().locator('.old-version button.link').click();
    await page().locator('#detail-title:has-text("corrected")').waitFor();
  });

  it('attaches a photo as a job, shows its sha256 and custody, previews it from a blob: URL', async () => {
    const expectedSha256 = crypto.createHash('sha256').update(fs.readFileSync(PHOTO)).digest('hex');
    app.queueFileChoice(null); // the user closes the dialog: nothing happens
    await page().locator('button.attach').click();
    expect(await page().locator('.media-item').count()).toBe(0);
    app.queueFileChoice([PHOTO]);
    await page().locator('button.attach').click();
    await page().locator('.media-item').waitFor();
    expect(await textOf('.media-panel [role=status]')).toContain('Attached: 1');
    expect(await textOf('.media-item .hash')).toBe(expectedSha256);
    expect(await textOf('.media-item .custody')).toContain('Testimony Vault app');
    expect(await textOf('.media-item .media-name')).toBe('photo-with-gps.jpg');
    await page().locator('.media-item button.preview').click();
    const image = page().locator('img.media-preview');
    await image.waitFor();
    expect(await image.getAttribute('src')).toMatch(/^blob:/);
    await page().waitForFunction("document.querySelector('img.media-preview')?.naturalWidth > 0");
    await page().locator('.media-panel').scrollIntoViewIfNeeded();
    await app.shot('media-en');
  });

  it('attaches a dropped file only after main confirms its name, never a file the page made up', async () => {
    const dropped = path.join(app.fixture.ctx.vaultDir, '..', 'drop-note.wav');
    fs.writeFileSync(dropped, crypto.randomBytes(96 * 1024));
    app.allowDroppedFile('drop-note.wav', dropped);
    const drop = `(() => {
      const transfer = new DataTransfer();
      transfer.items.add(new File(['x'], 'drop-note.wav'));
      transfer.items.add(new File(['y'], 'forged-by-page.txt'));
      const zone = document.querySelector('.media-panel');
      zone.dispatchEvent(new DragEvent('dragover', { dataTransfer: transfer, bubbles: true, cancelable: true }));
      zone.dispatchEvent(new DragEvent('drop', { dataTransfer: transfer, bubbles: true, cancelable: true }));
      return true;
    })()`;
    app.queueDropConfirmation(false);
    await app.inPage(drop);
    await expect.poll(() => app.dropConfirmations.length).toBe(1);
    expect(app.dropConfirmations[0]).toEqual(['drop-note.wav']);
    expect(await page().locator('.media-item').count()).toBe(1);
    app.queueDropConfirmation(true);
    await app.inPage(drop);
    await page().locator('.media-item:has-text("drop-note.wav")').waitFor();
    const expected = crypto.createHash('sha256').update(fs.readFileSync(dropped)).digest('hex');
    expect(await textOf('.media-item:has-text("drop-note.wav") .hash')).toBe(expected);

    // A right-to-left override in a file name is shown, not obeyed ("photo‮gpj.exe" would read "photoexe.jpg").
    const spoofed = path.join(app.fixture.ctx.vaultDir, '..', 'photo\u202Egpj.exe');
    fs.writeFileSync(spoofed, 'MZ not really a program');
    app.queueFileChoice([spoofed]);
    await page().locator('button.attach').click();
    await page().locator('.media-item:has-text("[U+202E]")').waitFor();
    expect(await textOf('.media-item:has-text("[U+202E]") .media-name')).toBe('photo[U+202E]gpj.exe');
  });

  it('keeps a persons registry and links persons to a testimony with the picker', async () => {
    await nav('persons');
    await page().locator('button.add-person').click();
    await page().locator('input[name=personName]').fill('Abu Khaled');
    await page().locator('input[name=personAliases]').fill('أبو خالد, A. Khaled');
    await page().locator('input[name=personBirthDate]').fill('1978');
    await page().locator('select[name=personGender]').selectOption('male');
    await page().locator('button.save-person').click();
    await page().locator('.persons-table tr:has-text("Abu Khaled")').waitFor();
    await page().locator('input[name=personFilter]').fill('خالد');
    expect(await page().locator('.persons-table tbody tr').count()).toBe(1);
    await app.shot('persons-en');

    await nav('testimonies');
    await openByReference('SDN-2025-100');
    await page().locator('button.link-persons').click();
    await page().locator('select[name=linkRole]').selectOption('perpetrator');
    await page().locator('input[name=linkPerson]').fill('أبو');
    await page().locator('.suggestions button.suggestion').first().click();
    await page().locator('button.save-links').click();
    await page().locator('.person-links:has-text("Abu Khaled")').waitFor();
    expect(await textOf('.person-links')).toContain('Alleged perpetrator');
    expect(await textOf('.facts')).toContain('3 of 3');
  });

  it('manages vocabulary terms with aliases in both languages', async () => {
    await nav('vocabulary');
    await page().locator('button.tab[data-scheme=perpetratorUnit]').click();
    await page().locator('input[name=labelEn]').fill('Branch 227 (Regional)');
    await page().locator('input[name=labelAr]').fill('الفرع 227');
    await page().locator('input[name=aliases]').fill('Mantiqa, المنطقة');
    await page().locator('button.add-term').click();
    await page().locator('.terms-table tr:has-text("Branch 227")').waitFor();
    await page().locator('input[name=termFilter]').fill('المنطقة');
    expect(await page().locator('.terms-table tbody tr').count()).toBe(1);
    await page().locator('input[name=termFilter]').fill('');
    await page().locator('button.tab[data-scheme=facility]').click();
    await page().locator('.terms-table tr:has-text("Unlisted farm near Qutayfah")').waitFor(); // added by the testimony
    await app.shot('vocabulary-en');
  });

  it('shows the audit chain as verified', async () => {
    await nav('audit');
    await page().locator('.chain-status').waitFor();
    expect(await page().locator('.chain-status').getAttribute('data-chain')).toBe('ok');
    expect(await textOf('.chain-status')).toContain('Chain intact');
    const actions = await page().locator('.audit-table tbody td:nth-child(3)').allTextContents();
    // The newest 1000 are listed (the seeded testimonies came first).
    for (const expected of ['Testimony added', 'Testimony edited', 'File attached', 'Person added', 'Term added']) expect(actions).toContain(expected);
    expect(actions.length).toBe(1000);
    expect(await textOf('.chain-status')).toMatch(/Entries: 1,5\d\d/);
    await app.shot('audit-en');
  });

  it('adds a team passphrase and shows a new recovery key once', async () => {
    await nav('keys');
    await page().locator('input[name=slotLabel]').fill('Amal (field team)');
    await page().locator('input[name=slotPassphrase]').fill('another long passphrase for amal');
    await page().locator('input[name=slotConfirmation]').fill('another long passphrase for amal');
    await page().locator('button.add-slot').click();
    await page().locator('.keys-table tr:has-text("Amal (field team)")').waitFor();
    await page().locator('button.create-recovery').click();
    const recoveryText = (await textOf('.recovery-text')).trim();
    expect(recoveryText.length).toBeGreaterThan(20);
    await app.shot('keys-en');
    await page().locator('.recovery-key button').click();
    expect(await page().locator('.recovery-text').count()).toBe(0);
    expect(await textOf('.keys-table')).toContain('Recovery key');
  });

  it('crypto-shreds a testimony only after its reference is typed', async () => {
    const service = app.fixture.ctx.state.service;
    if (!service) throw new Error('the vault should be open');
    const { testimonyId } = service.addTestimony({ reference: 'DEL-1', title: 'To be erased at the witness’s request', language: 'en' });
    await nav('persons');
    await nav('testimonies');
    await openByReference('DEL-1');
    await page().locator('button.delete-testimony').click();
    await page().locator('input[name=confirmReference]').fill('DEL-2');
    expect(await page().locator('button.confirm-delete').isDisabled()).toBe(true);
    await page().locator('input[name=confirmReference]').fill('DEL-1');
    await page().locator('button.confirm-delete').click();
    await page().locator('#list-heading').waitFor();
    expect(() => service.getTestimony(testimonyId)).toThrow(expect.objectContaining({ code: 'NOT_FOUND' }));
    await page().locator('input[name=filter]').fill('DEL-1');
    expect(await textOf('.empty')).toBe('No testimony matches these filters.');
    expect(service.auditLog().entries.at(-1)).toMatchObject({ action: 'testimony.delete', recordId: testimonyId });
  });

  it('changes settings: prefix in the vault, language and lock settings kept by main, key strength', async () => {
    await nav('settings');
    await page().locator('input[name=controlNumberPrefix]').fill('iiim');
    expect(await page().locator('input[name=controlNumberPrefix]').inputValue()).toBe('IIIM');
    await page().locator('.settings-section button[type=submit]').first().click();
    await page().locator('text=The prefix is now IIIM.').waitFor();
    expect(app.fixture.ctx.state.service?.controlNumberPrefix).toBe('IIIM');

    await page().locator('select[name=quickLockKey]').selectOption('ctrl+shift+l');
    await page().locator('select[name=autoLockMinutes]').selectOption('1');
    await page().locator('input[name=kdfPreset][value=strong]').check();
    await page().locator('input[name=kdfPassphrase]').fill(IPC_TEST_PASSPHRASE);
    await page().locator('input[name=kdfConfirmation]').fill(IPC_TEST_PASSPHRASE);
    await page().locator('form:has(input[name=kdfPassphrase]) button[type=submit]').click();
    await page().locator('text=Done: your passphrase now uses this key strength.').waitFor();
    await app.shot('settings-en');

    await page().locator('select[name=language]').selectOption('ar');
    await page().waitForFunction("document.documentElement.dir === 'rtl'");
    await page().waitForFunction("document.querySelector('select[name=language]').value === 'ar'");
    await app.shot('settings-ar');
    await page().locator('button.language-switch').click();
    await page().waitForFunction("document.documentElement.lang === 'en'");
  });

  it('locks at once with the quick-lock chord and clears the screen', async () => {
    await page().keyboard.press('Control+l'); // not the chord any more (Ctrl+Shift+L was chosen)
    expect(await page().locator('.workspace').count()).toBe(1);
    await page().keyboard.press('Control+Shift+L');
    await page().locator('#gate-heading').waitFor();
    expect(await page().locator('.workspace, .records, #detail-title').count()).toBe(0);
    expect(app.fixture.ctx.state.service).toBeNull();
    await app.unlock(IPC_TEST_PASSPHRASE); // the passphrase still works with the stronger key
    await page().locator('#list-heading').waitFor();
  });

  it('locks itself after the idle time, even with a job-free screen open', async () => {
    await nav('persons');
    await page().clock.fastForward('00:50');
    expect(await page().locator('.workspace').count()).toBe(1);
    await page().clock.fastForward('00:20');
    await page().locator('#gate-heading').waitFor();
    expect(await page().locator('.workspace').count()).toBe(0);
    expect(app.fixture.ctx.state.service).toBeNull();
    await app.unlock(IPC_TEST_PASSPHRASE);
    await page().locator('#list-heading').waitFor();
  });

  it('shows every record screen in Arabic, right to left', async () => {
    await app.switchLanguage('ar');
    expect(await textOf('.sidebar button[data-screen=persons]')).toBe('الأشخاص');
    await openByReference('SDN-2025-100');
    await app.shot('detail-full-ar');
    await page().locator('.media-item:has-text("photo-with-gps.jpg") button.preview').click();
    await page().locator('img.media-preview').waitFor();
    await page().locator('.media-panel').scrollIntoViewIfNeeded();
    await app.shot('media-ar');
    await page().locator('button.edit').click();
    await page().locator('#add-heading').waitFor();
    expect(await textOf('#add-heading')).toBe('تعديل الشهادة');
    await app.shot('edit-ar');
    await page().locator('form button.cancel').click();
    for (const screen of ['persons', 'vocabulary', 'audit', 'keys']) {
      await nav(screen);
      await page().locator('.screen h2').first().waitFor();
      await app.shot(`${screen}-ar`);
    }
    await app.switchLanguage('en');
  });

  it('never leaves the app origin, shows no dialog and breaks no CSP rule', () => {
    expect(foreignRequests(app)).toEqual([]);
    expect(app.dialogs).toEqual([]);
    expect(app.consoleProblems).toEqual([]);
    expect(app.pageErrors).toEqual([]);
    expect(app.failedResponses).toEqual([]);
  });
});
