/**
 * The chat's frame (scripts/chat-frame.ts, written into entrypoints/popup-chat and sidepanel-chat: the page's
 * first frame while the chat is ready) stays in step with the chat they stand for: the same boxes with the same
 * classes (so the same layout), the same names, and only the Message box live.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing';
import { ChatHome } from '@/components/chat-home';
import { authStatus } from '@/utils/storage-items';
import { createVault } from '@/utils/vault';
import { connectBackground } from '../diagnostics/render-settings';
import { deleteAllDatabases, OLD_PASSWORD, randomHash, SMALL } from '../vault/vault-test-kit';
import { closePage, frame, openFramePage, type Variant } from './chat-frame';
import { allByName, findByName, renderInto, type Rendered } from './dom';

let view: Rendered | undefined;
beforeEach(async () => {
  fakeBrowser.reset();
  await deleteAllDatabases();
});
afterEach(() => {
  view?.unmount();
  view = undefined;
  closePage();
});

const MESSAGE_BOX = 'textarea[aria-label="Message"]';

/** The frame from the page's HTML, and the real chat of a signed-in, unlocked account, side by side. */
async function frameAndChat(variant: Variant): Promise<{ skeleton: HTMLElement; chat: HTMLElement }> {
  const hash = randomHash();
  await createVault(hash, OLD_PASSWORD, { cost: SMALL });
  await authStatus.setValue({ state: 'signed-in', email: 'alice@example.com', subscriptionHash: hash, epoch: 0 });
  connectBackground();
  openFramePage(variant);
  view = renderInto(<ChatHome variant={variant} />);
  await findByName(view.root, 'textbox', 'Message');
  await findByName(view.root.querySelector('header')!, 'button', 'Lock now');
  return { skeleton: frame()!, chat: view.root.firstElementChild as HTMLElement };
}

const classes = (el: Element | null | undefined) => {
  expect(el, 'element missing').toBeTruthy();
  return [...el!.classList].sort();
};
/** An element's tag, attributes and children, whatever order the attributes were written in. */
function shape(el: Element): unknown {
  const attrs = Object.fromEntries([...el.attributes].map((a) => [a.name.toLowerCase(), a.value]));
  return { tag: el.tagName.toLowerCase(), attrs, children: [...el.children].map(shape) };
}
const buttonNames = (root: Element | null) => [...root!.querySelectorAll('button')].map((b) => b.textContent!.trim());
/** The classes of `.chat`'s children, in order (the frame's are the chat's without what appears on demand). */
const childClasses = (el: Element) => [...el.children].map((child) => [...child.classList].sort().join(' '));

describe.each(['popup', 'sidepanel'] as const)('the %s frame', (variant) => {
  it('has the chat\'s boxes, with the same classes, in the same order', async () => {
    const { skeleton, chat } = await frameAndChat(variant);
    expect(skeleton.matches('div')).toBe(true);
    expect(classes(skeleton)).toEqual(classes(chat));
    expect(classes(skeleton.querySelector(':scope > header'))).toEqual(classes(chat.querySelector(':scope > header')));
    expect(classes(skeleton.querySelector(':scope > main'))).toEqual(classes(chat.querySelector(':scope > main')));
    expect(classes(skeleton.querySelector('main > .account'))).toEqual(classes(chat.querySelector('main > .account')));
    expect(classes(skeleton.querySelector('main > .chat'))).toEqual(classes(chat.querySelector('main > .chat')));
    for (const part of ['.chat-toolbar', '.chat-log', '.chat-composer']) {
      expect(classes(skeleton.querySelector(`.chat > ${part}`)), part).toEqual(classes(chat.querySelector(`.chat > ${part}`)));
    }
    expect(childClasses(skeleton.querySelector('main')!)).toEqual(childClasses(chat.querySelector('main')!));
    const chatOrder = childClasses(chat.querySelector('.chat')!);
    const frameOrder = childClasses(skeleton.querySelector('.chat')!);
    expect(chatOrder.filter((c) => frameOrder.includes(c))).toEqual(frameOrder);
    expect(shape(skeleton.querySelector('header > svg')!)).toEqual(shape(chat.querySelector('header > svg')!));
    expect(skeleton.querySelector('header h1')!.textContent).toBe(chat.querySelector('header h1')!.textContent);
  });

  it('has the same Message box and the same names on its buttons', async () => {
    const { skeleton, chat } = await frameAndChat(variant);
    const [box, ...more] = skeleton.querySelectorAll<HTMLTextAreaElement>(MESSAGE_BOX);
    const real = chat.querySelector<HTMLTextAreaElement>(MESSAGE_BOX)!;
    expect(more).toHaveLength(0);
    for (const attr of ['aria-label', 'placeholder', 'rows']) expect(box!.getAttribute(attr), attr).toBe(real.getAttribute(attr));
    expect(buttonNames(skeleton.querySelector('header'))).toEqual(buttonNames(chat.querySelector('header')));
    expect(buttonNames(skeleton.querySelector('.chat-toolbar'))).toEqual(buttonNames(chat.querySelector('.chat-toolbar')));
    expect(buttonNames(skeleton.querySelector('.chat-composer'))).toEqual(buttonNames(chat.querySelector('.chat-composer')));
    expect(allByName(skeleton, 'button', 'Send')[0]!.className).toBe(allByName(chat, 'button', 'Send')[0]!.className);
    expect(allByName(skeleton, 'button', 'Lock now')[0]!.className).toBe(allByName(chat, 'button', 'Lock now')[0]!.className);
    const [model] = allByName<HTMLSelectElement>(skeleton, 'combobox', 'Model');
    expect(model?.className).toBe(allByName(chat, 'combobox', 'Model')[0]!.className);
    if (variant === 'sidepanel') {
      const search = allByName<HTMLInputElement>(skeleton, 'textbox', 'Search conversations')[0]!;
      const realSearch = allByName<HTMLInputElement>(chat, 'textbox', 'Search conversations')[0]!;
      for (const attr of ['type', 'placeholder', 'class']) expect(search.getAttribute(attr), attr).toBe(realSearch.getAttribute(attr));
      expect(classes(search.closest('nav'))).toEqual(classes(realSearch.closest('nav')));
    }
  });

  it('has only the Message box live: everything else is inert (or a disabled control)', async () => {
    openFramePage(variant);
    const skeleton = frame()!;
    const box = skeleton.querySelector<HTMLTextAreaElement>(MESSAGE_BOX)!;
    expect(box.closest('[inert]')).toBeNull();
    expect(box.disabled).toBe(false);
    const live = [...skeleton.querySelectorAll('*')].filter(
      (el) => el !== box && !el.contains(box) && !el.closest('[inert]') && !(el as HTMLButtonElement).disabled,
    );
    expect(live.map((el) => el.outerHTML)).toEqual([]);
    // The Send button is the one that is only disabled: the chat's own is disabled too while the box is empty.
    expect(allByName<HTMLButtonElement>(skeleton, 'button', 'Send')[0]!.disabled).toBe(true);
  });
});
