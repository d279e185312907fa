import { controlledElsewhere } from '@/utils/privacy/webrtc-protection';
import { SwitchField } from './switch-field';
import { useWebRtcProtection } from './use-webrtc-protection';

/** The "Privacy" card: WebRTC leak protection. */
export function PrivacySection() {
  const webrtc = useWebRtcProtection();
  const { state, pending, error } = webrtc;
  const elsewhere = controlledElsewhere(state?.levelOfControl ?? null);
  return (
    <section class="card" aria-labelledby="privacy-settings-heading">
      <h2 id="privacy-settings-heading">Privacy</h2>
      <SwitchField
        id="webrtc-switch"
        label="Block WebRTC IP leaks"
        checked={pending ?? state?.blocking ?? false}
        disabled={!state || elsewhere}
        busy={pending !== undefined}
        onToggle={webrtc.toggle}
        description={
          <>
            <p>
              Stops websites from learning your local or real IP address through WebRTC, even behind a VPN or proxy. Asks the browser for the
              “privacy” permission when you switch it on. Some video calls may connect more slowly.
            </p>
            {elsewhere && (
              <p class="error">
                {state?.levelOfControl === 'controlled_by_other_extensions'
                  ? 'Another extension controls this setting, so ExpressAI cannot change it.'
                  : 'Your browser or your administrator controls this setting, so ExpressAI cannot change it.'}
              </p>
            )}
          </>
        }
      />
      {error && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
    </section>
  );
}
