import { contextBridge, ipcRenderer, webUtils } from 'electron';
import { createApi, createDropApi } from './createApi.js';

// Sandboxed preload (built as CommonJS): it may load only `electron`, and it exposes typed functions only.
const invoke = (channel: string, input: unknown) => ipcRenderer.invoke(channel, input);
contextBridge.exposeInMainWorld('testimonyVault', createApi(invoke));
contextBridge.exposeInMainWorld('testimonyVaultDrop', createDropApi(invoke, (file) => webUtils.getPathForFile(file)));
