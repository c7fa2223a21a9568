import type { IpcMain, IpcMainInvokeEvent } from 'electron';
import { CHANNELS, type Channel } from '../../shared/ipc/channels.js';
import type { IpcResult } from '../../shared/ipc/result.js';
import type { IpcHandlerTable } from './ipcHandlers.js';
import { isTrustedSender } from './security.js';

/** Checks the sender before the handler sees the payload. */
export function handleInvoke(table: IpcHandlerTable, channel: Channel, event: Pick<IpcMainInvokeEvent, 'senderFrame'>, input: unknown): Promise<IpcResult<unknown>> {
  if (!isTrustedSender(event.senderFrame)) {
    return Promise.resolve({ ok: false, code: 'FORBIDDEN', message: 'only the Testimony Vault window may use the vault' });
  }
  return table[channel](input);
}

/**
 * One ipcMain.handle per contract channel; any other channel has no handler, so Electron drops
 * it. Returns a function that removes the handlers again.
 */
export function registerIpc(ipcMain: Pick<IpcMain, 'handle' | 'removeHandler'>, table: IpcHandlerTable): () => void {
  for (const channel of CHANNELS) {
    ipcMain.handle(channel, (event, input: unknown) => handleInvoke(table, channel, event, input));
  }
  return () => {
    for (const channel of CHANNELS) ipcMain.removeHandler(channel);
  };
}
