/** Firefox ties diagnostics to the optional `technicalAndInteraction` data-collection permission; Chrome does not have one. */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing';
import { onPermissionsRemoved, readDiagnosticsView, setDiagnosticsEnabled, startDiagnostics } from '@/utils/diagnostics/diagnostics-control';
import { requestDiagnosticsPermission } from '@/utils/diagnostics/diagnostics-permission';
import { recordFailure } from '@/utils/diagnostics/recorder';
import { diagnosticsEnabled } from '@/utils/storage-items';
import { DiagnosticsSection } from '@/components/settings/diagnostics-section';
import { byName, connectBackground, renderSection } from './render-settings';

const env = vi.hoisted(() => ({ family: 'firefox' as 'chrome' | 'firefox' }));
vi.mock('@/utils/diagnostics/report-environment', async (importOriginal) => ({
  ...(await importOriginal<typeof import('@/utils/diagnostics/report-environment')>()),
  browserFamily: () => env.family,
  reportEnvironment: () => ({ extensionVersion: '0.1.0', browser: { family: env.family, major: 140 } }),
}));

const CONSENT = { data_collection: ['technicalAndInteraction'] };
let granted: boolean;

beforeEach(() => {
  fakeBrowser.reset();
  env.family = 'firefox';
  granted = false;
  vi.spyOn(fakeBrowser.permissions, 'contains').mockImplementation(async () => granted);
  vi.spyOn(fakeBrowser.permissions, 'request').mockImplementation(async () => (granted = true));
  vi.spyOn(fakeBrowser.permissions, 'remove').mockImplementation(async () => !(granted = false));
  vi.stubGlobal('fetch', vi.fn(async () => new Response(null, { status: 204 })));
});
afterEach(() => vi.unstubAllGlobals());

async function storedKeys() {
  return Object.keys(await fakeBrowser.storage.local.get(null));
}

describe('Firefox data-collection consent', () => {
  it('asks Firefox for technicalAndInteraction when the switch is turned on', async () => {
    expect(await requestDiagnosticsPermission()).toBe(true);
    expect(fakeBrowser.permissions.request).toHaveBeenCalledWith(CONSENT);
  });

  it('keeps diagnostics off when the consent was not given', async () => {
    await expect(setDiagnosticsEnabled(true)).rejects.toMatchObject({ code: 'permission_denied' });
    expect(await storedKeys()).toEqual([]);
  });

  it('switches diagnostics off, dropping every count, when the consent is revoked in the browser', async () => {
    granted = true;
    await setDiagnosticsEnabled(true);
    await recordFailure('offline');
    granted = false;
    await onPermissionsRemoved(CONSENT);
    expect(await storedKeys()).toEqual([]);
    expect(await fakeBrowser.alarms.getAll()).toEqual([]);
  });

  it('ignores other permissions being removed', async () => {
    granted = true;
    await setDiagnosticsEnabled(true);
    await onPermissionsRemoved({ permissions: ['privacy'] });
    expect(await diagnosticsEnabled.getValue()).toBe(true);
  });

  it('shows the switch off when the consent disappeared while nobody listened (e.g. at startup)', async () => {
    granted = true;
    await setDiagnosticsEnabled(true);
    await recordFailure('offline');
    granted = false;
    expect((await readDiagnosticsView()).enabled).toBe(false);
    expect(await storedKeys()).toEqual([]);
    granted = true;
    await setDiagnosticsEnabled(true);
    granted = false;
    await startDiagnostics();
    expect(await storedKeys()).toEqual([]);
  });

  it('gives the consent back when switched off in Settings', async () => {
    granted = true;
    await setDiagnosticsEnabled(true);
    await setDiagnosticsEnabled(false);
    expect(fakeBrowser.permissions.remove).toHaveBeenCalledWith(CONSENT);
    expect(granted).toBe(false);
  });
});

describe('the Settings switch in Firefox', () => {
  it('opens the consent prompt inside the click, and shows the switch off when consent is refused', async () => {
    connectBackground();
    vi.mocked(fakeBrowser.permissions.request).mockImplementation(async () => false);
    const view = renderSection(<DiagnosticsSection />);
    const toggle = () => byName<HTMLInputElement>(view.root, 'switch', 'Send anonymous diagnostics');
    await vi.waitFor(() => expect(toggle().disabled).toBe(false));
    toggle().click();
    expect(fakeBrowser.permissions.request).toHaveBeenCalledWith(CONSENT);
    await vi.waitFor(() => expect(view.root.querySelector('[role="alert"]')?.textContent).toContain('Firefox did not allow'));
    expect(toggle().checked).toBe(false);
    expect(await storedKeys()).toEqual([]);
    view.unmount();
  });
});

describe('Chrome', () => {
  it('has no data-collection permission: the setting alone decides', async () => {
    env.family = 'chrome';
    expect(await requestDiagnosticsPermission()).toBe(true);
    expect((await setDiagnosticsEnabled(true)).enabled).toBe(true);
    await setDiagnosticsEnabled(false);
    expect(fakeBrowser.permissions.request).not.toHaveBeenCalled();
    expect(fakeBrowser.permissions.contains).not.toHaveBeenCalled();
    expect(fakeBrowser.permissions.remove).not.toHaveBeenCalled();
  });
});
