import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Logger } from '../../src/main/core/platform.js';
import { createIpcHandlers, createVaultState, lockOpenVault, type IpcContext, type IpcHandlerTable } from '../../src/main/electron/ipcHandlers.js';

export const IPC_TEST_PASSPHRASE = 'seven unrelated words guard this vault';

export type LoggedEvent = { level: 'info' | 'warn'; event: string; details: Record<string, string | number | boolean> | undefined };

export type IpcFixture = {
  ctx: IpcContext;
  handlers: IpcHandlerTable;
  logged: LoggedEvent[];
  cleanup: () => void;
};

/** A handler table over real core, with the vault folder in a fresh temp dir (not created yet). */
export function ipcFixture(prefix = 'tv-ipc-'): IpcFixture {
  const base = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  const logged: LoggedEvent[] = [];
  const logger: Logger = {
    info: (event, details) => void logged.push({ level: 'info', event, details }),
    warn: (event, details) => void logged.push({ level: 'warn', event, details }),
  };
  const ctx: IpcContext = { vaultDir: path.join(base, 'vault'), platform: { now: () => new Date(), logger }, state: createVaultState() };
  return {
    ctx,
    handlers: createIpcHandlers(ctx),
    logged,
    cleanup: () => {
      lockOpenVault(ctx.state);
      fs.rmSync(base, { recursive: true, force: true });
    },
  };
}
