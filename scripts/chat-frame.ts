/**
 * The chat's frame, written into the chat-ready pages at build time (entrypoints/popup-chat, sidepanel-chat):
 * their first frame is this HTML, with a live message box, before any script has run. components/chat-page.tsx
 * swaps it for the rendered chat; test/unit/vault-ui/chat-skeleton.test.tsx keeps it in step with the chat's own
 * markup (classes, the box's label, placeholder and rows, the buttons' names). Everything but the box is `inert`:
 * it looks like the chat, and cannot be clicked or reached, until the chat takes its place.
 */
export type ChatFrameVariant = 'popup' | 'sidepanel';

const LOGO =
  '<svg viewBox="-1 -1 2 2" aria-hidden="true" focusable="false" class="logo"><rect x="-1" y="-1" width="2" height="2" rx="0.42" fill="#c8102e"></rect><ellipse cx="0" cy="-0.08" rx="0.667" ry="0.522" fill="#fff"></ellipse></svg>';

/** The frame's markup for one page. */
export function chatFrameHtml(variant: ChatFrameVariant): string {
  const popup = variant === 'popup';
  return [
    `<div class="shell${popup ? ' popup-size' : ''}" data-chat-skeleton="${variant}">`,
    `<header class="shell-header" inert>${LOGO}<h1>ExpressAI</h1><button type="button" class="lock-now">Lock now</button></header>`,
    '<main class="shell-main">',
    '<div class="account" inert><span>&nbsp;</span></div>',
    `<div class="chat chat-app chat-app--${variant}">`,
    popup ? '' : '<nav class="chat-list" inert><input type="search" aria-label="Search conversations" placeholder="Search conversations" class="chat-search"></nav>',
    '<div class="chat-toolbar" inert><select aria-label="Model" class="chat-model"></select><button type="button" disabled>New chat</button>',
    popup ? '<button type="button">Open side panel</button>' : '',
    '</div>',
    '<div class="chat-log" inert></div>',
    '<div class="chat-composer"><textarea aria-label="Message" autofocus rows="1" placeholder="Ask ExpressAI…"></textarea><button type="button" class="primary" disabled inert>Send</button></div>',
    '</div></main></div>',
  ].join('');
}

const MARKER = /<!--\s*chat-frame:(popup|sidepanel)\s*-->/;

/** A page's HTML with its `<!-- chat-frame:popup -->` (or `:sidepanel`) marker replaced by the frame. */
export function withChatFrame(html: string): string {
  return html.replace(MARKER, (_, variant: ChatFrameVariant) => chatFrameHtml(variant));
}

/** Writes the frame into the pages that ask for it, in builds and in the dev server. */
export function chatFramePlugin(): { name: string; transformIndexHtml: (html: string) => string } {
  return { name: 'expressai-chat-frame', transformIndexHtml: withChatFrame };
}
