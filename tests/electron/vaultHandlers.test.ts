import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppSettingsStore, DEFAULT_APP_SETTINGS } from '../../src/main/electron/AppSettingsStore.js';
import type { IpcHandlerTable } from '../../src/main/electron/ipcHandlers.js';
import type { JobStatus } from '../../src/shared/ipc/jobSchemas.js';
import type { IpcResult } from '../../src/shared/ipc/result.js';
import { IPC_TEST_PASSPHRASE, ipcFixture, type IpcFixture } from './ipcFixtures.js';

const PHOTO = path.resolve(import.meta.dirname, '../fixtures/photo-with-gps.jpg');

function valueOf<T>(result: IpcResult<T>): T {
  if (!result.ok) throw new Error(`expected ok, got ${result.code}: ${result.message}`);
  return result.value;
}

async function finished(handlers: IpcHandlerTable, jobId: string): Promise<JobStatus> {
  for (;;) {
    const status = valueOf(await handlers['job:status']({ jobId }));
    if (status.state !== 'running') return status;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

let fixture: IpcFixture;
let handlers: IpcHandlerTable;
let testimonyId: string;
let scratch: string;

beforeAll(async () => {
  fixture = ipcFixture('tv-vault-handlers-');
  handlers = fixture.handlers;
  scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'tv-vault-handlers-files-'));
  valueOf(await handlers['vault:create']({ passphrase: IPC_TEST_PASSPHRASE }));
  testimonyId = valueOf(await handlers['testimony:create']({ reference: 'H-1', title: 'Handler test', language: 'en' })).testimonyId;
});

afterAll(() => {
  fixture.cleanup();
  fs.rmSync(scratch, { recursive: true, force: true });
});

describe('settings', () => {
  it('keeps interface settings (also while locked) and refuses values out of range', async () => {
    expect(valueOf(await handlers['settings:get'](undefined))).toEqual(DEFAULT_APP_SETTINGS);
    expect(valueOf(await handlers['settings:set']({ language: 'ar', autoLockMinutes: 5 }))).toEqual({ ...DEFAULT_APP_SETTINGS, language: 'ar', autoLockMinutes: 5 });
    expect(await handlers['settings:set']({ autoLockMinutes: 100_000 })).toMatchObject({ ok: false, code: 'INVALID_INPUT' });
    expect(await handlers['settings:set']({ language: 'ar', theme: 'dark' })).toMatchObject({ ok: false, code: 'INVALID_INPUT' });
  });

  it('stores interface settings in a small JSON file, and falls back to defaults when it is damaged', () => {
    const file = path.join(scratch, 'settings.json');
    new AppSettingsStore(file).update({ quickLockKey: 'off', autoLockMinutes: 0 });
    expect(JSON.parse(fs.readFileSync(file, 'utf8'))).toEqual({ ...DEFAULT_APP_SETTINGS, quickLockKey: 'off', autoLockMinutes: 0 });
    expect(new AppSettingsStore(file).get()).toMatchObject({ quickLockKey: 'off', autoLockMinutes: 0 });
    fs.writeFileSync(file, '{"language": "klingon"');
    expect(new AppSettingsStore(file).get()).toEqual(DEFAULT_APP_SETTINGS);
  });

  it('sets the control-number prefix in the vault, refusing a bad one before core sees it', async () => {
    expect(valueOf(await handlers['vaultSettings:get'](undefined))).toMatchObject({ controlNumberPrefix: expect.any(String), wipeAfterFailures: null });
    expect(valueOf(await handlers['vaultSettings:set']({ controlNumberPrefix: 'IIIM2' })).controlNumberPrefix).toBe('IIIM2');
    expect(await handlers['vaultSettings:set']({ controlNumberPrefix: 'iiim' })).toMatchObject({ ok: false, code: 'INVALID_INPUT' });
    expect(await handlers['vaultSettings:set']({ controlNumberPrefix: '2X' })).toMatchObject({ ok: false, code: 'INVALID_INPUT' });
  });
});

describe('keys', () => {
  it('lists slots with the current one marked, adds a member passphrase and a recovery key', async () => {
    const before = valueOf(await handlers['key:list'](undefined));
    expect(before.filter((slot) => slot.current)).toHaveLength(1);
    valueOf(await handlers['key:add']({ label: 'Amal', passphrase: 'a second passphrase for amal' }));
    const recovery = valueOf(await handlers['key:recovery']({ replace: false }));
    expect(recovery.recoveryKey.length).toBeGreaterThan(20);
    const after = valueOf(await handlers['key:list'](undefined));
    expect(after.map((slot) => slot.kind).sort()).toEqual(['passphrase', 'passphrase', 'recovery']);
    expect(JSON.stringify(after)).not.toContain(recovery.recoveryKey);
    expect(await handlers['key:add']({ label: 'Weak', passphrase: 'short' })).toMatchObject({ ok: false, code: 'WEAK_PASSPHRASE' });
  });

  it('re-derives the passphrase slot with a stronger preset, and the passphrase still unlocks', async () => {
    expect(valueOf(await handlers['vault:changePassphrase']({ passphrase: IPC_TEST_PASSPHRASE, kdfPreset: 'strong' }))).toEqual({ changed: true });
    expect(await handlers['vault:changePassphrase']({ passphrase: IPC_TEST_PASSPHRASE, kdfPreset: 'extreme' })).toMatchObject({ ok: false, code: 'INVALID_INPUT' });
    valueOf(await handlers['vault:lock'](undefined));
    expect(valueOf(await handlers['vault:unlock']({ passphrase: IPC_TEST_PASSPHRASE }))).toMatchObject({ state: 'unlocked' });
  });
});

describe('persons, vocabulary and links', () => {
  it('creates and edits a person, adds a term with aliases, and links the person to a testimony', async () => {
    const { id } = valueOf(await handlers['person:create']({ name: 'Abu Khaled', aliases: ['أبو خالد'] }));
    expect(valueOf(await handlers['person:update']({ id, person: { name: 'Abu Khaled', aliases: ['أبو خالد', 'A. Khaled'], birthDate: '1978' } }))).toEqual({ version: 2 });
    const term = valueOf(await handlers['vocabulary:add']({ scheme: 'perpetratorUnit', labelEn: 'Branch 227', labelAr: 'الفرع 227', aliases: ['Mantiqa'] }));
    expect(term).toMatchObject({ scheme: 'perpetratorUnit', aliases: ['Mantiqa'] });
    expect(await handlers['vocabulary:add']({ scheme: 'facility' })).toMatchObject({ ok: false, code: 'INVALID_INPUT' });

    expect(valueOf(await handlers['testimony:linkPersons']({ id: testimonyId, intervieweeId: id, persons: [{ personId: id, role: 'perpetrator' }] }))).toEqual({ version: 2 });
    const view = valueOf(await handlers['testimony:get']({ id: testimonyId }));
    expect(view.interviewee?.name).toBe('Abu Khaled');
    expect(view.persons).toEqual([expect.objectContaining({ id, role: 'perpetrator' })]);
    expect(valueOf(await handlers['testimony:get']({ id: testimonyId, version: 1 })).persons).toEqual([]); // the original is kept
    expect(await handlers['testimony:linkPersons']({ id: testimonyId, intervieweeId: testimonyId, persons: [] })).toMatchObject({ ok: false, code: 'NOT_FOUND' });
  });
});

describe('media', () => {
  it('refuses to attach without a main-process dialog, and does nothing when the user cancels', async () => {
    expect(await handlers['media:attach']({ testimonyId })).toMatchObject({ ok: false, code: 'IO_ERROR' });
    fixture.ctx.chooseFiles = () => Promise.resolve(null);
    expect(valueOf(await handlers['media:attach']({ testimonyId }))).toEqual({ jobId: null, fileCount: 0 });
    expect(await handlers['media:attach']({ testimonyId, path: '/etc/passwd' })).toMatchObject({ ok: false, code: 'INVALID_INPUT' });
  });

  it('takes dropped paths from the preload only after main confirms them with the user', async () => {
    expect(await handlers['media:attachDropped']({ testimonyId, paths: ['relative/photo.jpg'] })).toMatchObject({ ok: false, code: 'INVALID_INPUT' });
    expect(await handlers['media:attachDropped']({ testimonyId, paths: [] })).toMatchObject({ ok: false, code: 'INVALID_INPUT' });
    expect(await handlers['media:attachDropped']({ testimonyId, paths: [PHOTO] })).toMatchObject({ ok: false, code: 'IO_ERROR' });
    const asked: (readonly string[])[] = [];
    fixture.ctx.confirmDroppedFiles = (paths) => {
      asked.push(paths);
      return Promise.resolve(false);
    };
    expect(valueOf(await handlers['media:attachDropped']({ testimonyId, paths: [PHOTO] }))).toEqual({ jobId: null, fileCount: 0 });
    expect(asked).toEqual([[PHOTO]]);
    expect(valueOf(await handlers['media:list']({ testimonyId }))).toEqual([]);
    delete fixture.ctx.confirmDroppedFiles;
  });

  it('attaches the chosen file as a job, then returns its decrypted bytes for a preview', async () => {
    fixture.ctx.chooseFiles = () => Promise.resolve([PHOTO]);
    const started = valueOf(await handlers['media:attach']({ testimonyId }));
    expect(started.fileCount).toBe(1);
    const status = await finished(handlers, started.jobId ?? '');
    expect(status.state).toBe('done');
    const sha256 = crypto.createHash('sha256').update(fs.readFileSync(PHOTO)).digest('hex');
    expect(status.result).toMatchObject({ attached: [{ sha256, originalName: 'photo-with-gps.jpg', deduplicated: false }] });
    const [media] = valueOf(await handlers['media:list']({ testimonyId }));
    const read = valueOf(await handlers['media:read']({ mediaId: media?.id ?? '' }));
    expect(read.mimeType).toBe('image/jpeg');
    expect(Buffer.from(read.bytesBase64, 'base64').equals(fs.readFileSync(PHOTO))).toBe(true);
    expect(await handlers['job:status']({ jobId: started.jobId ?? '' })).toMatchObject({ ok: false, code: 'NOT_FOUND' }); // read once
  });

  it('a cancelled intake leaves nothing behind; locking cancels a running job first', async () => {
    const big = path.join(scratch, 'interview.wav');
    fs.writeFileSync(big, crypto.randomBytes(48 * 1024 * 1024));
    fixture.ctx.chooseFiles = () => Promise.resolve([big]);
    const before = valueOf(await handlers['media:list']({ testimonyId })).length;
    const first = valueOf(await handlers['media:attach']({ testimonyId }));
    valueOf(await handlers['job:cancel']({ jobId: first.jobId ?? '' }));
    expect((await finished(handlers, first.jobId ?? '')).state).toBe('cancelled');
    expect(valueOf(await handlers['media:list']({ testimonyId }))).toHaveLength(before);

    const second = valueOf(await handlers['media:attach']({ testimonyId }));
    valueOf(await handlers['vault:lock'](undefined));
    expect(fixture.ctx.state.service).toBeNull();
    expect(fixture.ctx.state.jobs.runningCount).toBe(0);
    expect(await handlers['job:status']({ jobId: second.jobId ?? '' })).toMatchObject({ ok: false, code: 'NOT_FOUND' });
    valueOf(await handlers['vault:unlock']({ passphrase: IPC_TEST_PASSPHRASE }));
    expect(valueOf(await handlers['media:list']({ testimonyId }))).toHaveLength(before);
    expect(fs.readdirSync(path.join(fixture.ctx.vaultDir, 'blobs')).filter((name) => name.startsWith('.incoming'))).toEqual([]);
  });
});
