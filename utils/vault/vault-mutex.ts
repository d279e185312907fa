/**
 * Runs vault operations for one subscription one at a time within this
 * context, so two unlock attempts cannot both slip past the throttle and a
 * password change never interleaves with an unlock's clean-up.
 */
const tails = new Map<string, Promise<unknown>>();

export function withVaultMutex<T>(subscriptionHash: string, task: () => Promise<T>): Promise<T> {
  const previous = tails.get(subscriptionHash) ?? Promise.resolve();
  const run = previous.catch(() => undefined).then(task);
  const tail = run.catch(() => undefined);
  tails.set(subscriptionHash, tail);
  void tail.then(() => {
    if (tails.get(subscriptionHash) === tail) tails.delete(subscriptionHash);
  });
  return run;
}
