import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dispatchIpc, type IpcHandlerTable } from '../../src/main/electron/ipcHandlers.js';
import type { IpcResult } from '../../src/shared/ipc/result.js';
import { IPC_TEST_PASSPHRASE, ipcFixture, type IpcFixture } from './ipcFixtures.js';

const STACK_LINE = /\n\s+at\s/;

function expectFailure(result: IpcResult<unknown>, code: string): string {
  expect(result).toMatchObject({ ok: false, code });
  if (result.ok) throw new Error('expected a failure');
  expect(Object.keys(result).sort()).toEqual(['code', 'message', 'ok']);
  expect(result.message).not.toMatch(STACK_LINE);
  expect(result.message.length).toBeGreaterThan(0);
  return result.message;
}

function valueOf<T>(result: IpcResult<T>): T {
  if (!result.ok) throw new Error(`expected ok, got ${result.code}: ${result.message}`);
  return result.value;
}

let fixture: IpcFixture;
let handlers: IpcHandlerTable;
let englishId: string;

beforeAll(async () => {
  fixture = ipcFixture();
  handlers = fixture.handlers;
  expect(valueOf(await handlers['vault:status'](undefined))).toEqual({ state: 'absent' });
  const created = valueOf(await handlers['vault:create']({ passphrase: IPC_TEST_PASSPHRASE }));
  expect(created).toMatchObject({ state: 'unlocked', vaultId: expect.stringMatching(/^[0-9a-f]{32}$/) });
});

afterAll(() => fixture.cleanup());

describe('handler table over a real vault', () => {
  it('creates, lists and reads a testimony, with core defaults applied', async () => {
    const created = valueOf(await handlers['testimony:create']({
      reference: 'SDN-2024-001',
      title: 'Detention at Sednaya, 2014',
      language: 'en',
      transcript: 'I was held in the red building for eleven months.',
    }));
    englishId = created.testimonyId;
    expect(englishId).toMatch(/^[0-9a-f]{32}$/);
    const list = valueOf(await handlers['testimony:list'](undefined));
    expect(list.map((item) => item.reference)).toContain('SDN-2024-001');
    const view = valueOf(await handlers['testimony:get']({ id: englishId }));
    expect(view).toMatchObject({ id: englishId, version: 1, headVersion: 1, status: 'draft', sensitivity: 'high', transcript: 'I was held in the red building for eleven months.' });
    expect(view.consent).toEqual({ scopes: [], anonymity: true, mediaUse: false, withdrawn: false });
  });

  it('imports an Arabic testimony with persons and vocabulary, and finds it by normalised search', async () => {
    const created = valueOf(await handlers['testimony:create']({
      reference: 'SDN-2024-002',
      title: 'شهادة من سجن صيدنايا',
      language: 'ar',
      transcript: 'نُقلتُ إلى صَيْدْنايا في شتاء 2013.',
      interviewee: { name: 'Witness A', aliases: ['A.'] },
      persons: [{ name: 'Missing brother', role: 'missing' }],
      facilities: ['Saydnaya'],
      violations: ['A violation label nobody has used before'],
      interviewDate: '2024-03',
    }));
    expect(created.personIds).toHaveLength(1);
    expect(created.intervieweeId).toMatch(/^[0-9a-f]{32}$/);
    expect(created.addedTerms).toEqual([{ scheme: 'violation', label: 'A violation label nobody has used before' }]);

    const view = valueOf(await handlers['testimony:get']({ id: created.testimonyId }));
    expect(view.interviewee?.name).toBe('Witness A');
    expect(view.persons).toEqual([expect.objectContaining({ name: 'Missing brother', role: 'missing' })]);
    expect(view.facilities.map((term) => term.labelEn)).toEqual([expect.stringContaining('Sednaya')]); // matched, not added

    const found = valueOf(await handlers['search:query']({ query: 'صيدنايا' }));
    expect(found.hits.map((hit) => hit.id)).toContain(created.testimonyId);
    const persons = valueOf(await handlers['person:list'](undefined));
    expect(persons.map((person) => person.name).sort()).toEqual(['Missing brother', 'Witness A']);
    const facilities = valueOf(await handlers['vocabulary:list']({ scheme: 'facility' }));
    expect(facilities.length).toBeGreaterThan(0);
    expect(facilities.every((term) => term.scheme === 'facility')).toBe(true);
  });

  it('edits into a new version and keeps the old one readable', async () => {
    const updated = valueOf(await handlers['testimony:update']({ id: englishId, patch: { title: 'Detention at Sednaya, 2014 (revised)', status: 'in-review' } }));
    expect(updated.version).toBe(2);
    expect(valueOf(await handlers['testimony:get']({ id: englishId })).title).toBe('Detention at Sednaya, 2014 (revised)');
    expect(valueOf(await handlers['testimony:get']({ id: englishId, version: 1 })).title).toBe('Detention at Sednaya, 2014');
    expect(valueOf(await handlers['testimony:history']({ id: englishId })).map((entry) => entry.version)).toEqual([1, 2]);
  });

  it('deletes a testimony and its persons; reading it again is NOT_FOUND with a plain message', async () => {
    const created = valueOf(await handlers['testimony:create']({ reference: 'TMP-1', title: 'To delete', language: 'en', interviewee: { name: 'Only here' } }));
    expect(valueOf(await handlers['testimony:delete']({ id: created.testimonyId }))).toEqual({ mediaDeleted: 0, personsDeleted: 1 });
    const message = expectFailure(await handlers['testimony:get']({ id: created.testimonyId }), 'NOT_FOUND');
    expect(message).toContain(created.testimonyId);
  });

  it('answers media, verify and audit through their output schemas', async () => {
    const service = fixture.ctx.state.service;
    if (!service) throw new Error('vault should be open');
    const source = path.join(path.dirname(fixture.ctx.vaultDir), 'note.txt');
    fs.writeFileSync(source, 'an attached note');
    await service.addMedia(englishId, source, { custodian: 'field team' });

    const media = valueOf(await handlers['media:list']({ testimonyId: englishId }));
    expect(media).toHaveLength(1);
    expect(media[0]).toMatchObject({ originalName: 'note.txt', mimeType: 'text/plain', custodian: 'field team', testimonyId: englishId });
    expect(media[0]).not.toHaveProperty('blobId'); // not in the contract, so stripped before it crosses

    const report = valueOf(await handlers['vault:verify'](undefined));
    expect(report).toMatchObject({ ok: true, problems: [] });
    expect(report.counts.blobs).toBe(1);
    const audit = valueOf(await handlers['audit:list'](undefined));
    expect(audit.problems).toEqual([]);
    expect(audit.entries.map((entry) => entry.action)).toEqual(expect.arrayContaining(['vault.create', 'testimony.create', 'testimony.edit', 'testimony.delete', 'media.attach']));
  });

  it('runs concurrent calls one after another', async () => {
    const before = valueOf(await handlers['testimony:list'](undefined)).length;
    const results = await Promise.all(Array.from({ length: 5 }, (_, index) => handlers['testimony:create']({ reference: `BATCH-${index}`, title: `Batch ${index}`, language: 'en' })));
    expect(results.every((result) => result.ok)).toBe(true);
    expect(valueOf(await handlers['testimony:list'](undefined))).toHaveLength(before + 5);
  });

  it('refuses to create over the open vault, and leaves it open', async () => {
    expectFailure(await handlers['vault:create']({ passphrase: 'another long passphrase here' }), 'VAULT_EXISTS');
    expect(valueOf(await handlers['vault:status'](undefined))).toMatchObject({ state: 'unlocked' });
  });
});

describe('hostile input', () => {
  let auditCount: number;
  let listJson: string;

  beforeAll(async () => {
    auditCount = valueOf(await handlers['audit:list'](undefined)).entries.length;
    listJson = JSON.stringify(valueOf(await handlers['testimony:list'](undefined)));
  });

  afterAll(async () => {
    // Nothing above reached core: no audit entry, no record changed.
    expect(valueOf(await handlers['audit:list'](undefined)).entries).toHaveLength(auditCount);
    expect(JSON.stringify(valueOf(await handlers['testimony:list'](undefined)))).toBe(listJson);
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
  });

  const valid = { reference: 'R-1', title: 'T', language: 'en' };
  const cases: [string, keyof IpcHandlerTable, unknown][] = [
    ['wrong types', 'testimony:create', { reference: 1, title: ['x'], language: null }],
    ['a missing field', 'testimony:create', { reference: 'R-1', title: 'T' }],
    ['an extra key', 'testimony:create', { ...valid, isAdmin: true }],
    ['an extra nested key', 'testimony:create', { ...valid, consent: { scopes: [], share: 'everyone' } }],
    ['an extra key on a person', 'testimony:create', { ...valid, interviewee: { name: 'A', role: 'victim' } }],
    ['a huge reference', 'testimony:create', { ...valid, reference: 'x'.repeat(101) }],
    ['a huge title', 'testimony:create', { ...valid, title: 't'.repeat(1001) }],
    ['a transcript over 5,000,000 characters', 'testimony:create', { ...valid, transcript: 'x'.repeat(5_000_001) }],
    ['too many tags', 'testimony:create', { ...valid, tags: Array.from({ length: 501 }, (_, i) => `t${i}`) }],
    ['a bad language code', 'testimony:create', { ...valid, language: 'English<script>' }],
    ['an unknown status', 'testimony:create', { ...valid, status: 'published' }],
    ['a __proto__ key', 'testimony:create', JSON.parse('{"reference":"R-1","title":"T","language":"en","__proto__":{"polluted":true}}')],
    ['a constructor.prototype key', 'testimony:create', JSON.parse('{"reference":"R-1","title":"T","language":"en","constructor":{"prototype":{"polluted":true}}}')],
    ['a nested __proto__', 'testimony:update', JSON.parse('{"id":"0123456789abcdef0123456789abcdef","patch":{"__proto__":{"polluted":true}}}')],
    ['an unknown patch key', 'testimony:update', { id: '0123456789abcdef0123456789abcdef', patch: { persons: [] } }],
    ['a path as id', 'testimony:get', { id: '../../etc/passwd' }],
    ['an uppercase id', 'testimony:get', { id: '0123456789ABCDEF0123456789ABCDEF' }],
    ['an object as id', 'testimony:get', { id: { $ne: null } }],
    ['a negative version', 'testimony:get', { id: '0123456789abcdef0123456789abcdef', version: -1 }],
    ['a fractional version', 'testimony:get', { id: '0123456789abcdef0123456789abcdef', version: 1.5 }],
    ['a string version', 'testimony:get', { id: '0123456789abcdef0123456789abcdef', version: '1' }],
    ['null', 'testimony:get', null],
    ['a string', 'testimony:delete', 'rm -rf'],
    ['an array', 'testimony:delete', ['0123456789abcdef0123456789abcdef']],
    ['a payload where none is expected', 'testimony:list', {}],
    ['a payload where none is expected', 'vault:lock', { force: true }],
    ['a huge query', 'search:query', { query: 'q'.repeat(1001) }],
    ['a numeric query', 'search:query', { query: 42 }],
    ['an unknown scheme', 'vocabulary:list', { scheme: 'everything' }],
    ['a vault path from the renderer', 'vault:unlock', { passphrase: IPC_TEST_PASSPHRASE, dir: '/tmp/other' }],
    ['a passphrase array', 'vault:unlock', { passphrase: ['a', 'b'] }],
    ['a huge passphrase', 'vault:create', { passphrase: 'p'.repeat(2049) }],
  ];

  it.each(cases)('refuses %s on %s with INVALID_INPUT before core', async (_what, channel, payload) => {
    const message = expectFailure(await handlers[channel](payload), 'INVALID_INPUT');
    expect(message).toMatch(/^invalid input: /); // core's messages say "invalid testimony: …"
    expect(message).not.toContain('x'.repeat(50)); // values are not echoed back
  });

  it('drops unknown channels, including inherited property names', async () => {
    for (const channel of ['vault:delete', '__proto__', 'constructor', 'toString', 'hasOwnProperty', 'valueOf', '', 42, null, undefined, { toString: () => 'vault:status' }]) {
      expect(dispatchIpc(handlers, channel, undefined), String(channel)).toBeUndefined();
    }
    expect(Object.getPrototypeOf(handlers)).toBeNull();
    expect(Object.isFrozen(handlers)).toBe(true);
    await expect(dispatchIpc(handlers, 'vault:status', undefined)).resolves.toMatchObject({ ok: true });
  });
});

describe('locking', () => {
  it('locks, refuses reads, refuses a wrong passphrase, and unlocks with the right one', async () => {
    expect(valueOf(await handlers['vault:lock'](undefined))).toEqual({ state: 'locked' });
    expect(fixture.ctx.state.service).toBeNull();
    expectFailure(await handlers['testimony:list'](undefined), 'VAULT_LOCKED');
    expectFailure(await handlers['vault:unlock']({ passphrase: 'not the passphrase at all' }), 'WRONG_PASSPHRASE');
    expect(valueOf(await handlers['vault:status'](undefined))).toEqual({ state: 'locked' });
    expect(valueOf(await handlers['vault:unlock']({ passphrase: IPC_TEST_PASSPHRASE }))).toMatchObject({ state: 'unlocked' });
    expect(valueOf(await handlers['testimony:list'](undefined)).map((item) => item.reference)).toContain('SDN-2024-001');
  });
});

describe('errors that are not VaultErrors', () => {
  it('become INTERNAL with a fixed sentence; main logs the error class only', async () => {
    const broken = ipcFixture('tv-ipc-broken-');
    try {
      // The vault folder would sit under a file: core's mkdir fails with a plain Node error.
      const blocker = `${broken.ctx.vaultDir}-blocker`;
      fs.writeFileSync(blocker, 'not a folder');
      broken.ctx.vaultDir = path.join(blocker, 'vault');
      const message = expectFailure(await broken.handlers['vault:create']({ passphrase: IPC_TEST_PASSPHRASE }), 'INTERNAL');
      expect(message).not.toContain(broken.ctx.vaultDir);
      expect(message).not.toContain('ENOTDIR');
      expect(broken.logged).toContainEqual({ level: 'warn', event: 'ipc.unexpectedError', details: { channel: 'vault:create', error: 'Error' } });
    } finally {
      broken.cleanup();
    }
  });

  it('maps a weak passphrase to WEAK_PASSPHRASE', async () => {
    const fresh = ipcFixture('tv-ipc-weak-');
    try {
      expectFailure(await fresh.handlers['vault:create']({ passphrase: 'short' }), 'WEAK_PASSPHRASE');
      expect(valueOf(await fresh.handlers['vault:status'](undefined))).toEqual({ state: 'absent' });
    } finally {
      fresh.cleanup();
    }
  });
});
