import { useCallback, useEffect, useState } from 'preact/hooks';
import { browser } from 'wxt/browser';
import type { DiagnosticsView } from '@/utils/diagnostics/diagnostics-control';
import { requestDiagnosticsPermission } from '@/utils/diagnostics/diagnostics-permission';
import { request } from '@/utils/messaging-client';
import { diagnosticsCounters, diagnosticsEnabled, diagnosticsQueue, diagnosticsSent } from '@/utils/storage-items';
import { errorText } from './error-text';

export interface DiagnosticsController {
  /** Undefined until the background answered. */
  view: DiagnosticsView | undefined;
  /** Where the switch is going while a change is in progress. */
  pending: boolean | undefined;
  error: string | undefined;
  toggle: (on: boolean) => void;
  clearSent: () => void;
}

const CONSENT_REFUSED = 'Firefox did not allow ExpressAI to send technical data, so diagnostics stay off.';

/** The diagnostics setting, live: it follows storage changes (other pages, the background, erase) and Firefox's consent. */
export function useDiagnostics(): DiagnosticsController {
  const [view, setView] = useState<DiagnosticsView | undefined>();
  const [pending, setPending] = useState<boolean | undefined>();
  const [error, setError] = useState<string | undefined>();

  const refresh = useCallback(() => request('diagnostics.status', {}).then(setView, (e: unknown) => setError(errorText(e))), []);

  useEffect(() => {
    void refresh();
    const unwatch = [diagnosticsEnabled, diagnosticsCounters, diagnosticsQueue, diagnosticsSent].map((item) => item.watch(() => void refresh()));
    // Consent taken back in Firefox's Add-ons Manager: the background switches diagnostics off; show it.
    const onRemoved = () => void refresh();
    browser.permissions.onRemoved.addListener(onRemoved);
    return () => {
      unwatch.forEach((stop) => stop());
      browser.permissions.onRemoved.removeListener(onRemoved);
    };
  }, [refresh]);

  const toggle = useCallback((on: boolean) => {
    setPending(on);
    setError(undefined);
    // Firefox's consent prompt must open inside this click, before anything is awaited.
    const consent = on ? requestDiagnosticsPermission() : Promise.resolve(true);
    void consent
      .then(async (granted) => {
        if (granted) setView(await request('diagnostics.setEnabled', { enabled: on }));
        else setError(CONSENT_REFUSED);
      })
      .catch((e: unknown) => setError(errorText(e)))
      .finally(() => setPending(undefined));
  }, []);

  const clearSent = useCallback(() => {
    request('diagnostics.clearSent', {}).then(setView, (e: unknown) => setError(errorText(e)));
  }, []);

  return { view, pending, error, toggle, clearSent };
}
