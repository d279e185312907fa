import { startPageBoot } from '@/utils/page-boot';
import { ChatHome } from './chat-home';
import { mount } from './mount';
import { PageShownProvider } from './page-shown';

/** Past this, the chat takes the frame's place even if it has not settled (e.g. the background never answered). */
const MAX_SKELETON_MS = 3_000;

const MESSAGE_BOX = 'textarea[aria-label="Message"]';

interface Typed {
  text: string;
  start: number;
  end: number;
  direction: 'forward' | 'backward' | 'none';
}

function fill(box: HTMLTextAreaElement, typed: Typed): void {
  box.value = typed.text;
  box.dispatchEvent(new Event('input', { bubbles: true }));
  box.setSelectionRange(typed.start, typed.end, typed.direction);
}

/**
 * Moves what was typed into the frame's box to the chat's own, with the caret and the focus, then shows the chat
 * instead of the frame. The input event tells the chat (a controlled box) about the text. When the page settled on
 * something else first (the vault was locked after all, or the chat was late), the text waits for the chat's box
 * to appear (after the unlock), so a question typed early is not lost.
 */
export function adoptSkeleton(skeleton: Element, app: HTMLElement): void {
  const from = skeleton.querySelector<HTMLTextAreaElement>(MESSAGE_BOX);
  const focused = !!from && document.activeElement === from;
  skeleton.remove();
  app.hidden = false;
  if (!from) return;
  const typed: Typed = { text: from.value, start: from.selectionStart, end: from.selectionEnd, direction: from.selectionDirection };
  const to = app.querySelector<HTMLTextAreaElement>(MESSAGE_BOX);
  if (to) {
    if (typed.text !== '' && to.value === '') fill(to, typed);
    if (focused) to.focus();
    return;
  }
  if (typed.text === '') return;
  const observer = new MutationObserver(() => {
    const box = app.querySelector<HTMLTextAreaElement>(MESSAGE_BOX);
    if (!box) return;
    observer.disconnect();
    if (box.value !== '') return;
    fill(box, typed);
    // Focus only where nothing else holds it (the unlock form moved it to its field, which is gone now).
    if (document.activeElement === null || document.activeElement === document.body) box.focus();
  });
  observer.observe(app, { childList: true, subtree: true });
}

/**
 * Starts the popup's or side panel's page. A page whose HTML holds the chat's frame (`[data-chat-skeleton]`: the
 * pages the toolbar opens while the chat is ready) keeps that frame on screen while the chat renders out of sight, and
 * swaps them in the same frame once the chat has settled; any other page renders the chat at once.
 */
export function mountChatPage(variant: 'popup' | 'sidepanel', maxSkeletonMs = MAX_SKELETON_MS): void {
  startPageBoot();
  const skeleton = document.querySelector('[data-chat-skeleton]');
  const app = document.getElementById('app');
  if (!skeleton || !app) return mount(<ChatHome variant={variant} />);
  let adopted = false;
  const adopt = () => {
    if (adopted) return;
    adopted = true;
    clearTimeout(timer);
    adoptSkeleton(skeleton, app);
  };
  const timer = setTimeout(adopt, maxSkeletonMs);
  mount(
    <PageShownProvider onShown={adopt}>
      <ChatHome variant={variant} />
    </PageShownProvider>,
  );
}
