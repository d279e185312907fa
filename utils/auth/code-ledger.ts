/**
 * `processed_code`: remembers which authorization codes were already taken up,
 * so one code is exchanged once even if it is delivered twice, from two
 * contexts, or after the background restarted.
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-4.1.2 (a code is single-use)
 */
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils.js';
import { processedCode, type ProcessedCodeEntry } from '../storage-items';

/** How long a code's mark is kept: longer than any code lives at the server. */
export const CODE_MARK_TTL_MS = 10 * 60 * 1000;

export type ClaimResult = 'claimed' | ProcessedCodeEntry['state'];

let queue: Promise<unknown> = Promise.resolve();

/** Serialises read-modify-write on the ledger within this background. */
function exclusive<T>(task: () => Promise<T>): Promise<T> {
  const run = queue.then(task, task);
  queue = run.catch(() => undefined);
  return run;
}

export function hashCode(code: string): string {
  return bytesToHex(sha256(utf8ToBytes(code)));
}

/** Marks the code "in flight" unless it is already known; answers what it found. */
export function claimCode(code: string, now: number): Promise<ClaimResult> {
  const key = hashCode(code);
  return exclusive(async () => {
    const ledger = prune(await processedCode.getValue(), now);
    const existing = ledger[key];
    if (existing) return existing.state;
    ledger[key] = { state: 'in-flight', expiresAt: now + CODE_MARK_TTL_MS };
    await processedCode.setValue(ledger);
    return 'claimed';
  });
}

/** Marks the code "done": it was sent to the token endpoint, whatever the answer. */
export function finishCode(code: string, now: number): Promise<void> {
  const key = hashCode(code);
  return exclusive(async () => {
    const ledger = prune(await processedCode.getValue(), now);
    ledger[key] = { state: 'done', expiresAt: now + CODE_MARK_TTL_MS };
    await processedCode.setValue(ledger);
  });
}

function prune(ledger: Record<string, ProcessedCodeEntry>, now: number): Record<string, ProcessedCodeEntry> {
  return Object.fromEntries(Object.entries(ledger).filter(([, entry]) => entry.expiresAt > now));
}
