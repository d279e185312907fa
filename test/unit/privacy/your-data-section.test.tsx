import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex } from '@noble/hashes/utils.js';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing';
import { YourDataSection } from '@/components/settings/your-data-section';
import type { ExportDocument } from '@/utils/privacy/export-document';
import { authStatus } from '@/utils/storage-items';
import { createVault, lock, openHistory } from '@/utils/vault';
import { byName, connectBackground, renderSection } from '../diagnostics/render-settings';
import { deleteAllDatabases, SMALL } from '../vault/vault-test-kit';
import { installFakePrivacy } from './fake-privacy';

const PASSWORD = 'correct horse battery';
let view: ReturnType<typeof renderSection>;

/** What the page handed to `<a download>`: the file name and the blob's text. */
function captureDownloads() {
  const files: { name: string; text: Promise<string> }[] = [];
  const blobs = new Map<string, Blob>();
  vi.spyOn(URL, 'createObjectURL').mockImplementation((blob) => {
    const url = `blob:test/${blobs.size}`;
    blobs.set(url, blob as Blob);
    return url;
  });
  vi.spyOn(URL, 'revokeObjectURL').mockImplementation(() => {});
  vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
    files.push({ name: this.download, text: blobs.get(this.href)!.text() });
  });
  return files;
}

beforeEach(async () => {
  fakeBrowser.reset();
  await deleteAllDatabases();
  connectBackground();
  installFakePrivacy();
});
afterEach(() => view?.unmount());


describe('the Your data section', () => {
  it('exports the conversations as a JSON download, unlocking the history first when it is locked', async () => {
    const hash = bytesToHex(sha256(new TextEncoder().encode('krn:expressai:subscription:ui')));
    await authStatus.setValue({ state: 'signed-in', email: 'alice@example.com', subscriptionHash: hash, epoch: 1 });
    await createVault(hash, PASSWORD, { cost: SMALL });
    await openHistory(hash).saveConversation({ id: 'c1', title: 'Garden ideas', createdAt: 1, updatedAt: 1 });
    await lock(hash);
    const files = captureDownloads();

    view = renderSection(<YourDataSection />);
    const exportButton = () => byName<HTMLButtonElement>(view.root, 'button', 'Export my data');
    await vi.waitFor(() => expect(exportButton().disabled).toBe(false));
    exportButton().click();
    await vi.waitFor(() => expect(view.root.textContent).toContain('Your history is locked. Enter your master password to export it.'));
    expect(files).toEqual([]);

    const input = view.root.querySelector<HTMLInputElement>('#unlock-password')!;
    input.value = PASSWORD;
    input.dispatchEvent(new Event('input', { bubbles: true }));
    byName(view.root, 'button', 'Unlock').click();
    await vi.waitFor(() => expect(files).toHaveLength(1), { timeout: 10_000 });
    expect(files[0]!.name).toMatch(/^expressai-export-\d{4}-\d{2}-\d{2}\.json$/);
    const doc = JSON.parse(await files[0]!.text) as ExportDocument;
    expect(doc.conversations.map((c) => c.title)).toEqual(['Garden ideas']);
    await vi.waitFor(() => expect(view.root.textContent).toContain(`Your data was saved as ${files[0]!.name}.`));
  });

  it('cannot export while signed out', async () => {
    view = renderSection(<YourDataSection />);
    await vi.waitFor(() => expect(view.root.textContent).toContain('Sign in to export your data.'));
    expect(byName<HTMLButtonElement>(view.root, 'button', 'Export my data').disabled).toBe(true);
  });

  it('erases everything only after the confirmation, which can be cancelled', async () => {
    await fakeBrowser.storage.local.set({ diagnostics_enabled: true });
    view = renderSection(<YourDataSection />);
    const dialog = byName<HTMLDialogElement>(view.root, 'dialog', 'Erase everything?');
    byName(view.root, 'button', 'Erase everything').click();
    expect(dialog.open).toBe(true);
    byName(dialog, 'button', 'Cancel').click();
    expect(dialog.open).toBe(false);
    expect(await fakeBrowser.storage.local.get(null)).toEqual({ diagnostics_enabled: true });

    byName(view.root, 'button', 'Erase everything').click();
    byName(dialog, 'button', 'Erase').click();
    await vi.waitFor(() => expect(view.root.textContent).toContain('Everything was erased. ExpressAI is as it was when first installed.'));
    expect(await fakeBrowser.storage.local.get(null)).toEqual({});
  });
});
