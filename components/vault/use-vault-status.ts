import { useCallback, useLayoutEffect, useRef, useState } from 'preact/hooks';
import { pageBoot } from '@/utils/page-boot';
import { masterPasswordCreatedFor } from '@/utils/storage-items';
import { isUnlocked } from '@/utils/vault/session-key';
import { vaultStatus, watchVaultStatus, type VaultStatus } from '@/utils/vault/vault-status';

export type GateStatus = VaultStatus | 'loading' | 'error';

/**
 * This subscription's vault status, live: a lock, unlock, create or reset in
 * any page or the background shows here at once. The key in storage.session
 * signals lock and unlock; the created flag signals create and reset (a reset
 * of a vault that was already locked changes no key).
 */
export function useVaultStatus(subscriptionHash: string): { status: GateStatus; refresh: () => void; unlockedHere: () => void } {
  const [status, setStatus] = useState<GateStatus>('loading');
  const latest = useRef(0);

  const refresh = useCallback(() => {
    // Answers can arrive out of order; only the last question's answer counts.
    const ticket = ++latest.current;
    vaultStatus(subscriptionHash).then(
      (next) => ticket === latest.current && setStatus(next),
      () => ticket === latest.current && setStatus('error'),
    );
  }, [subscriptionHash]);

  // Asked before the first paint rather than after it: the page opens a frame sooner.
  useLayoutEffect(() => {
    setStatus('loading');
    // The full answer opens the history database first; the key in storage.session alone says "unlocked"
    // (only an unlock writes it, and a reset removes it before the database). The full answer still decides.
    // While the page opens, its opening read (utils/page-boot.ts) asked already, in the same round trip as the account.
    const boot = pageBoot();
    (boot ? boot.then((found) => found?.unlocked(subscriptionHash) ?? false) : isUnlocked(subscriptionHash)).then(
      (unlocked) => unlocked && setStatus((current) => (current === 'loading' ? 'unlocked' : current)),
      () => undefined,
    );
    refresh();
    const unwatchKey = watchVaultStatus(subscriptionHash, refresh);
    const unwatchFlag = masterPasswordCreatedFor(subscriptionHash).watch(refresh);
    return () => {
      latest.current++;
      unwatchKey();
      unwatchFlag();
    };
  }, [subscriptionHash, refresh]);

  // This page has just stored the key: that is what "unlocked" means, so the history shows without another
  // round trip; the full answer follows and still decides.
  const unlockedHere = useCallback(() => {
    setStatus('unlocked');
    refresh();
  }, [refresh]);

  return { status, refresh, unlockedHere };
}
