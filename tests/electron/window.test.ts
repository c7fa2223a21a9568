import { describe, expect, it } from 'vitest';
import { windowOptions } from '../../src/main/electron/window.js';

describe('windowOptions', () => {
  const production = windowOptions({ preloadPath: '/app/out/preload/index.cjs', isDev: false });
  const prefs = production.webPreferences ?? {};

  it('sandboxes the renderer and isolates the preload', () => {
    expect(prefs.sandbox).toBe(true);
    expect(prefs.contextIsolation).toBe(true);
    expect(prefs.nodeIntegration).toBe(false);
    expect(prefs.nodeIntegrationInWorker).toBe(false);
    expect(prefs.nodeIntegrationInSubFrames).toBe(false);
    expect(prefs.webSecurity).toBe(true);
    expect(prefs.allowRunningInsecureContent).toBe(false);
    expect(prefs.experimentalFeatures).toBe(false);
  });

  it('turns off webview, spellcheck (it downloads dictionaries) and drag-drop navigation', () => {
    expect(prefs.webviewTag).toBe(false);
    expect(prefs.spellcheck).toBe(false);
    expect(prefs.navigateOnDragDrop).toBe(false);
  });

  it('loads the CommonJS preload it is given', () => {
    expect(prefs.preload).toBe('/app/out/preload/index.cjs');
  });

  it('allows DevTools in development only', () => {
    expect(prefs.devTools).toBe(false);
    expect(windowOptions({ preloadPath: '/p.cjs', isDev: true }).webPreferences?.devTools).toBe(true);
  });

  it('opens at 1280x800, hidden until ready', () => {
    expect(production).toMatchObject({ width: 1280, height: 800, show: false });
  });
});
