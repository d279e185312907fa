import { useEffect, useState } from 'preact/hooks';
import { unlockThrottleFor, type UnlockThrottleRecord } from '@/utils/storage-items';
import { unlockThrottleState } from '@/utils/vault';

const NONE: UnlockThrottleRecord = { failures: 0, nextAllowedAt: 0 };

/**
 * Wrong attempts so far and the seconds left before the next one is allowed,
 * counting down. Live across pages: the count lives in storage.session.
 */
export function useUnlockThrottle(subscriptionHash: string, now: () => number = Date.now): { failures: number; waitSeconds: number } {
  const [record, setRecord] = useState<UnlockThrottleRecord>(NONE);
  const [time, setTime] = useState(now);

  useEffect(() => {
    let live = true;
    void unlockThrottleState(subscriptionHash).then((value) => live && setRecord(value), () => undefined);
    const unwatch = unlockThrottleFor(subscriptionHash).watch((value) => setRecord(value ?? NONE));
    return () => {
      live = false;
      unwatch();
    };
  }, [subscriptionHash]);

  const waiting = record.nextAllowedAt > time;
  useEffect(() => {
    setTime(now());
    if (record.nextAllowedAt <= now()) return;
    const timer = setInterval(() => setTime(now()), 1000);
    return () => clearInterval(timer);
  }, [record.nextAllowedAt, waiting, now]);

  return { failures: record.failures, waitSeconds: Math.max(0, Math.ceil((record.nextAllowedAt - time) / 1000)) };
}
