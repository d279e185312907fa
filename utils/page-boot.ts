/**
 * What the popup and side panel need before their first useful frame, read
 * once as the page's script starts: the account state and which vaults are
 * unlocked. Both are asked at the same time (the vault's key name does not
 * need the account's answer), so the page renders the chat after one storage
 * round trip instead of two, and its first render is the real one. The
 * background's answers still confirm or correct it (use-auth-status,
 * use-vault-status).
 */
import { authStatus, sessionKeyNames, type AuthStatusRecord } from './storage-items';
import { isUnlockedIn } from './vault/session-key';

export interface PageBoot {
  /** The account record as stored, when it says signed in (anything else waits for the background). */
  signedIn: Omit<AuthStatusRecord, 'epoch'> | undefined;
  /** Whether this subscription's data key is in storage.session (only an unlock writes it). */
  unlocked(subscriptionHash: string): boolean;
}

/** A page never waits longer than this for its first render: storage that is slow to answer shows the page as before. */
const MAX_WAIT_MS = 150;

/** Set only while the first render runs: a later render (after a lock, another sign-in) must ask, not reuse it. */
let current: PageBoot | undefined;

async function read(): Promise<PageBoot> {
  const [{ epoch: _epoch, ...record }, names] = await Promise.all([authStatus.getValue(), sessionKeyNames()]);
  return { signedIn: record.state === 'signed-in' ? record : undefined, unlocked: (hash) => isUnlockedIn(names, hash) };
}

/**
 * Reads the boot state, then runs `render` (the page's first, synchronous render) with it available
 * through {@link pageBoot}. A read that fails or takes longer than `maxWaitMs` renders without it.
 */
export async function renderAfterBoot(render: () => void, maxWaitMs = MAX_WAIT_MS): Promise<void> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<undefined>((resolve) => (timer = setTimeout(resolve, maxWaitMs, undefined)));
  current = await Promise.race([read().catch(() => undefined), late]);
  clearTimeout(timer);
  try {
    render();
  } finally {
    current = undefined;
  }
}

/** The boot state, during the page's first render only. */
export function pageBoot(): PageBoot | undefined {
  return current;
}
