/**
 * Diagnostics state is read, changed and written by the background and by
 * every page that records; one named Web Lock serializes all of them, so no
 * count is lost and nothing is written after diagnostics were switched off.
 * Whatever runs under the lock must not take it again.
 */
const LOCK_NAME = 'expressai-diagnostics';

let tail: Promise<unknown> = Promise.resolve();

export function withDiagnosticsLock<T>(task: () => Promise<T>): Promise<T> {
  const locks = globalThis.navigator?.locks;
  // The lock is held until the task's promise settles; the typings miss that `request` then resolves to its value.
  if (locks) return locks.request(LOCK_NAME, task) as unknown as Promise<T>;
  // No Web Locks (unit tests): one queue per context is all there is to serialize.
  const run = tail.catch(() => undefined).then(task);
  tail = run.catch(() => undefined);
  return run;
}
