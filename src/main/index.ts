import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { app, BrowserWindow, dialog, ipcMain, protocol, session } from 'electron';
import { systemPlatform, type Logger } from './core/platform.js';
import { AppSettingsStore } from './electron/AppSettingsStore.js';
import { electronChooseFiles, electronConfirmDroppedFiles } from './electron/mediaDialogs.js';
import { createIpcHandlers, createVaultState, lockOpenVault } from './electron/ipcHandlers.js';
import { handleAppProtocol, registerAppScheme } from './electron/protocol.js';
import { registerIpc } from './electron/registerIpc.js';
import { electronResearchHost } from './electron/researchHandlers.js';
import { APP_ENTRY_URL, applySessionPolicy, hardenWebContents } from './electron/security.js';
import { windowOptions } from './electron/window.js';

// Thin glue: every decision lives in src/main/electron/*.ts (pure, tested) or in core.
const outDir = path.dirname(fileURLToPath(import.meta.url));
const preloadPath = path.join(outDir, '..', 'preload', 'index.cjs');
const rendererDir = path.join(outDir, '..', 'renderer');
const isDev = !app.isPackaged;

/** Event names and counts only, never record text. */
const logger: Logger = {
  info: (event, details) => console.info(`[vault] ${event}`, details ?? ''),
  warn: (event, details) => console.warn(`[vault] ${event}`, details ?? ''),
};
const state = createVaultState();

registerAppScheme(protocol);
app.enableSandbox();

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  app.on('web-contents-created', (_event, contents) => hardenWebContents(contents));
  app.on('second-instance', () => {
    const [window] = BrowserWindow.getAllWindows();
    if (window?.isMinimized()) window.restore();
    window?.focus();
  });
  app.on('before-quit', () => lockOpenVault(state));
  app.on('window-all-closed', () => {
    lockOpenVault(state);
    app.quit();
  });

  void app.whenReady().then(async () => {
    applySessionPolicy(session.defaultSession);
    handleAppProtocol(protocol, rendererDir);
    const appSettings = new AppSettingsStore(path.join(app.getPath('userData'), 'settings.json'));
    registerIpc(ipcMain, createIpcHandlers({
      vaultDir: path.join(app.getPath('userData'), 'vault'),
      platform: systemPlatform(logger),
      state,
      chooseFiles: electronChooseFiles(dialog, () => BrowserWindow.getAllWindows()[0] ?? null),
      confirmDroppedFiles: electronConfirmDroppedFiles(dialog, () => BrowserWindow.getAllWindows()[0] ?? null, () => appSettings.get().language),
      research: electronResearchHost(dialog, () => BrowserWindow.getAllWindows()[0] ?? null, app.getVersion()),
      appSettings,
    }));
    const window = new BrowserWindow(windowOptions({ preloadPath, isDev }));
    window.once('ready-to-show', () => window.show());
    await window.loadURL(APP_ENTRY_URL);
  });
}
