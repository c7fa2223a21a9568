import type { BrowserWindow, Dialog, MessageBoxOptions, OpenDialogOptions } from 'electron';
import { describe, expect, it } from 'vitest';
import { electronChooseFiles, electronConfirmDroppedFiles } from '../../src/main/electron/mediaDialogs.js';

/** Electron's dialog module cannot run here; these record what main asks it and answer like it does. */
describe('media dialogs', () => {
  it('asks for several files and answers null when the user cancels', async () => {
    const asked: OpenDialogOptions[] = [];
    const answers = [{ canceled: false, filePaths: ['/home/amal/a.jpg', '/home/amal/b.m4a'] }, { canceled: true, filePaths: [] }];
    const dialog = { showOpenDialog: (options: OpenDialogOptions) => { asked.push(options); return Promise.resolve(answers.shift() ?? { canceled: true, filePaths: [] }); } } as unknown as Pick<Dialog, 'showOpenDialog'>;
    const choose = electronChooseFiles(dialog, () => null);
    expect(await choose({ purpose: 'media' })).toEqual(['/home/amal/a.jpg', '/home/amal/b.m4a']);
    expect(await choose({ purpose: 'media' })).toBeNull();
    expect(asked[0]?.properties).toEqual(['openFile', 'multiSelections']);
  });

  it('shows dropped file names (not folders) in the interface language, Cancel by default', async () => {
    const shown: MessageBoxOptions[] = [];
    let response = 1;
    const dialog = { showMessageBox: (_owner: BrowserWindow, options: MessageBoxOptions) => { shown.push(options); return Promise.resolve({ response, checkboxChecked: false }); } } as unknown as Pick<Dialog, 'showMessageBox'>;
    const owner = {} as BrowserWindow;
    let language: 'en' | 'ar' = 'ar';
    const confirm = electronConfirmDroppedFiles(dialog, () => owner, () => language);
    expect(await confirm(['/home/amal/secret folder/photo.jpg'])).toBe(false);
    expect(shown[0]).toMatchObject({ buttons: ['إرفاق', 'إلغاء'], defaultId: 1, cancelId: 1, detail: 'photo.jpg' });
    response = 0;
    language = 'en';
    expect(await confirm(['C:\\Users\\amal\\clip.mp4', '/tmp/a.wav'])).toBe(true);
    expect(shown[1]).toMatchObject({ message: 'Attach 2 dropped file(s) to this testimony?', detail: 'clip.mp4\na.wav' });
  });
});
