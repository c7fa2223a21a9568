import { contextBridge, ipcRenderer } from 'electron';
import { createApi } from './createApi.js';

// Sandboxed preload (built as CommonJS): it may load only `electron`, and it exposes typed functions only.
contextBridge.exposeInMainWorld('testimonyVault', createApi((channel, input) => ipcRenderer.invoke(channel, input)));
