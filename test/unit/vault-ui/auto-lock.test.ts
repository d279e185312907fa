import { beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing';
import { authStatus, autoLockMinutes, type AuthStatusRecord } from '@/utils/storage-items';
import {
  AUTO_LOCK_ALARM,
  IDLE_DETECTION_SECONDS,
  onAuthStatusChanged,
  readAutoLockMinutes,
  registerAutoLock,
  setAutoLockMinutes,
  type AutoLockDeps,
  type IdleState,
} from '@/utils/vault/auto-lock';
import { createVault, vaultStatus } from '@/utils/vault';
import { OLD_PASSWORD, randomHash, SMALL } from '../vault/vault-test-kit';

const MINUTE = 60_000;

/** A fake idle API and alarm clock: the test says when input stops and moves time; due alarms fire. */
function fakeSystem(start = Date.UTC(2025, 0, 1, 9), idleSince?: number) {
  let time = start;
  let state: IdleState = idleSince === undefined ? 'active' : 'idle';
  let lastInput = idleSince ?? start;
  const idleListeners: ((state: IdleState) => void)[] = [];
  const alarmListeners: ((alarm: { name: string }) => void)[] = [];
  const alarms = new Map<string, number>();
  const detection: number[] = [];
  const lock = vi.fn(async (_hash?: string) => {});
  const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

  const deps: AutoLockDeps = {
    idle: {
      setDetectionInterval: (seconds) => void detection.push(seconds),
      queryState: async (seconds) => (state === 'locked' ? 'locked' : time - lastInput >= seconds * 1000 ? 'idle' : 'active'),
      onStateChanged: { addListener: (cb) => void idleListeners.push(cb) },
    },
    alarms: {
      create: (name, { when }) => void alarms.set(name, when),
      clear: async (name) => alarms.delete(name),
      onAlarm: { addListener: (cb) => void alarmListeners.push(cb) },
    },
    now: () => time,
    lock,
  };

  const emit = async (next: IdleState) => {
    state = next;
    for (const cb of idleListeners) cb(next);
    await settle();
  };

  return {
    deps,
    lock,
    alarms,
    detection,
    get now() {
      return time;
    },
    /** The user touches the keyboard. */
    async input() {
      lastInput = time;
      if (state !== 'active') await emit('active');
    },
    /** Moves time forward, sending "idle" when the detection interval passes and firing due alarms, in order. */
    async advance(ms: number) {
      const end = time + ms;
      while (time < end) {
        time = Math.min(end, time + 1000);
        if (state === 'active' && time - lastInput >= IDLE_DETECTION_SECONDS * 1000) await emit('idle');
        for (const [name, when] of [...alarms]) {
          if (when <= time) {
            alarms.delete(name);
            for (const cb of alarmListeners) cb({ name });
            await settle();
          }
        }
      }
    },
    lockScreen: () => emit('locked'),
  };
}

beforeEach(() => {
  fakeBrowser.reset();
});

describe('auto-lock', () => {
  it('locks once the computer has had no input for the default 15 minutes, not before', async () => {
    const system = fakeSystem();
    registerAutoLock(system.deps);
    expect(system.detection).toEqual([IDLE_DETECTION_SECONDS]);

    await system.advance(14 * MINUTE + 59_000);
    expect(system.lock).not.toHaveBeenCalled();
    expect(system.alarms.get(AUTO_LOCK_ALARM)).toBe(Date.UTC(2025, 0, 1, 9, 15));
    await system.advance(1000);
    expect(system.lock).toHaveBeenCalledTimes(1);
    expect(system.lock).toHaveBeenCalledWith();
  });

  it('starts counting again after input', async () => {
    const system = fakeSystem();
    registerAutoLock(system.deps);
    await system.advance(10 * MINUTE);
    await system.input();
    expect(system.alarms.has(AUTO_LOCK_ALARM)).toBe(false);
    await system.advance(14 * MINUTE);
    expect(system.lock).not.toHaveBeenCalled();
    await system.advance(1 * MINUTE);
    expect(system.lock).toHaveBeenCalledTimes(1);
  });

  it.each([1, 5, 30, 60, 240] as const)('follows the chosen %i minutes', async (minutes) => {
    await setAutoLockMinutes(minutes);
    const system = fakeSystem();
    registerAutoLock(system.deps);
    await system.advance(minutes * MINUTE - 1000);
    expect(system.lock).not.toHaveBeenCalled();
    await system.advance(1000);
    expect(system.lock).toHaveBeenCalledTimes(1);
  });

  it('locks at once when the screen locks', async () => {
    const system = fakeSystem();
    registerAutoLock(system.deps);
    await system.advance(5_000);
    await system.lockScreen();
    expect(system.lock).toHaveBeenCalledTimes(1);
  });

  it('does not lock an active user if the "active" event was missed', async () => {
    const system = fakeSystem();
    const { deps } = system;
    // Registered without the idle listener's "active" reaching it: only the alarm is seen.
    registerAutoLock({ ...deps, idle: { ...deps.idle, onStateChanged: { addListener: () => {} } } });
    deps.alarms.create(AUTO_LOCK_ALARM, { when: system.now + MINUTE });
    await system.advance(30_000);
    await system.input();
    await system.advance(30_000);
    expect(system.lock).not.toHaveBeenCalled();
  });

  it('survives the background being stopped: the pending lock is an alarm, the choice is in storage', async () => {
    await setAutoLockMinutes(5);
    const first = fakeSystem();
    registerAutoLock(first.deps);
    await first.advance(2 * MINUTE);
    const pending = first.alarms.get(AUTO_LOCK_ALARM);
    expect(pending).toBe(Date.UTC(2025, 0, 1, 9, 5));

    // A new background: nothing in memory survives, the alarm does and fires into the new listeners.
    const second = fakeSystem(first.now, Date.UTC(2025, 0, 1, 9));
    second.alarms.set(AUTO_LOCK_ALARM, pending!);
    registerAutoLock(second.deps);
    await second.advance(3 * MINUTE);
    expect(second.lock).toHaveBeenCalledTimes(1);
  });

  it('really forgets the keys: an unlocked vault is locked by default deps', async () => {
    const hash = randomHash();
    await createVault(hash, OLD_PASSWORD, { cost: SMALL });
    const system = fakeSystem();
    const { lock: _fake, ...rest } = system.deps;
    const { forgetSessionKeys } = await import('@/utils/vault/session-key');
    registerAutoLock({ ...rest, lock: forgetSessionKeys });
    await system.lockScreen();
    await vi.waitFor(async () => expect(await vaultStatus(hash)).toBe('locked'));
  });
});

describe('the auto-lock setting', () => {
  it('defaults to 15 minutes, stores nothing for the default, and reads anything unknown as the default', async () => {
    expect(await readAutoLockMinutes()).toBe(15);
    await setAutoLockMinutes(30);
    expect(await fakeBrowser.storage.local.get(null)).toEqual({ auto_lock_minutes: 30 });
    await setAutoLockMinutes(15);
    expect(await fakeBrowser.storage.local.get(null)).toEqual({});
    await autoLockMinutes.setValue(100_000);
    expect(await readAutoLockMinutes()).toBe(15);
    await expect(setAutoLockMinutes(0 as never)).rejects.toThrow(RangeError);
  });
});

describe('locking when the account goes away', () => {
  const alice = 'a'.repeat(64);
  const signedIn: AuthStatusRecord = { state: 'signed-in', email: 'alice@example.com', subscriptionHash: alice, epoch: 0 };

  it.each([
    ['signs out', { state: 'signed-out', epoch: 1 }],
    ['the session ends', { state: 'ended', epoch: 0 }],
    ['another account signs in', { state: 'signed-in', subscriptionHash: 'b'.repeat(64), epoch: 0 }],
  ] as const)('locks the account that was signed in when it %s', async (_what, next) => {
    const lock = vi.fn(async () => {});
    await onAuthStatusChanged(next as AuthStatusRecord, signedIn, { lock });
    expect(lock).toHaveBeenCalledWith(alice);
  });

  it('leaves the vault alone while the same account stays signed in, or a sign-in fails', async () => {
    const lock = vi.fn(async () => {});
    await onAuthStatusChanged({ ...signedIn }, signedIn, { lock });
    await onAuthStatusChanged({ state: 'signing-in', epoch: 0 }, { state: 'signed-out', epoch: 0 }, { lock });
    expect(lock).not.toHaveBeenCalled();
  });

  it('is wired to the stored account state', async () => {
    const system = fakeSystem();
    registerAutoLock(system.deps);
    await authStatus.setValue(signedIn);
    await authStatus.setValue({ state: 'signed-out', epoch: 1 });
    await vi.waitFor(() => expect(system.lock).toHaveBeenCalledWith(alice));
  });
});
