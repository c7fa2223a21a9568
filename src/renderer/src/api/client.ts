import type { Channel } from '../../../shared/ipc/channels.js';
import type { ChannelInput, ChannelOutput, TestimonyVaultApi } from '../../../shared/ipc/contract.js';
import type { IpcFailure, IpcResult } from '../../../shared/ipc/result.js';

declare global {
  interface Window {
    /** Exposed by the preload (Electron) or the e2e bridge; the only way to the vault. */
    readonly testimonyVault?: TestimonyVaultApi;
  }
}

const unavailable: IpcFailure = { ok: false, code: 'INTERNAL', message: 'the vault API is not available in this window' };

/**
 * The one module that touches `window.testimonyVault`. Every call resolves to a result: a
 * transport failure becomes INTERNAL instead of an exception in a component.
 */
export async function callVault<C extends Channel>(channel: C, input: ChannelInput<C>): Promise<IpcResult<ChannelOutput<C>>> {
  const api = window.testimonyVault;
  if (!api) return unavailable;
  const call = api[channel] as (input: ChannelInput<C>) => Promise<IpcResult<ChannelOutput<C>>>;
  try {
    return await call(input);
  } catch {
    return { ok: false, code: 'INTERNAL', message: 'the vault process did not answer' };
  }
}
