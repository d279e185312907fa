import { describe, expect, it, vi } from 'vitest';
import type { Browser } from 'wxt/browser';
import { createMessageRouter, type Handlers } from '@/utils/message-router';

const self = { id: 'ext-id', baseUrl: 'chrome-extension://ext-id/' };
const ownPage: Browser.runtime.MessageSender = { id: 'ext-id', url: 'chrome-extension://ext-id/popup.html' };

function router(ping = vi.fn(() => ({ pong: true as const, version: '1.2.3' }))) {
  // Only ping is exercised here; the other handlers are never reached.
  const handlers = { ping } as Partial<Handlers> as Handlers;
  return { route: createMessageRouter(handlers, self), ping };
}

describe('message router', () => {
  it('answers a well-formed message from our own page', async () => {
    const { route } = router();
    await expect(route({ type: 'ping', payload: {} }, ownPage)).resolves.toEqual({
      ok: true,
      data: { pong: true, version: '1.2.3' },
    });
  });

  it.each([
    ['a web page', { id: 'ext-id', url: 'https://evil.example/', tab: { id: 1 } }],
    ['another extension', { id: 'other-id', url: 'chrome-extension://other-id/page.html' }],
    ['a sender without a URL', { id: 'ext-id' }],
    ['a look-alike URL', { id: 'ext-id', url: 'chrome-extension://ext-id.evil/page.html' }],
  ])('refuses %s without running a handler', async (_label, sender) => {
    const { route, ping } = router();
    const reply = await route({ type: 'ping', payload: {} }, sender as Browser.runtime.MessageSender);
    expect(reply).toMatchObject({ ok: false, error: { code: 'forbidden_sender' } });
    expect(ping).not.toHaveBeenCalled();
  });

  it.each([
    ['null', null],
    ['a string', 'ping'],
    ['no payload', { type: 'ping' }],
    ['an extra envelope field', { type: 'ping', payload: {}, extra: 1 }],
    ['a non-string type', { type: 42, payload: {} }],
    ['an unexpected payload field', { type: 'ping', payload: { sneaky: true } }],
  ])('refuses a malformed message (%s)', async (_label, message) => {
    const { route, ping } = router();
    const reply = await route(message, ownPage);
    expect(reply).toMatchObject({ ok: false, error: { code: 'invalid_message' } });
    expect(ping).not.toHaveBeenCalled();
  });

  it('refuses a type that is not in the protocol, including inherited names', async () => {
    const { route } = router();
    for (const type of ['launchMissiles', 'toString', '__proto__']) {
      expect(await route({ type, payload: {} }, ownPage)).toMatchObject({ ok: false, error: { code: 'unknown_message' } });
    }
  });

  it('turns a crashing handler into internal_error without leaking its text', async () => {
    const { route } = router(
      vi.fn(() => {
        throw new Error('secret prompt text');
      }),
    );
    const reply = await route({ type: 'ping', payload: {} }, ownPage);
    expect(reply).toMatchObject({ ok: false, error: { code: 'internal_error' } });
    expect(JSON.stringify(reply)).not.toContain('secret prompt text');
  });
});
