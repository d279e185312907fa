import { render } from 'preact';
import { act } from 'preact/test-utils';
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { ChatError } from '@/components/chat/chat-error';
import { ChatToolbar } from '@/components/chat/chat-toolbar';
import { ChatView } from '@/components/chat/chat-view';
import { Composer } from '@/components/chat/composer';
import { loadMarkdownRenderer, MarkdownMessage } from '@/components/chat/markdown-message';
import { describeChatError, type ChatErrorCode } from '@/utils/chat/chat-errors';
import type { ChatMessage } from '@/utils/chat/chat-state';
import { allByRole, byRole } from './a11y-queries';

const sync = (run: () => void) => (run(), () => {});
let root: HTMLElement;

// Pages load the renderer on demand; once loaded it renders at once (markdown-lazy.test.tsx covers the wait).
beforeAll(() => loadMarkdownRenderer());
beforeEach(() => {
  root = document.createElement('div');
  document.body.append(root);
});
afterEach(() => {
  act(() => render(null, root));
  root.remove();
  vi.useRealTimers();
});

function show(ui: preact.ComponentChild) {
  act(() => render(ui, root));
}

function type(textbox: HTMLElement, value: string) {
  act(() => {
    (textbox as HTMLTextAreaElement).value = value;
    textbox.dispatchEvent(new Event('input', { bubbles: true }));
  });
}

function press(target: HTMLElement, key: string, extra: KeyboardEventInit = {}): KeyboardEvent {
  const event = new KeyboardEvent('keydown', { key, bubbles: true, cancelable: true, ...extra });
  act(() => {
    target.dispatchEvent(event);
  });
  return event;
}

function click(element: HTMLElement) {
  act(() => element.click());
}

describe('Composer', () => {
  it('sends with Enter and clears the box', () => {
    const onSend = vi.fn();
    show(<Composer onSend={onSend} onStop={vi.fn()} streaming={false} />);
    const box = byRole(root, 'textbox', 'Message');
    type(box, '  Hello there ');
    const enter = press(box, 'Enter');
    expect(enter.defaultPrevented).toBe(true);
    expect(onSend).toHaveBeenCalledExactlyOnceWith('Hello there');
    expect((box as HTMLTextAreaElement).value).toBe('');
  });

  it('adds a line with Shift+Enter instead of sending', () => {
    const onSend = vi.fn();
    show(<Composer onSend={onSend} onStop={vi.fn()} streaming={false} />);
    const box = byRole(root, 'textbox', 'Message');
    type(box, 'line one');
    const shiftEnter = press(box, 'Enter', { shiftKey: true });
    expect(shiftEnter.defaultPrevented).toBe(false);
    expect(onSend).not.toHaveBeenCalled();
  });

  it('does not send while an input method is composing', () => {
    const onSend = vi.fn();
    show(<Composer onSend={onSend} onStop={vi.fn()} streaming={false} />);
    const box = byRole(root, 'textbox', 'Message');
    type(box, 'にほん');
    press(box, 'Enter', { isComposing: true });
    expect(onSend).not.toHaveBeenCalled();
  });

  it('has a Send button that is enabled only when there is something to send', () => {
    const onSend = vi.fn();
    show(<Composer onSend={onSend} onStop={vi.fn()} streaming={false} />);
    const send = byRole(root, 'button', 'Send') as HTMLButtonElement;
    expect(send.disabled).toBe(true);
    type(byRole(root, 'textbox', 'Message'), 'Hi');
    expect(send.disabled).toBe(false);
    click(send);
    expect(onSend).toHaveBeenCalledWith('Hi');
  });

  it('offers Stop while streaming; Escape and the button both stop, Enter does not send', () => {
    const onStop = vi.fn();
    const onSend = vi.fn();
    show(<Composer onSend={onSend} onStop={onStop} streaming />);
    expect(allByRole(root, 'button', 'Send')).toHaveLength(0);
    const box = byRole(root, 'textbox', 'Message');
    type(box, 'next question');
    press(box, 'Enter');
    expect(onSend).not.toHaveBeenCalled();
    expect(press(box, 'Escape').defaultPrevented).toBe(true);
    click(byRole(root, 'button', 'Stop'));
    expect(onStop).toHaveBeenCalledTimes(2);
  });

  it('ignores Escape when nothing is streaming', () => {
    const onStop = vi.fn();
    show(<Composer onSend={vi.fn()} onStop={onStop} streaming={false} />);
    press(byRole(root, 'textbox', 'Message'), 'Escape');
    expect(onStop).not.toHaveBeenCalled();
  });
});

describe('ChatToolbar', () => {
  it('has a Model combobox and a New chat button', () => {
    const onModelChange = vi.fn();
    const onNewChat = vi.fn();
    show(<ChatToolbar models={[{ id: 'small' }, { id: 'large', label: 'Large model' }]} model="small" onModelChange={onModelChange} onNewChat={onNewChat} />);
    const model = byRole(root, 'combobox', 'Model') as HTMLSelectElement;
    expect([...model.options].map((o) => o.textContent)).toEqual(['small', 'Large model']);
    act(() => {
      model.value = 'large';
      model.dispatchEvent(new Event('change', { bubbles: true }));
    });
    expect(onModelChange).toHaveBeenCalledWith('large');
    click(byRole(root, 'button', 'New chat'));
    expect(onNewChat).toHaveBeenCalled();
  });
});

const user = (id: string, text: string): ChatMessage => ({ id, role: 'user', text, status: 'complete' });
const answer = (id: string, text: string, extra: Partial<ChatMessage> = {}): ChatMessage => ({ id, role: 'assistant', text, status: 'complete', ...extra });

describe('ChatView', () => {
  it('is a log named Conversation with articles for each turn', () => {
    show(<ChatView messages={[user('u1', 'What is 2+2?'), answer('a1', '**Four**')]} schedule={sync} />);
    const log = byRole(root, 'log', 'Conversation');
    const turns = allByRole(log, 'article');
    expect(turns.map((t) => t.getAttribute('aria-label'))).toEqual(['You said', 'ExpressAI answered']);
    expect(turns[0]!.textContent).toContain('What is 2+2?');
    expect(turns[1]!.querySelector('strong')?.textContent).toBe('Four');
  });

  it('shows the user’s text as text, never as markup', () => {
    show(<ChatView messages={[user('u1', '<img src=x onerror=alert(1)> **not bold**')]} />);
    expect(root.querySelector('img, strong')).toBeNull();
    expect(byRole(root, 'article', 'You said').textContent).toContain('<img src=x onerror=alert(1)> **not bold**');
  });

  it('offers Copy answer and Regenerate on the last answer only', () => {
    const onCopy = vi.fn();
    const onRegenerate = vi.fn();
    show(<ChatView messages={[user('u1', 'q1'), answer('a1', 'first'), user('u2', 'q2'), answer('a2', 'second')]} onCopy={onCopy} onRegenerate={onRegenerate} schedule={sync} />);
    expect(allByRole(root, 'button', 'Regenerate')).toHaveLength(1);
    click(byRole(root, 'button', 'Regenerate'));
    expect(onRegenerate).toHaveBeenCalledTimes(1);
    click(allByRole(root, 'button', 'Copy answer')[1]!);
    expect(onCopy).toHaveBeenCalledWith('second');
  });

  it('shows a streaming answer as it grows, with no actions until it ends', () => {
    const messages = (text: string): ChatMessage[] => [user('u1', 'q'), answer('a1', text, { status: 'streaming' })];
    show(<ChatView messages={messages('')} onRegenerate={vi.fn()} schedule={sync} />);
    const turn = byRole(root, 'article', 'ExpressAI answered');
    expect(turn.getAttribute('aria-busy')).toBe('true');
    expect(turn.textContent).toContain('ExpressAI is writing…');
    show(<ChatView messages={messages('Part one')} onRegenerate={vi.fn()} schedule={sync} />);
    expect(turn.textContent).toContain('Part one');
    expect(allByRole(root, 'button', 'Regenerate')).toHaveLength(0);
    expect(allByRole(root, 'button', 'Copy answer')).toHaveLength(0);
  });

  it('keeps an interrupted answer, marks it and offers Retry', () => {
    const onRetry = vi.fn();
    show(<ChatView messages={[user('u1', 'q'), answer('a1', 'Half an answer', { status: 'interrupted', error: { code: 'stream_cut' } })]} onRetry={onRetry} schedule={sync} />);
    const turn = byRole(root, 'article', 'ExpressAI answered');
    expect(turn.textContent).toContain('Half an answer');
    expect(turn.textContent).toContain('Interrupted');
    expect(byRole(turn, 'alert').textContent).toContain(describeChatError('stream_cut').text);
    click(byRole(turn, 'button', 'Retry'));
    expect(onRetry).toHaveBeenCalled();
  });

  it('offers Sign in again when the session ended', () => {
    const onSignIn = vi.fn();
    show(<ChatView messages={[user('u1', 'q'), answer('a1', '', { status: 'failed', error: { code: 'unauthorized' } })]} onSignIn={onSignIn} onRetry={vi.fn()} />);
    click(byRole(root, 'button', 'Sign in again'));
    expect(onSignIn).toHaveBeenCalled();
    expect(allByRole(root, 'button', 'Retry')).toHaveLength(0);
  });

  it('shows Stopped for a stopped answer and still lets it be regenerated', () => {
    show(<ChatView messages={[user('u1', 'q'), answer('a1', 'Some', { status: 'stopped' })]} onRegenerate={vi.fn()} schedule={sync} />);
    expect(root.textContent).toContain('Stopped.');
    expect(allByRole(root, 'button', 'Regenerate')).toHaveLength(1);
  });

  it('shows the empty state when there are no messages', () => {
    show(<ChatView messages={[]} empty={<p>Ask anything</p>} />);
    expect(byRole(root, 'log', 'Conversation').textContent).toBe('Ask anything');
  });
});

describe('ChatError', () => {
  const codes: ChatErrorCode[] = ['offline', 'unauthorized', 'session_ended', 'rate_limited', 'server_error', 'request_rejected', 'stream_cut', 'stream_malformed', 'aborted'];

  it.each(codes)('says what happened in plain words for %s', (code) => {
    show(<ChatError error={{ code }} onRetry={vi.fn()} onSignIn={vi.fn()} />);
    const alert = byRole(root, 'alert');
    expect(alert.textContent!.length).toBeGreaterThan(15);
    expect(alert.textContent).not.toMatch(/undefined|null|\b\d{3}\b/);
  });

  it('counts down Retry-After before offering Retry', () => {
    vi.useFakeTimers();
    const onRetry = vi.fn();
    show(<ChatError error={{ code: 'rate_limited', retryAfterSeconds: 3 }} onRetry={onRetry} />);
    const retry = byRole(root, 'button', 'Retry') as HTMLButtonElement;
    expect(root.textContent).toContain('Try again in 3 seconds.');
    expect(retry.disabled).toBe(true);
    act(() => void vi.advanceTimersByTime(2100));
    expect(root.textContent).toContain('Try again in 1 second.');
    act(() => void vi.advanceTimersByTime(1000));
    expect(root.textContent).toContain('You can try again now.');
    expect(retry.disabled).toBe(false);
    click(retry);
    expect(onRetry).toHaveBeenCalled();
  });

  it('shows the service’s explanation of a rejected request', () => {
    show(<ChatError error={{ code: 'request_rejected', detail: 'The conversation is too long.' }} onRetry={vi.fn()} />);
    expect(root.textContent).toContain('The conversation is too long.');
  });
});

describe('MarkdownMessage', () => {
  it('gives each code block a Copy button that copies the code', () => {
    const onCopyCode = vi.fn();
    show(<MarkdownMessage text={'Run:\n\n```bash\necho "hi" <file>\n```\n\n    indented'} streaming={false} onCopyCode={onCopyCode} />);
    const buttons = allByRole(root, 'button', 'Copy');
    expect(buttons).toHaveLength(2);
    click(buttons[0]!);
    expect(onCopyCode).toHaveBeenCalledWith('echo "hi" <file>\n');
    expect(byRole(root, 'status').textContent).toBe('Code copied');
  });

  it('keeps its rendered content when its parent re-renders', () => {
    const ui = (streaming: boolean) => (
      <div>
        <MarkdownMessage text={'Hello\n\nworld'} streaming={streaming} schedule={sync} />
      </div>
    );
    show(ui(true));
    const first = root.querySelector('.md p');
    show(ui(true));
    expect(root.querySelector('.md p')).toBe(first);
    show(ui(false));
    expect(root.querySelector('.md')!.innerHTML).toBe('<p>Hello</p>\n<p>world</p>\n');
  });
});
