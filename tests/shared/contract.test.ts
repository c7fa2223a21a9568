import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createApi, createDropApi } from '../../src/preload/createApi.js';
import { CHANNELS, isChannel, PAGE_CHANNELS, PRELOAD_ONLY_CHANNELS, type Channel } from '../../src/shared/ipc/channels.js';
import { CONTRACT } from '../../src/shared/ipc/contract.js';
import { IPC_ERROR_CODES, IpcFailureSchema } from '../../src/shared/ipc/result.js';

describe('IPC contract', () => {
  it('gives every channel, and only those, a zod input and output schema', () => {
    expect(Object.keys(CONTRACT).sort()).toEqual([...CHANNELS].sort());
    expect(new Set(CHANNELS).size).toBe(CHANNELS.length);
    for (const channel of CHANNELS) {
      expect(CONTRACT[channel].input, channel).toBeInstanceOf(z.ZodType);
      expect(CONTRACT[channel].output, channel).toBeInstanceOf(z.ZodType);
    }
  });

  it('names channels as area:verb (camelCase words)', () => {
    for (const channel of CHANNELS) expect(channel).toMatch(/^[a-z][a-zA-Z]*:[a-z][a-zA-Z]*$/);
  });

  it('recognises contract channels only, never inherited names', () => {
    for (const channel of CHANNELS) expect(isChannel(channel)).toBe(true);
    for (const other of ['__proto__', 'constructor', 'toString', 'hasOwnProperty', 'vault:delete', 'VAULT:STATUS', 'vault:status ', '', 42, null, undefined, {}, ['vault:status']]) {
      expect(isChannel(other), String(other)).toBe(false);
    }
  });

  it('keeps every object input strict (unknown keys are refused)', () => {
    for (const channel of CHANNELS) {
      const input = CONTRACT[channel].input;
      if (input instanceof z.ZodObject) {
        const withExtra = input.safeParse({ unexpectedKey: true });
        expect(withExtra.success, channel).toBe(false);
        expect(JSON.stringify(withExtra.error?.issues), channel).toContain('unrecognized_keys');
      } else {
        expect(input, channel).toBeInstanceOf(z.ZodVoid);
        expect(input.safeParse(undefined).success, channel).toBe(true);
        expect(input.safeParse({}).success, channel).toBe(false);
      }
    }
  });

  it('has a failure shape of ok, code and message only', () => {
    expect(IpcFailureSchema.safeParse({ ok: false, code: 'NOT_FOUND', message: 'no testimony' }).success).toBe(true);
    expect(IpcFailureSchema.safeParse({ ok: false, code: 'NOT_FOUND', message: 'x', stack: 'Error\n    at x' }).success).toBe(false);
    expect(IpcFailureSchema.safeParse({ ok: false, code: 'SOMETHING_ELSE', message: 'x' }).success).toBe(false);
    expect(IPC_ERROR_CODES).toContain('INVALID_INPUT');
    expect(IPC_ERROR_CODES).toContain('INTERNAL');
  });
});

describe('preload API', () => {
  it('has exactly one function per contract channel, forwarding channel and input', async () => {
    const calls: [Channel, unknown][] = [];
    const api = createApi(async (channel, input) => {
      calls.push([channel, input]);
      return { ok: true, value: channel };
    });
    expect(Object.keys(api).sort()).toEqual([...PAGE_CHANNELS].sort());
    for (const channel of PAGE_CHANNELS) expect(typeof api[channel]).toBe('function');
    for (const channel of PRELOAD_ONLY_CHANNELS) expect(Object.keys(api)).not.toContain(channel);
    expect(PAGE_CHANNELS.length + PRELOAD_ONLY_CHANNELS.length).toBe(CHANNELS.length);
    await expect(api['search:query']({ query: 'Sednaya' })).resolves.toEqual({ ok: true, value: 'search:query' });
    await api['vault:status']();
    expect(calls).toEqual([['search:query', { query: 'Sednaya' }], ['vault:status', undefined]]);
  });

  it('sends dropped files as the paths electron gives the preload, never a path from the page', async () => {
    const calls: [Channel, unknown][] = [];
    const drop = createDropApi(async (channel, input) => {
      calls.push([channel, input]);
      return { ok: true, value: { jobId: null, fileCount: 0 } };
    }, (file) => (file.name === 'from-disk.jpg' ? '/home/amal/from-disk.jpg' : ''));
    const id = 'a'.repeat(32);
    const fromDisk = new File(['x'], 'from-disk.jpg');
    const madeByPage = new File(['x'], '/etc/passwd');
    await drop.attachDroppedFiles(id, [fromDisk, madeByPage]);
    expect(calls).toEqual([['media:attachDropped', { testimonyId: id, paths: ['/home/amal/from-disk.jpg'] }]]);
    expect(await drop.attachDroppedFiles(id, [madeByPage])).toMatchObject({ ok: false, code: 'INVALID_INPUT' });
    expect(calls).toHaveLength(1);
    expect(Object.isFrozen(drop)).toBe(true);
  });

  it('is frozen and exposes no IPC primitive', () => {
    const api = createApi(async () => undefined) as unknown as Record<string, unknown>;
    expect(Object.isFrozen(api)).toBe(true);
    for (const forbidden of ['invoke', 'send', 'on', 'ipcRenderer', 'sendSync']) expect(api[forbidden]).toBeUndefined();
  });
});
