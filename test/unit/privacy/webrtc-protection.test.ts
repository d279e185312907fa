import { beforeEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing';
import { controlledElsewhere, readWebRtcProtection, requestPrivacyPermission, setWebRtcProtection } from '@/utils/privacy/webrtc-protection';
import { installFakePrivacy, type FakePrivacy } from './fake-privacy';

let privacy: FakePrivacy;
const policy = () => fakeBrowser.privacy.network.webRTCIPHandlingPolicy;

beforeEach(() => {
  fakeBrowser.reset();
  privacy = installFakePrivacy();
});

describe('Block WebRTC IP leaks', () => {
  it('is off, and reads nothing, while the privacy permission is not granted', async () => {
    expect(await readWebRtcProtection()).toEqual({ permitted: false, blocking: false, levelOfControl: null });
    expect(policy().get).not.toHaveBeenCalled();
    expect(await setWebRtcProtection(true)).toMatchObject({ blocking: false });
    expect(policy().set).not.toHaveBeenCalled();
  });

  it('asks for the optional privacy permission', async () => {
    expect(await requestPrivacyPermission()).toBe(true);
    expect(fakeBrowser.permissions.request).toHaveBeenCalledWith({ permissions: ['privacy'] });
  });

  it('sets disable_non_proxied_udp when turned on', async () => {
    await requestPrivacyPermission();
    const state = await setWebRtcProtection(true);
    expect(policy().set).toHaveBeenCalledWith({ value: 'disable_non_proxied_udp' });
    expect(state).toEqual({ permitted: true, blocking: true, levelOfControl: 'controlled_by_this_extension' });
  });

  it('hands the setting back (clear, not a value) and gives the permission back when turned off', async () => {
    await requestPrivacyPermission();
    await setWebRtcProtection(true);
    const state = await setWebRtcProtection(false);
    expect(policy().clear).toHaveBeenCalledWith({});
    expect(privacy.value).toBe('default');
    expect(privacy.granted.has('privacy')).toBe(false);
    expect(state).toEqual({ permitted: false, blocking: false, levelOfControl: null });
  });

  it('reflects the value in force on load', async () => {
    await requestPrivacyPermission();
    privacy.value = 'disable_non_proxied_udp';
    privacy.levelOfControl = 'controlled_by_this_extension';
    expect(await readWebRtcProtection()).toMatchObject({ blocking: true });
  });

  it('reports controlled_by_other_extensions and changes nothing when another extension controls the setting', async () => {
    await requestPrivacyPermission();
    privacy.takeOver('default_public_interface_only');
    const state = await setWebRtcProtection(true);
    expect(policy().set).not.toHaveBeenCalled();
    expect(state).toEqual({ permitted: true, blocking: false, levelOfControl: 'controlled_by_other_extensions' });
    expect(controlledElsewhere(state.levelOfControl)).toBe(true);
    await setWebRtcProtection(false);
    expect(policy().clear).not.toHaveBeenCalled();
  });
});
