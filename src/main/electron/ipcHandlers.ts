import fs from 'node:fs';
import type { z } from 'zod';
import { CHANNELS, isChannel, type Channel } from '../../shared/ipc/channels.js';
import { CONTRACT, type ChannelOutput, type ChannelOutputDraft, type ParsedChannelInput } from '../../shared/ipc/contract.js';
import type { IpcErrorCode, IpcFailure, IpcResult } from '../../shared/ipc/result.js';
import { isVaultError, VaultError } from '../core/errors.js';
import type { Platform } from '../core/platform.js';
import { vaultPaths } from '../core/vault/vaultPaths.js';
import { VaultService } from '../core/VaultService.js';
import { JobRegistry } from './JobRegistry.js';
import { jobImplementations } from './jobHandlers.js';
import type { AppSettingsStore } from './AppSettingsStore.js';
import { vaultImplementations } from './vaultHandlers.js';
import { researchImplementations, type ResearchHost } from './researchHandlers.js';

/**
 * At most one open vault per main process; every handler runs after the previous one finished.
 * Jobs (long work, see JobRegistry) run beside the queue and are cancelled before every lock.
 */
export type VaultState = { service: VaultService | null; queue: Promise<void>; jobs: JobRegistry };

export type IpcContext = {
  /** Chosen by main (userData/vault, or a folder from a main-process dialog); never sent by the renderer. */
  vaultDir: string;
  platform: Platform;
  state: VaultState;
  /**
   * Asks the user to pick files in a main-process dialog (Electron: dialog.showOpenDialog; the e2e
   * bridge supplies its own). The renderer never sends a path. Null when the user cancelled.
   */
  chooseFiles?: (request: { purpose: 'media' }) => Promise<string[] | null>;
  /** Shows the names of files dropped on the window in a main-process dialog; true if the user confirms. */
  confirmDroppedFiles?: (paths: readonly string[]) => Promise<boolean>;
  /** Dialogs and app version for search, export and opening bundles (researchHandlers.ts). */
  research?: ResearchHost;
  /** Interface settings (language, auto-lock); in memory when absent. */
  appSettings?: AppSettingsStore;
};

/** One entry per channel: takes the renderer's payload as hostile `unknown`, answers a result. */
export type IpcHandlerTable = { readonly [C in Channel]: (input: unknown) => Promise<IpcResult<ChannelOutput<C>>> };

export type Implementations = { [C in Channel]: (input: ParsedChannelInput<C>) => Promise<ChannelOutputDraft<C>> | ChannelOutputDraft<C> };

const MAX_MESSAGE_CHARS = 2000;

export function createVaultState(): VaultState {
  return { service: null, queue: Promise.resolve(), jobs: new JobRegistry(jobFailureOf) };
}

/** Emergencies (quit, crash): zeroes the keys and closes the database now. Safe to call twice. */
export function lockOpenVault(state: VaultState): void {
  const service = state.service;
  state.service = null;
  void state.jobs.cancelAll();
  service?.lock();
}

/**
 * The normal lock (button, hotkey, idle timer): stops every job and waits for it to let go, seals
 * the search index, then zeroes the keys. The renderer is told "locked" only after all of it.
 */
export async function closeOpenVault(state: VaultState): Promise<void> {
  await state.jobs.cancelAll();
  const service = state.service;
  state.service = null;
  await service?.close();
}

function openService(state: VaultState): VaultService {
  if (!state.service || state.service.isLocked) throw new VaultError('VAULT_LOCKED', 'the vault is locked');
  return state.service;
}

function statusOf(ctx: IpcContext): ChannelOutputDraft<'vault:status'> {
  const service = ctx.state.service;
  if (service && !service.isLocked) return { state: 'unlocked', vaultId: service.vaultId };
  return fs.existsSync(vaultPaths(ctx.vaultDir).dbPath) ? { state: 'locked' } : { state: 'absent' };
}

function failure(code: IpcErrorCode, message: string): IpcFailure {
  return { ok: false, code, message: message.length > MAX_MESSAGE_CHARS ? `${message.slice(0, MAX_MESSAGE_CHARS - 1)}…` : message };
}

/** Names each bad field, like core's messages, without echoing the values sent. */
export function describeIssues(error: z.ZodError): string {
  return error.issues
    .slice(0, 5)
    .map((issue) => `${issue.path.length > 0 ? issue.path.map(String).join('.') : '(input)'}: ${issue.message}`)
    .join('; ');
}

/** A failed job's code and sentence, like a failed call's (details of unexpected errors stay in main). */
function jobFailureOf(error: unknown): { code: IpcErrorCode; message: string } {
  if (isVaultError(error)) return failure(error.code, error.message);
  return failure('INTERNAL', 'something went wrong in the vault process; the vault is unchanged unless it says otherwise');
}

function toFailure(error: unknown, channel: Channel, ctx: IpcContext): IpcFailure {
  if (isVaultError(error)) {
    const code: IpcErrorCode = error.code; // fails to compile if core gains a code the contract lacks
    return failure(code, error.message);
  }
  ctx.platform.logger.warn('ipc.unexpectedError', { channel, error: error instanceof Error ? error.name : typeof error });
  return failure('INTERNAL', 'something went wrong in the vault process; the vault is unchanged unless it says otherwise');
}

function serialize<T>(state: VaultState, task: () => Promise<T> | T): Promise<T> {
  const result = state.queue.then(task);
  state.queue = result.then(() => undefined, () => undefined);
  return result;
}

function implementations(ctx: IpcContext): Implementations {
  const { state } = ctx;
  const vault = () => openService(state);
  return {
    'vault:status': () => statusOf(ctx),
    // An open vault means its folder is not empty, so core refuses with VAULT_EXISTS and the vault stays open.
    'vault:create': async ({ passphrase }) => {
      const created = await VaultService.create(ctx.vaultDir, passphrase, ctx.platform);
      lockOpenVault(state);
      state.service = created;
      return statusOf(ctx);
    },
    // Unlocking again re-authenticates: the open session is closed first (it holds the writer lock).
    'vault:unlock': async ({ passphrase }) => {
      lockOpenVault(state);
      state.service = await VaultService.open(ctx.vaultDir, passphrase, ctx.platform);
      return statusOf(ctx);
    },
    'vault:lock': async () => {
      await closeOpenVault(state);
      return statusOf(ctx);
    },
    'vault:verify': () => vault().verify(),
    'testimony:list': () => vault().listTestimonies(),
    'testimony:get': ({ id, version }) => vault().getTestimony(id, version),
    'testimony:create': (input) => vault().addTestimony(input),
    'testimony:update': ({ id, patch }) => vault().updateTestimony(id, patch),
    'testimony:delete': ({ id }) => vault().deleteTestimony(id),
    'testimony:history': ({ id }) => vault().testimonyHistory(id),
    'person:list': () => vault().listPersons(),
    'vocabulary:list': ({ scheme }) => vault().listVocabulary(scheme),
    'media:list': ({ testimonyId }) => vault().listMedia(testimonyId),
    'audit:list': () => vault().auditLog(),
    ...jobImplementations(ctx),
    ...vaultImplementations(ctx),
    ...researchImplementations(ctx, vault),
  };
}

/**
 * The handler table Electron's ipcMain and the e2e bridge both use. Each handler parses its
 * payload with the contract (refusing it before core sees it), runs core, maps VaultError to a
 * code and a sentence, and passes the answer through the output schema.
 */
export function createIpcHandlers(ctx: IpcContext): IpcHandlerTable {
  const impls = implementations(ctx);
  const run = async (channel: Channel, input: unknown): Promise<IpcResult<unknown>> => {
    const schemas = CONTRACT[channel];
    const parsed = schemas.input.safeParse(input);
    if (!parsed.success) return failure('INVALID_INPUT', `invalid input: ${describeIssues(parsed.error)}`);
    try {
      const impl = impls[channel] as (value: unknown) => unknown;
      const draft = await serialize(ctx.state, () => impl(parsed.data));
      const output = schemas.output.safeParse(draft);
      if (!output.success) {
        ctx.platform.logger.warn('ipc.outputRejected', { channel, issues: output.error.issues.length });
        return failure('INTERNAL', 'the vault process produced an answer the app does not accept');
      }
      return { ok: true, value: output.data };
    } catch (error) {
      return toFailure(error, channel, ctx);
    }
  };
  const table = Object.create(null) as Record<Channel, (input: unknown) => Promise<IpcResult<unknown>>>;
  for (const channel of CHANNELS) table[channel] = (input: unknown) => run(channel, input);
  return Object.freeze(table) as IpcHandlerTable;
}

/** Runs the handler for `channel`, or returns undefined (dropped) when it is not a contract channel. */
export function dispatchIpc(table: IpcHandlerTable, channel: unknown, input: unknown): Promise<IpcResult<unknown>> | undefined {
  if (!isChannel(channel)) return undefined;
  return table[channel](input);
}
