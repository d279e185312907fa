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

  it('erases everything only after the confirmation, which can be cancelled', async () => {
    view = renderSection(<PrivacySection />);
    const dialog = byName<HTMLDialogElement>(view.root, 'dialog', 'Erase everything?');
    byName(view.root, 'button', 'Erase everything').click();
    expect(dialog.open).toBe(true);
    byName(dialog, 'button', 'Cancel').click();
    expect(dialog.open).toBe(false);
    expect(await fakeBrowser.storage.local.get(null)).toEqual({ diagnostics_enabled: true });

    byName(view.root, 'button', 'Erase everything').click();
    byName(dialog, 'button', 'Erase').click();
    await vi.waitFor(() => expect(view.root.querySelector('[role="status"]')?.textContent).toBe('Everything was erased. ExpressAI is as it was when first installed.'));
    expect(await fakeBrowser.storage.local.get(null)).toEqual({});
  });
});
