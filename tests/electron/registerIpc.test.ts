import { afterAll, describe, expect, it } from 'vitest';
import { handleInvoke, registerIpc } from '../../src/main/electron/registerIpc.js';
import { APP_ENTRY_URL } from '../../src/main/electron/security.js';
import { CHANNELS } from '../../src/shared/ipc/channels.js';
import { ipcFixture } from './ipcFixtures.js';

type InvokeListener = (event: { senderFrame: { url: string; parent: unknown } | null }, input: unknown) => Promise<unknown>;

const fixture = ipcFixture('tv-register-');
afterAll(() => fixture.cleanup());

describe('registerIpc', () => {
  it('registers one handler per contract channel and removes them again', () => {
    const registered = new Map<string, InvokeListener>();
    const unregister = registerIpc(
      { handle: (channel, listener) => void registered.set(channel, listener as unknown as InvokeListener), removeHandler: (channel) => void registered.delete(channel) },
      fixture.handlers,
    );
    expect([...registered.keys()].sort()).toEqual([...CHANNELS].sort());
    unregister();
    expect(registered.size).toBe(0);
  });

  it('answers the app page and refuses any other sender before the handler runs', async () => {
    const registered = new Map<string, InvokeListener>();
    registerIpc({ handle: (channel, listener) => void registered.set(channel, listener as unknown as InvokeListener), removeHandler: () => undefined }, fixture.handlers);
    const status = registered.get('vault:status');
    if (!status) throw new Error('vault:status not registered');

    await expect(status({ senderFrame: { url: APP_ENTRY_URL, parent: null } }, undefined)).resolves.toEqual({ ok: true, value: { state: 'absent' } });
    for (const senderFrame of [
      { url: 'https://example.org/', parent: null },
      { url: 'file:///tmp/page.html', parent: null },
      { url: APP_ENTRY_URL, parent: { url: APP_ENTRY_URL } },
      null,
    ]) {
      await expect(status({ senderFrame }, undefined)).resolves.toEqual({ ok: false, code: 'FORBIDDEN', message: expect.any(String) });
    }
  });

  it('handleInvoke still parses the payload of a trusted sender as hostile', async () => {
    const result = await handleInvoke(fixture.handlers, 'vault:unlock', { senderFrame: { url: APP_ENTRY_URL, parent: null } as never }, { passphrase: 7 });
    expect(result).toMatchObject({ ok: false, code: 'INVALID_INPUT' });
  });
});
