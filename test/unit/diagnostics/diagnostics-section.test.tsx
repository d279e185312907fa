import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing';
import { DiagnosticsSection } from '@/components/settings/diagnostics-section';
import { onDiagnosticsAlarm, readDiagnosticsView } from '@/utils/diagnostics/diagnostics-control';
import { DIAGNOSTICS_ALARM } from '@/utils/diagnostics/diagnostics-schedule';
import { recordFailure } from '@/utils/diagnostics/recorder';
import { byName, connectBackground, renderSection } from './render-settings';

vi.mock('@/utils/diagnostics/report-environment', async (importOriginal) => ({
  ...(await importOriginal<typeof import('@/utils/diagnostics/report-environment')>()),
  reportEnvironment: () => ({ extensionVersion: '0.1.0', browser: { family: 'chrome', major: 131 } }),
}));

let view: ReturnType<typeof renderSection>;

beforeEach(() => {
  fakeBrowser.reset();
  connectBackground();
  vi.stubGlobal('fetch', vi.fn(async () => new Response(null, { status: 204 })));
  view = renderSection(<DiagnosticsSection />);
});
afterEach(() => {
  view.unmount();
  vi.unstubAllGlobals();
});

const diagnosticsSwitch = () => byName<HTMLInputElement>(view.root, 'switch', 'Send anonymous diagnostics');

describe('the Diagnostics section', () => {
  it('shows the switch off by default, and turns diagnostics on from a click', async () => {
    await vi.waitFor(() => expect(diagnosticsSwitch().disabled).toBe(false));
    expect(diagnosticsSwitch().checked).toBe(false);
    diagnosticsSwitch().click();
    await vi.waitFor(async () => expect((await readDiagnosticsView()).enabled).toBe(true));
    await vi.waitFor(() => expect(diagnosticsSwitch().getAttribute('aria-busy')).toBeNull());
    expect(diagnosticsSwitch().checked).toBe(true);
  });

  it('previews byte for byte what will be sent, and lists it once sent', async () => {
    await vi.waitFor(() => expect(diagnosticsSwitch().disabled).toBe(false));
    diagnosticsSwitch().click();
    await vi.waitFor(async () => expect((await readDiagnosticsView()).enabled).toBe(true));
    await recordFailure('http5xx');
    const preview = byName(view.root, 'button', 'Preview the next report');
    expect(preview.getAttribute('aria-expanded')).toBe('false');
    preview.click();
    const [body] = (await readDiagnosticsView()).pending;
    await vi.waitFor(() => expect(view.root.querySelector('#next-report pre')?.textContent).toBe(body));
    expect(preview.getAttribute('aria-expanded')).toBe('true');

    await onDiagnosticsAlarm({ name: DIAGNOSTICS_ALARM, scheduledTime: Date.now() });
    const posted = vi.mocked(fetch).mock.calls[0]![1]!.body;
    expect(posted).toBe(body);
    await vi.waitFor(() => expect(view.root.querySelector('[aria-labelledby="sent-reports-heading"] pre')?.textContent).toBe(body));

    byName(view.root, 'button', 'Clear sent reports').click();
    await vi.waitFor(() => expect(view.root.querySelector('[aria-labelledby="sent-reports-heading"]')).toBeNull());
    expect(byName<HTMLButtonElement>(view.root, 'button', 'Clear sent reports').disabled).toBe(true);
  });
});
