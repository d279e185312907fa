import { beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing';
import { request } from '@/utils/messaging-client';

beforeEach(() => fakeBrowser.reset());

describe('messaging client', () => {
  it('returns the data of an ok reply', async () => {
    vi.spyOn(fakeBrowser.runtime, 'sendMessage').mockResolvedValue({ ok: true, data: { pong: true, version: '1' } } as never);
    await expect(request('ping', {})).resolves.toEqual({ pong: true, version: '1' });
  });

  it('rethrows an error reply with its code', async () => {
    vi.spyOn(fakeBrowser.runtime, 'sendMessage').mockResolvedValue({ ok: false, error: { code: 'session_ended', message: 'Your session has ended — sign in again.' } } as never);
    await expect(request('ping', {})).rejects.toMatchObject({ name: 'ExtensionError', code: 'session_ended' });
  });

  it('waits for a starting background instead of failing when the message was not delivered', async () => {
    const send = vi
      .spyOn(fakeBrowser.runtime, 'sendMessage')
      .mockRejectedValueOnce(new Error('Could not establish connection. Receiving end does not exist.'))
      .mockResolvedValueOnce({ ok: true, data: { pong: true, version: '1' } } as never);
    await expect(request('ping', {})).resolves.toMatchObject({ pong: true });
    expect(send).toHaveBeenCalledTimes(2);
  });

  it('never resends a message that may have been delivered', async () => {
    const send = vi.spyOn(fakeBrowser.runtime, 'sendMessage').mockRejectedValue(new Error('The message port closed before a response was received.'));
    await expect(request('auth.signIn', {})).rejects.toMatchObject({ code: 'no_receiver' });
    expect(send).toHaveBeenCalledTimes(1);
  });
});
