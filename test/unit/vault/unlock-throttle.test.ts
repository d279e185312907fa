import { beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing';
import { unlockThrottleFor } from '@/utils/storage-items';
import { FREE_ATTEMPTS, throttleDelay, unlockThrottleState } from '@/utils/vault/unlock-throttle';
import { createVault, isUnlocked, lock, unlock } from '@/utils/vault/vault-session';
import { OLD_PASSWORD, randomHash, SMALL } from './vault-test-kit';

beforeEach(() => {
  fakeBrowser.reset();
});

async function lockedVault() {
  const hash = randomHash();
  await createVault(hash, OLD_PASSWORD, { cost: SMALL });
  await lock(hash);
  return hash;
}

function clock(start = 1_700_000_000_000) {
  let t = start;
  return { now: () => t, advance: (ms: number) => (t += ms) };
}

describe('unlock throttle', () => {
  it('costs nothing for five wrong passwords, then waits longer after each further one', () => {
    expect([0, 1, 2, 3, 4].map(throttleDelay)).toEqual([0, 0, 0, 0, 0]);
    expect([5, 6, 7, 8].map(throttleDelay)).toEqual([30_000, 60_000, 120_000, 240_000]);
    expect(throttleDelay(50)).toBe(15 * 60_000);
  });

  it('refuses every attempt, even the right password, until the delay after the fifth failure has passed', async () => {
    const hash = await lockedVault();
    const time = clock();
    for (let i = 0; i < FREE_ATTEMPTS; i++) {
      await expect(unlock(hash, 'wrong password', time)).rejects.toMatchObject({ code: 'wrong_password' });
    }
    await expect(unlock(hash, OLD_PASSWORD, time)).rejects.toMatchObject({ code: 'unlock_throttled', message: expect.stringContaining('30 seconds') });
    time.advance(29_999);
    await expect(unlock(hash, OLD_PASSWORD, time)).rejects.toMatchObject({ code: 'unlock_throttled' });
    expect(await isUnlocked(hash)).toBe(false);

    time.advance(1);
    await expect(unlock(hash, 'wrong again', time)).rejects.toMatchObject({ code: 'wrong_password' });
    expect(await unlockThrottleState(hash)).toEqual({ failures: 6, nextAllowedAt: time.now() + 60_000 });
    time.advance(60_000);
    await unlock(hash, OLD_PASSWORD, time);
    expect(await isUnlocked(hash)).toBe(true);
    expect(await unlockThrottleState(hash)).toEqual({ failures: 0, nextAllowedAt: 0 });
  });

  it('keeps the count only in storage.session, so a restarted background still enforces it', async () => {
    const hash = await lockedVault();
    const time = clock();
    for (let i = 0; i < FREE_ATTEMPTS; i++) await unlock(hash, 'wrong password', time).catch(() => undefined);
    // What a fresh background sees: only storage.session, no module state.
    expect(await fakeBrowser.storage.session.get(`vault_unlock_throttle_${hash}`)).toEqual({
      [`vault_unlock_throttle_${hash}`]: { failures: 5, nextAllowedAt: time.now() + 30_000 },
    });
    await expect(unlock(hash, OLD_PASSWORD, time)).rejects.toMatchObject({ code: 'unlock_throttled' });
    // And nothing else holds it: once the session area is gone (browser closed), so is the delay.
    await unlockThrottleFor(hash).removeValue();
    await unlock(hash, OLD_PASSWORD, time);
  });

  it('counts simultaneous attempts one by one, so a burst cannot slip past the limit', async () => {
    const hash = await lockedVault();
    const time = clock();
    const results = await Promise.allSettled(Array.from({ length: 8 }, () => unlock(hash, 'wrong password', time)));
    const codes = results.map((r) => (r.status === 'rejected' ? (r.reason as { code: string }).code : 'ok'));
    expect(codes).toEqual([...Array(5).fill('wrong_password'), ...Array(3).fill('unlock_throttled')]);
  });

  it('a right password clears an earlier wrong one; an unlock with nothing to clear leaves the throttle alone', async () => {
    const hash = await lockedVault();
    const time = clock();
    await expect(unlock(hash, 'wrong password', time)).rejects.toMatchObject({ code: 'wrong_password' });
    await unlock(hash, OLD_PASSWORD, time);
    expect(await fakeBrowser.storage.session.get(`vault_unlock_throttle_${hash}`)).toEqual({});

    await lock(hash);
    const remove = vi.spyOn(fakeBrowser.storage.session, 'remove');
    try {
      await unlock(hash, OLD_PASSWORD, time);
      expect(remove).not.toHaveBeenCalled();
    } finally {
      remove.mockRestore();
    }
    expect(await isUnlocked(hash)).toBe(true);
  });

  it('throttles per subscription', async () => {
    const [a, b] = [await lockedVault(), await lockedVault()];
    const time = clock();
    for (let i = 0; i < FREE_ATTEMPTS; i++) await unlock(a, 'wrong password', time).catch(() => undefined);
    await expect(unlock(a, OLD_PASSWORD, time)).rejects.toMatchObject({ code: 'unlock_throttled' });
    await unlock(b, OLD_PASSWORD, time);
  });
});
