/** Rendering and finding controls the way a user or a screen reader would: by role and accessible name. */
import { render, type ComponentChild } from 'preact';
import { vi } from 'vitest';

export interface Rendered {
  root: HTMLElement;
  unmount: () => void;
}

export function renderInto(node: ComponentChild): Rendered {
  const root = document.createElement('div');
  document.body.append(root);
  render(node, root);
  return {
    root,
    unmount: () => {
      render(null, root);
      root.remove();
    },
  };
}

function nameOf(el: Element): string {
  const labelledBy = el.getAttribute('aria-labelledby');
  if (labelledBy) return labelledBy.split(' ').map((id) => document.getElementById(id)?.textContent ?? '').join(' ').trim();
  const label = el.getAttribute('aria-label');
  if (label) return label;
  if (el.id) {
    const forLabel = document.querySelector(`label[for="${el.id}"]`);
    if (forLabel) return forLabel.textContent!.trim();
  }
  return (el.textContent ?? '').trim();
}

const SELECTORS = {
  button: 'button',
  textbox: 'input:not([type="checkbox"]), textarea',
  switch: '[role="switch"]',
  combobox: 'select',
  dialog: 'dialog',
  heading: 'h1, h2, h3',
  meter: '[role="meter"]',
} as const;

export type Role = keyof typeof SELECTORS;

/** Every element of `role` named `name` under `root`. */
export function allByName<T extends HTMLElement = HTMLElement>(root: ParentNode, role: Role, name: string): T[] {
  return [...root.querySelectorAll<T>(SELECTORS[role])].filter((el) => nameOf(el) === name);
}

export function queryByName<T extends HTMLElement = HTMLElement>(root: ParentNode, role: Role, name: string): T | undefined {
  return allByName<T>(root, role, name)[0];
}

export function byName<T extends HTMLElement = HTMLElement>(root: ParentNode, role: Role, name: string): T {
  const found = queryByName<T>(root, role, name);
  if (!found) throw new Error(`no ${role} named "${name}" in: ${(root as Element).textContent ?? ''}`);
  return found;
}

/** Waits until a control with that role and name is on screen. */
export function findByName<T extends HTMLElement = HTMLElement>(root: ParentNode, role: Role, name: string): Promise<T> {
  return vi.waitFor(() => byName<T>(root, role, name), { timeout: 5000 });
}

/** Types into a text field as a user would (Preact listens to `input`). */
export function type(input: HTMLInputElement, text: string): void {
  input.value = text;
  input.dispatchEvent(new Event('input', { bubbles: true }));
}

export function choose(select: HTMLSelectElement, value: string): void {
  select.value = value;
  select.dispatchEvent(new Event('change', { bubbles: true }));
}

/** The texts of the live regions (alerts and status lines) under `root`. */
export function announcements(root: ParentNode): string[] {
  return [...root.querySelectorAll('[role="alert"], [role="status"]')].map((el) => (el.textContent ?? '').trim()).filter(Boolean);
}
