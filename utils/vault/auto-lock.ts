/**
 * Auto-lock, run by the background: the vault locks itself once the computer
 * has had no input for the chosen time, and at once when the screen locks
 * (only Chrome reports that; Firefox never sends "locked"). The background may
 * be stopped between any two events, so the choice lives in storage and the
 * pending lock is an alarm; a browser restart locks by itself because
 * storage.session is emptied.
 */
import { browser } from 'wxt/browser';
import { autoLockMinutes, authStatus, type AuthStatusRecord } from '../storage-items';
// The session-key module directly: the background needs no Argon2id to lock.
import { forgetSessionKeys as lock } from './session-key';

/** The choices Settings offers, in minutes; 4 hours is the longest, there is no "never". */
export const AUTO_LOCK_CHOICES = [1, 5, 15, 30, 60, 240] as const;
export type AutoLockMinutes = (typeof AUTO_LOCK_CHOICES)[number];
export const DEFAULT_AUTO_LOCK_MINUTES: AutoLockMinutes = 15;

/** The idle API reports "idle" after this much silence; the rest of the wait is an alarm. */
export const IDLE_DETECTION_SECONDS = 60;
export const AUTO_LOCK_ALARM = 'vault-auto-lock';

export type IdleState = 'active' | 'idle' | 'locked';

/** What auto-lock needs from the browser; tests pass fakes and their own clock. */
export interface AutoLockDeps {
  idle: {
    setDetectionInterval(seconds: number): void;
    queryState(seconds: number): Promise<IdleState>;
    onStateChanged: { addListener(callback: (state: IdleState) => void): void };
  };
  alarms: {
    create(name: string, info: { when: number }): Promise<void> | void;
    clear(name: string): Promise<boolean>;
    onAlarm: { addListener(callback: (alarm: { name: string }) => void): void };
  };
  now: () => number;
  /** Locks every unlocked vault, or one subscription's. */
  lock: (subscriptionHash?: string) => Promise<void>;
}

const defaultDeps = (): AutoLockDeps => ({ idle: browser.idle, alarms: browser.alarms, now: Date.now, lock });

const isChoice = (value: unknown): value is AutoLockMinutes => AUTO_LOCK_CHOICES.includes(value as AutoLockMinutes);

/** The chosen time; anything stored that is not one of the choices reads as the default. */
export async function readAutoLockMinutes(): Promise<AutoLockMinutes> {
  const stored = await autoLockMinutes.getValue();
  return isChoice(stored) ? stored : DEFAULT_AUTO_LOCK_MINUTES;
}

/** Saves the choice; the default is stored as nothing at all. */
export async function setAutoLockMinutes(minutes: AutoLockMinutes): Promise<void> {
  if (!isChoice(minutes)) throw new RangeError('not an auto-lock choice');
  if (minutes === DEFAULT_AUTO_LOCK_MINUTES) await autoLockMinutes.removeValue();
  else await autoLockMinutes.setValue(minutes);
}

/** "idle" means no input since IDLE_DETECTION_SECONDS ago: lock when the chosen time has passed since then. */
export async function onIdleStateChanged(state: IdleState, deps: AutoLockDeps = defaultDeps()): Promise<void> {
  if (state === 'active') {
    await deps.alarms.clear(AUTO_LOCK_ALARM);
    return;
  }
  if (state === 'locked') {
    await deps.alarms.clear(AUTO_LOCK_ALARM);
    await deps.lock();
    return;
  }
  const now = deps.now();
  const due = now - IDLE_DETECTION_SECONDS * 1000 + (await readAutoLockMinutes()) * 60_000;
  if (due <= now) await deps.lock();
  else await deps.alarms.create(AUTO_LOCK_ALARM, { when: due });
}

export async function onAutoLockAlarm(alarm: { name: string }, deps: AutoLockDeps = defaultDeps()): Promise<void> {
  if (alarm.name !== AUTO_LOCK_ALARM) return;
  // The "active" event clears the alarm; should it have been missed, a user at the keyboard is not locked out.
  if ((await deps.idle.queryState(IDLE_DETECTION_SECONDS)) === 'active') return;
  await deps.lock();
}

/** A signed-out, ended or replaced account leaves its history locked: its key is not kept for the next person. */
export async function onAuthStatusChanged(next: AuthStatusRecord, previous: AuthStatusRecord | null, deps: Pick<AutoLockDeps, 'lock'> = defaultDeps()): Promise<void> {
  const hash = previous?.subscriptionHash;
  if (!hash) return;
  const gone = next.state === 'signed-out' || next.state === 'ended';
  const replaced = next.state === 'signed-in' && next.subscriptionHash !== hash;
  if (gone || replaced) await deps.lock(hash);
}

/**
 * Registers auto-lock's listeners; call synchronously at the top of the
 * background so the browser wakes it for idle changes and alarms.
 */
export function registerAutoLock(deps: AutoLockDeps = defaultDeps()): void {
  // A failed lock has nothing to tell the user here; the next event tries again.
  const quietly = (promise: Promise<void>) => void promise.catch(() => undefined);
  deps.idle.setDetectionInterval(IDLE_DETECTION_SECONDS);
  deps.idle.onStateChanged.addListener((state) => quietly(onIdleStateChanged(state, deps)));
  deps.alarms.onAlarm.addListener((alarm) => quietly(onAutoLockAlarm(alarm, deps)));
  authStatus.watch((next, previous) => quietly(onAuthStatusChanged(next, previous, deps)));
}
