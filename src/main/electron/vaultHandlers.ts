import fs from 'node:fs/promises';
import path from 'node:path';
import { VaultError } from '../core/errors.js';
import type { VaultService } from '../core/VaultService.js';
import { MAX_PREVIEW_BYTES, MediaAttachResultSchema } from '../../shared/ipc/outputSchemas.js';
import { AppSettingsStore } from './AppSettingsStore.js';
import type { Implementations, IpcContext } from './ipcHandlers.js';

type VaultChannels =
  | 'settings:get' | 'settings:set' | 'vaultSettings:get' | 'vaultSettings:set' | 'vault:changePassphrase'
  | 'key:list' | 'key:add' | 'key:recovery' | 'person:create' | 'person:update' | 'vocabulary:add'
  | 'testimony:linkPersons' | 'media:attach' | 'media:attachDropped' | 'media:read';

const APP_CUSTODIAN = 'Testimony Vault app';

const settingsStores = new WeakMap<IpcContext, AppSettingsStore>();

/** The context's settings store; tests and the e2e bridge without one get an in-memory store. */
function appSettings(ctx: IpcContext): AppSettingsStore {
  if (ctx.appSettings) return ctx.appSettings;
  let store = settingsStores.get(ctx);
  if (!store) {
    store = new AppSettingsStore(null);
    settingsStores.set(ctx, store);
  }
  return store;
}

function openVault(ctx: IpcContext): VaultService {
  const service = ctx.state.service;
  if (!service || service.isLocked) throw new VaultError('VAULT_LOCKED', 'the vault is locked');
  return service;
}

/** Who took the files in: the team member's key label when the vault was opened with a named slot. */
function custodianOf(service: VaultService): string {
  const slot = service.listKeySlots().find((candidate) => candidate.slotId === service.unlockedSlotId);
  return slot?.label ? `${slot.label} (${APP_CUSTODIAN})` : APP_CUSTODIAN;
}

/** Settings, keys, persons, vocabulary, person links and media: the record side of the app. */
export function vaultImplementations(ctx: IpcContext): Pick<Implementations, VaultChannels> {
  const vault = () => openVault(ctx);
  return {
    'settings:get': () => appSettings(ctx).get(),
    'settings:set': (patch) => appSettings(ctx).update(Object.fromEntries(Object.entries(patch).filter(([, value]) => value !== undefined))),
    'vaultSettings:get': () => ({ controlNumberPrefix: vault().controlNumberPrefix, wipeAfterFailures: vault().wipeAfterFailures }),
    'vaultSettings:set': ({ controlNumberPrefix }) => {
      const service = vault();
      if (controlNumberPrefix !== undefined) service.setControlNumberPrefix(controlNumberPrefix);
      return { controlNumberPrefix: service.controlNumberPrefix, wipeAfterFailures: service.wipeAfterFailures };
    },
    // Re-wraps the master key under the (new or same) passphrase with the chosen Argon2id strength.
    'vault:changePassphrase': async ({ passphrase, kdfPreset }) => {
      await vault().changePassphrase(passphrase, kdfPreset);
      return { changed: true };
    },
    'key:list': () => {
      const service = vault();
      return service.listKeySlots().map((slot) => ({ ...slot, current: slot.slotId === service.unlockedSlotId }));
    },
    'key:add': async ({ label, passphrase, kdfPreset }) => ({ slotId: await vault().addPassphraseSlot(label, passphrase, kdfPreset) }),
    'key:recovery': ({ replace }) => vault().createRecoveryKey({ replace }),
    'person:create': (person) => ({ id: vault().addPerson(person) }),
    'person:update': ({ id, person }) => ({ version: vault().updatePerson(id, person) }),
    'vocabulary:add': (term) => vault().addVocabularyTerm(term),
    'testimony:linkPersons': ({ id, intervieweeId, persons }) => vault().linkTestimonyPersons(id, { intervieweeId, persons }),
    // The dialog runs in main; only then does a job read the chosen files (streamed, never whole in memory).
    'media:attach': async ({ testimonyId }) => {
      const service = vault();
      service.getTestimony(testimonyId); // NOT_FOUND before any dialog opens
      if (!ctx.chooseFiles) throw new VaultError('IO_ERROR', 'this window cannot open file dialogs');
      const paths = await ctx.chooseFiles({ purpose: 'media' });
      if (!paths || paths.length === 0) return { jobId: null, fileCount: 0 };
      return startIntake(ctx, service, testimonyId, paths);
    },
    // Paths from the preload's webUtils. A renderer could still lie, so main shows the user the
    // file names in its own dialog and reads nothing unless they confirm.
    'media:attachDropped': async ({ testimonyId, paths }) => {
      const service = vault();
      service.getTestimony(testimonyId);
      if (!ctx.confirmDroppedFiles) throw new VaultError('IO_ERROR', 'this window cannot confirm dropped files');
      if (!(await ctx.confirmDroppedFiles(paths))) return { jobId: null, fileCount: 0 };
      return startIntake(ctx, service, testimonyId, paths);
    },
    'media:read': async ({ mediaId }) => {
      const { media, bytes } = await vault().readMediaBytes(mediaId, MAX_PREVIEW_BYTES);
      return { mimeType: previewMimeType(media.mimeType, media.originalName), bytesBase64: Buffer.from(bytes).toString('base64') };
    },
  };
}

/** One job takes in every file in turn, with progress over their total size; cancel stops between chunks. */
function startIntake(ctx: IpcContext, service: VaultService, testimonyId: string, paths: string[]): { jobId: string; fileCount: number } {
  const custodian = custodianOf(service);
  const { jobId } = ctx.state.jobs.start({
    kind: 'media:attach',
    resultSchema: MediaAttachResultSchema,
    run: async ({ signal, onProgress }) => {
      const sizes = await Promise.all(paths.map(async (file) => (await fs.stat(file).catch(() => null))?.size ?? 0));
      const total = sizes.reduce((sum, size) => sum + size, 0);
      const attached = [];
      let before = 0;
      for (const [index, file] of paths.entries()) {
        if (signal.aborted) break;
        attached.push(await service.addMedia(testimonyId, file, {
          custodian,
          signal,
          onProgress: ({ done, phase }) => onProgress({ phase, done: before + done, total }),
        }));
        before += sizes[index] ?? 0;
        onProgress({ phase: 'encrypting', done: before, total });
      }
      return { attached };
    },
  });
  return { jobId, fileCount: paths.length };
}

/** Only types the page can show inertly; anything else is offered as plain bytes. */
function previewMimeType(mimeType: string, originalName: string): string {
  const allowed = /^(image\/(jpeg|png|gif|webp)|audio\/(mpeg|mp4|ogg|wav|x-wav|webm|aac|flac)|video\/(mp4|webm|ogg))$/;
  if (allowed.test(mimeType)) return mimeType;
  const byExtension: Record<string, string> = { '.jpg': 'image/jpeg', '.jpeg': 'image/jpeg', '.png': 'image/png', '.mp3': 'audio/mpeg', '.m4a': 'audio/mp4', '.wav': 'audio/wav', '.ogg': 'audio/ogg', '.mp4': 'video/mp4', '.webm': 'video/webm' };
  return byExtension[path.extname(originalName).toLowerCase()] ?? 'application/octet-stream';
}
