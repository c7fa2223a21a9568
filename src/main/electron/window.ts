import type { BrowserWindowConstructorOptions } from 'electron';

export type WindowConfig = { preloadPath: string; isDev: boolean };

/** The main window's options as data, so a test can hold them to the hardening rules. */
export function windowOptions({ preloadPath, isDev }: WindowConfig): BrowserWindowConstructorOptions {
  return {
    width: 1280,
    height: 800,
    minWidth: 800,
    minHeight: 560,
    show: false,
    title: 'Testimony Vault',
    backgroundColor: '#f6f5f2',
    autoHideMenuBar: true,
    webPreferences: {
      preload: preloadPath,
      sandbox: true,
      contextIsolation: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      webviewTag: false,
      spellcheck: false,
      navigateOnDragDrop: false,
      safeDialogs: true,
      devTools: isDev,
    },
  };
}
