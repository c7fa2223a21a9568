import type { PageChannel } from '../../../shared/ipc/channels.js';
import type { ChannelInput, ChannelOutput, TestimonyVaultApi, TestimonyVaultDropApi } from '../../../shared/ipc/contract.js';
import type { IpcFailure, IpcResult } from '../../../shared/ipc/result.js';

declare global {
  interface Window {
    /** Exposed by the preload (Electron) or the e2e bridge; the only way to the vault. */
    readonly testimonyVault?: TestimonyVaultApi;
    /** Exposed by the preload: turns dropped files into paths there (never in page script). */
    readonly testimonyVaultDrop?: TestimonyVaultDropApi;
  }
}

const unavailable: IpcFailure = { ok: false, code: 'INTERNAL', message: 'the vault API is not available in this window' };

/**
 * The one module that touches `window.testimonyVault`. Every call resolves to a result: a
 * transport failure becomes INTERNAL instead of an exception in a component.
 */
export async function callVault<C extends PageChannel>(channel: C, input: ChannelInput<C>): Promise<IpcResult<ChannelOutput<C>>> {
  const api = window.testimonyVault;
  if (!api) return unavailable;
  const call = api[channel] as (input: ChannelInput<C>) => Promise<IpcResult<ChannelOutput<C>>>;
  try {
    return await call(input);
  } catch {
    return { ok: false, code: 'INTERNAL', message: 'the vault process did not answer' };
  }
}

/** Files dropped on a testimony: the preload gets their paths, main confirms with the user, a job reads them. */
export async function attachDroppedFiles(testimonyId: string, files: readonly File[]): Promise<IpcResult<ChannelOutput<'media:attachDropped'>>> {
  const drop = window.testimonyVaultDrop;
  if (!drop) return unavailable;
  try {
    return await drop.attachDroppedFiles(testimonyId, files);
  } catch {
    return { ok: false, code: 'INTERNAL', message: 'the vault process did not answer' };
  }
}
