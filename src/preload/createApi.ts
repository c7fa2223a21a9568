import { CHANNELS, type Channel } from '../shared/ipc/channels.js';
import type { TestimonyVaultApi } from '../shared/ipc/contract.js';

export type Invoke = (channel: Channel, input: unknown) => Promise<unknown>;

/**
 * One function per contract channel, each forwarding its single argument. The page gets these
 * functions and nothing else: never ipcRenderer, never a way to name another channel.
 */
export function createApi(invoke: Invoke): TestimonyVaultApi {
  const api: Record<string, (input: unknown) => Promise<unknown>> = {};
  for (const channel of CHANNELS) api[channel] = (input: unknown) => invoke(channel, input);
  return Object.freeze(api) as TestimonyVaultApi;
}
