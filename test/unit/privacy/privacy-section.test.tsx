import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing';
import { PrivacySection } from '@/components/settings/privacy-section';
import { byName, connectBackground, renderSection } from '../diagnostics/render-settings';
import { installFakePrivacy, type FakePrivacy } from './fake-privacy';

let privacy: FakePrivacy;
let view: ReturnType<typeof renderSection>;

beforeEach(async () => {
  fakeBrowser.reset();
  connectBackground();
  privacy = installFakePrivacy();
  await fakeBrowser.storage.local.set({ diagnostics_enabled: true });
});
afterEach(() => view.unmount());

const webrtcSwitch = () => byName<HTMLInputElement>(view.root, 'switch', 'Block WebRTC IP leaks');

describe('the Privacy section', () => {
  it('asks for the privacy permission from the click and blocks WebRTC leaks', async () => {
    view = renderSection(<PrivacySection />);
    await vi.waitFor(() => expect(webrtcSwitch().disabled).toBe(false));
    expect(webrtcSwitch().checked).toBe(false);
    webrtcSwitch().click();
    // Synchronously, inside the click: browsers only prompt during a user action.
    expect(fakeBrowser.permissions.request).toHaveBeenCalledWith({ permissions: ['privacy'] });
    await vi.waitFor(() => expect(privacy.value).toBe('disable_non_proxied_udp'));
    await vi.waitFor(() => expect(webrtcSwitch().getAttribute('aria-busy')).toBeNull());
    expect(webrtcSwitch().checked).toBe(true);
  });

  it('shows when another extension controls the setting, and disables the switch', async () => {
    privacy.granted.add('privacy');
    privacy.takeOver('disable_non_proxied_udp');
    view = renderSection(<PrivacySection />);
    await vi.waitFor(() => expect(view.root.textContent).toContain('Another extension controls this setting'));
    expect(webrtcSwitch().disabled).toBe(true);
    expect(webrtcSwitch().checked).toBe(true);
  });
});
