/**
 * Posting reports: anonymous by construction. No credentials, no cookies, no
 * Authorization header, no referrer, no redirects; the body is the report and
 * nothing else.
 */
import { SERVICE } from '../service';
import { diagnosticsCounters, diagnosticsEnabled, diagnosticsQueue, diagnosticsSent } from '../storage-items';
import { withDiagnosticsLock } from './diagnostics-lock';
import { hasDiagnosticsPermission } from './diagnostics-permission';
import { discardLocked, keptSentLocked, pendingBodies, utcDay } from './diagnostics-state';

const SEND_TIMEOUT_MS = 30_000;

/** `sent`: accepted. `rejected`: the service refused this report and always will. `failed`: try again tomorrow. */
export type SendOutcome = 'sent' | 'rejected' | 'failed';

export async function postReport(body: string, url: string = SERVICE.diagnosticsUrl): Promise<SendOutcome> {
  let response: Response;
  try {
    response = await fetch(url, {
      method: 'POST',
      body,
      headers: { 'Content-Type': 'application/json' },
      credentials: 'omit',
      cache: 'no-store',
      referrerPolicy: 'no-referrer',
      redirect: 'error',
      signal: AbortSignal.timeout(SEND_TIMEOUT_MS),
    });
  } catch {
    return 'failed';
  }
  await response.body?.cancel().catch(() => {});
  if (response.ok) return 'sent';
  if (response.status === 400 || response.status === 413 || response.status === 422) return 'rejected';
  return 'failed';
}

/**
 * Today's attempt: the counts so far join the queue and every queued report
 * is posted, oldest first, until one fails. The day is marked as attempted
 * before anything is sent, so a failure or a restart never causes a second
 * attempt the same day; what failed waits for tomorrow.
 */
export async function sendDueReports(now = Date.now()): Promise<void> {
  const today = utcDay(now);
  const batch = await withDiagnosticsLock(async () => {
    if (!(await diagnosticsEnabled.getValue())) return [];
    if (!(await hasDiagnosticsPermission())) {
      await discardLocked();
      return [];
    }
    const queue = await diagnosticsQueue.getValue();
    if (queue.lastAttemptDay === today) return [];
    const reports = pendingBodies(queue.reports, await diagnosticsCounters.getValue());
    if (reports.length === 0) return [];
    await diagnosticsQueue.setValue({ reports, lastAttemptDay: today });
    await diagnosticsCounters.removeValue();
    return reports;
  });
  for (const body of batch) {
    const outcome = await postReport(body);
    if (outcome === 'failed') return;
    if (!(await settle(body, outcome, now))) return;
  }
}

/** Takes a report out of the queue and logs it if it was sent. False when diagnostics were switched off meanwhile: then nothing is written. */
function settle(body: string, outcome: Exclude<SendOutcome, 'failed'>, now: number): Promise<boolean> {
  return withDiagnosticsLock(async () => {
    if (!(await diagnosticsEnabled.getValue())) return false;
    const queue = await diagnosticsQueue.getValue();
    const at = queue.reports.indexOf(body);
    if (at >= 0) await diagnosticsQueue.setValue({ ...queue, reports: queue.reports.filter((_, i) => i !== at) });
    if (outcome === 'sent') await diagnosticsSent.setValue([...(await keptSentLocked(now)), { sentOn: utcDay(now), body }]);
    return true;
  });
}
