import { PAGE_CHANNELS, type Channel } from '../shared/ipc/channels.js';
import type { TestimonyVaultApi, TestimonyVaultDropApi } from '../shared/ipc/contract.js';
import type { IpcResult } from '../shared/ipc/result.js';

export type Invoke = (channel: Channel, input: unknown) => Promise<unknown>;

/**
 * One function per page channel, each forwarding its single argument. The page gets these
 * functions and nothing else: never ipcRenderer, never a way to name another channel.
 */
export function createApi(invoke: Invoke): TestimonyVaultApi {
  const api: Record<string, (input: unknown) => Promise<unknown>> = {};
  for (const channel of PAGE_CHANNELS) api[channel] = (input: unknown) => invoke(channel, input);
  return Object.freeze(api) as TestimonyVaultApi;
}

/**
 * Dropped files: the preload asks electron for each File's path (a File the page made itself has
 * none, so page script cannot name a path) and sends only the paths it got.
 */
export function createDropApi(invoke: Invoke, pathForFile: (file: File) => string): TestimonyVaultDropApi {
  return Object.freeze({
    attachDroppedFiles: async (testimonyId: string, files: readonly File[]) => {
      const paths = files.map((file) => pathForFile(file)).filter((filePath) => filePath !== '');
      if (paths.length === 0) return { ok: false, code: 'INVALID_INPUT', message: 'no dropped file came from the computer' } as const;
      return (await invoke('media:attachDropped', { testimonyId, paths })) as IpcResult<{ jobId: string | null; fileCount: number }>;
    },
  });
}
