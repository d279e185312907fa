/** Renders a Settings section into happy-dom, its messages answered by the real background handlers. */
import { render, type ComponentChild } from 'preact';
import { vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing';
import { backgroundHandlers } from '@/utils/background-handlers';
import { createMessageRouter } from '@/utils/message-router';

export function connectBackground(): void {
  const self = { id: fakeBrowser.runtime.id, baseUrl: fakeBrowser.runtime.getURL('/') };
  const route = createMessageRouter(backgroundHandlers, self);
  const sender = { id: self.id, url: fakeBrowser.runtime.getURL('/options.html') };
  vi.spyOn(fakeBrowser.runtime, 'sendMessage').mockImplementation((async (message: unknown) => route(message, sender)) as never);
  // WXT's fake browser lacks these events; the sections only listen to them.
  for (const event of [fakeBrowser.permissions.onAdded, fakeBrowser.permissions.onRemoved]) {
    vi.spyOn(event, 'addListener').mockImplementation(() => {});
    vi.spyOn(event, 'removeListener').mockImplementation(() => {});
  }
}

export function renderSection(section: ComponentChild): { root: HTMLElement; unmount: () => void } {
  const root = document.createElement('div');
  document.body.append(root);
  render(section, root);
  return {
    root,
    unmount: () => {
      render(null, root);
      root.remove();
    },
  };
}

/** The control whose accessible name (label, aria-label or text) is `name`, as a user or screen reader would find it. */
export function byName<T extends HTMLElement = HTMLElement>(root: ParentNode, role: 'button' | 'switch' | 'dialog', name: string): T {
  const candidates = [...root.querySelectorAll<HTMLElement>(role === 'button' ? 'button' : role === 'switch' ? '[role="switch"]' : 'dialog')];
  const found = candidates.find((el) => accessibleName(el) === name);
  if (!found) throw new Error(`no ${role} named "${name}"`);
  return found as T;
}

function accessibleName(el: HTMLElement): string {
  const labelledBy = el.getAttribute('aria-labelledby');
  if (labelledBy) return labelledBy.split(' ').map((id) => document.getElementById(id)?.textContent ?? '').join(' ').trim();
  if (el.getAttribute('aria-label')) return el.getAttribute('aria-label')!;
  if (el.id) {
    const label = document.querySelector(`label[for="${el.id}"]`);
    if (label) return label.textContent!.trim();
  }
  return el.textContent!.trim();
}
