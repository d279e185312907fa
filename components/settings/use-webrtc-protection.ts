import { useCallback, useEffect, useState } from 'preact/hooks';
import { browser } from 'wxt/browser';
import {
  controlledElsewhere,
  readWebRtcProtection,
  requestPrivacyPermission,
  setWebRtcProtection,
  type WebRtcProtectionState,
} from '@/utils/privacy/webrtc-protection';
import { errorText } from './error-text';

export interface WebRtcController {
  /** Undefined while the browser's setting is being read. */
  state: WebRtcProtectionState | undefined;
  pending: boolean | undefined;
  error: string | undefined;
  toggle: (on: boolean) => void;
  refresh: () => void;
}

const PERMISSION_REFUSED = 'The browser did not give ExpressAI the privacy permission, so WebRTC is not blocked.';
const CONTROLLED = 'Another extension or your browser controls this setting, so ExpressAI cannot change it.';

/** The browser's WebRTC IP handling policy as it is now, re-read when permissions change (e.g. after erase). */
export function useWebRtcProtection(): WebRtcController {
  const [state, setState] = useState<WebRtcProtectionState | undefined>();
  const [pending, setPending] = useState<boolean | undefined>();
  const [error, setError] = useState<string | undefined>();

  const refresh = useCallback(() => {
    readWebRtcProtection().then(setState, (e: unknown) => setError(errorText(e)));
  }, []);

  useEffect(() => {
    refresh();
    browser.permissions.onAdded.addListener(refresh);
    browser.permissions.onRemoved.addListener(refresh);
    return () => {
      browser.permissions.onAdded.removeListener(refresh);
      browser.permissions.onRemoved.removeListener(refresh);
    };
  }, [refresh]);

  const toggle = useCallback((on: boolean) => {
    setPending(on);
    setError(undefined);
    // The permission prompt must open inside this click, before anything is awaited.
    const permission = on ? requestPrivacyPermission() : Promise.resolve(true);
    void permission
      .then(async (granted) => {
        if (!granted) {
          setError(PERMISSION_REFUSED);
          return;
        }
        const next = await setWebRtcProtection(on);
        setState(next);
        if (next.blocking !== on && controlledElsewhere(next.levelOfControl)) setError(CONTROLLED);
      })
      .catch((e: unknown) => setError(errorText(e)))
      .finally(() => setPending(undefined));
  }, []);

  return { state, pending, error, toggle, refresh };
}
