/** The popup's and side panel's chat pages as the browser opens them: their HTML's frame, before any script. */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { render } from 'preact';
import { withChatFrame } from '@/scripts/chat-frame';

export type Variant = 'popup' | 'sidepanel';

/** The page's HTML as the build writes it: the file in the repository with the frame written in (scripts/chat-frame.ts). */
export function chatPageHtml(variant: Variant): string {
  return withChatFrame(readFileSync(resolve(import.meta.dirname, `../../../entrypoints/${variant}-chat/index.html`), 'utf8'));
}

/** Puts the page's body (its frame and the hidden `#app`) into the document, without its script. */
export function openFramePage(variant: Variant): void {
  const body = /<body>([\s\S]*)<\/body>/.exec(chatPageHtml(variant))?.[1];
  if (body === undefined) throw new Error(`no <body> in entrypoints/${variant}-chat/index.html`);
  document.body.innerHTML = body.replace(/<script\b[\s\S]*?<\/script>/g, '');
}

export const frame = () => document.querySelector<HTMLElement>('[data-chat-skeleton]');
export const app = () => document.getElementById('app')!;
export const messageBoxes = () => [...document.querySelectorAll<HTMLTextAreaElement>('textarea[aria-label="Message"]')];

/** Unmounts what a test mounted into `#app` and empties the document. */
export function closePage(): void {
  const root = document.getElementById('app');
  if (root) render(null, root);
  document.body.innerHTML = '';
}
