import type { BrowserWindow, Dialog } from 'electron';
import type { IpcContext } from './ipcHandlers.js';

/** Media intake's file dialog, modal to the app window; the chosen paths never reach the page. */
export function electronChooseFiles(dialog: Pick<Dialog, 'showOpenDialog'>, window: () => BrowserWindow | null): NonNullable<IpcContext['chooseFiles']> {
  return async () => {
    const owner = window();
    const options = { properties: ['openFile' as const, 'multiSelections' as const] };
    const answer = owner ? await dialog.showOpenDialog(owner, options) : await dialog.showOpenDialog(options);
    return answer.canceled || answer.filePaths.length === 0 ? null : answer.filePaths;
  };
}

const DROP_WORDS = {
  en: { attach: 'Attach', cancel: 'Cancel', message: (count: number) => `Attach ${count} dropped file(s) to this testimony?`, more: (count: number) => `… and ${count} more` },
  ar: { attach: 'إرفاق', cancel: 'إلغاء', message: (count: number) => `هل تريد إرفاق ${count} من الملفات المُفلتة بهذه الشهادة؟`, more: (count: number) => `… و${count} غيرها` },
} as const;

/**
 * Files dropped on the window: main shows their names, in the interface language, and reads them
 * only if the user confirms (a compromised page cannot make the user see a path it invented unnoticed).
 */
export function electronConfirmDroppedFiles(dialog: Pick<Dialog, 'showMessageBox'>, window: () => BrowserWindow | null, language: () => 'en' | 'ar'): NonNullable<IpcContext['confirmDroppedFiles']> {
  return async (paths) => {
    const owner = window();
    const words = DROP_WORDS[language()];
    const names = paths.map((filePath) => filePath.split(/[\\/]/).pop() ?? filePath);
    const options = {
      type: 'question' as const,
      buttons: [words.attach, words.cancel],
      defaultId: 1,
      cancelId: 1,
      message: words.message(paths.length),
      detail: names.slice(0, 20).join('\n') + (names.length > 20 ? `\n${words.more(names.length - 20)}` : ''),
    };
    const answer = owner ? await dialog.showMessageBox(owner, options) : await dialog.showMessageBox(options);
    return answer.response === 0;
  };
}
