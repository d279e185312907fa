/**
 * What the popup and side panel need to show the chat, read as the page's
 * script starts: the account state and which vaults are unlocked, asked at
 * the same time (the vault's key name does not need the account's answer), so
 * the chat shows after one storage round trip instead of two. The page still
 * renders at once (its first render must not wait on storage), and the
 * background's answers still confirm or correct what this read found
 * (use-auth-status, use-vault-status).
 */
import { authStatus, sessionKeyNames, type AuthStatusRecord } from './storage-items';
import { isUnlockedIn } from './vault/session-key';

export interface PageBoot {
  /** The account record as stored, when it says signed in (anything else waits for the background). */
  signedIn: Omit<AuthStatusRecord, 'epoch'> | undefined;
  /** Whether this subscription's data key is in storage.session (only an unlock writes it). */
  unlocked(subscriptionHash: string): boolean;
}

/** Storage slower than this to answer: the hooks ask on their own, as without the boot read. */
const MAX_WAIT_MS = 150;

let boot: Promise<PageBoot | undefined> | undefined;

async function read(): Promise<PageBoot> {
  const [{ epoch: _epoch, ...record }, names] = await Promise.all([authStatus.getValue(), sessionKeyNames()]);
  return { signedIn: record.state === 'signed-in' ? record : undefined, unlocked: (hash) => isUnlockedIn(names, hash) };
}

/**
 * Starts the read; call first thing in a page's script, then render. What it found is offered to the hooks
 * that mount while the page opens (up to the task after it settled): a gate mounted later, after a lock or
 * another sign-in, asks storage itself rather than trust a read from when the page opened.
 */
export function startPageBoot(maxWaitMs = MAX_WAIT_MS): void {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<undefined>((resolve) => (timer = setTimeout(resolve, maxWaitMs, undefined)));
  const current = Promise.race([read().catch(() => undefined), late]).finally(() => {
    clearTimeout(timer);
    setTimeout(() => {
      if (boot === current) boot = undefined;
    });
  });
  boot = current;
}

/** The opening read, while the page is opening; undefined after (or when no read was started). */
export function pageBoot(): Promise<PageBoot | undefined> | undefined {
  return boot;
}
