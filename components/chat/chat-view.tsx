import type { ComponentChildren } from 'preact';
import { useEffect, useRef } from 'preact/hooks';
import type { ChatMessage } from '@/utils/chat/chat-state';
import { MessageBubble, type MessageActions } from './message-bubble';
import './chat.css';

interface ChatViewProps extends MessageActions {
  messages: readonly ChatMessage[];
  /** Shown inside the log while there are no messages. */
  empty?: ComponentChildren;
}

/** Closer than this to the bottom counts as "reading the latest": new text keeps it in view. */
const PIN_DISTANCE_PX = 48;

/** The conversation: a log of turns that follows a streaming answer unless the user scrolled up to read. */
export function ChatView({ messages, empty, ...actions }: ChatViewProps) {
  const log = useRef<HTMLDivElement>(null);
  const content = useRef<HTMLDivElement>(null);
  const pinned = useRef(true);

  useEffect(() => {
    const scroller = log.current!;
    const onScroll = () => {
      pinned.current = scroller.scrollHeight - scroller.scrollTop - scroller.clientHeight < PIN_DISTANCE_PX;
    };
    scroller.addEventListener('scroll', onScroll, { passive: true });
    // The answer grows outside Preact's renders (the markdown renderer writes the DOM), so watch its size.
    const observer = typeof ResizeObserver === 'function' ? new ResizeObserver(() => follow()) : null;
    observer?.observe(content.current!);
    return () => {
      scroller.removeEventListener('scroll', onScroll);
      observer?.disconnect();
    };
  }, []);
  const follow = () => {
    const scroller = log.current;
    if (scroller && pinned.current) scroller.scrollTop = scroller.scrollHeight;
  };
  // Growth is the ResizeObserver's (it runs after layout, so reading the height is free). Reading it here, on
  // every delta, would force a layout per frame of a streaming answer: only a new turn or conversation needs it.
  useEffect(follow, [messages.length, messages[0]?.id]);

  const busy = messages.at(-1)?.status === 'streaming';
  const lastUser = busy ? -1 : messages.findLastIndex((m) => m.role === 'user');
  const isLast = (message: ChatMessage, i: number) => (message.role === 'user' ? i === lastUser : i === messages.length - 1);
  return (
    <div ref={log} class="chat-log" role="log" aria-label="Conversation" tabIndex={0}>
      <div ref={content} class="chat-log-content">
        {messages.length === 0
          ? empty
          : messages.map((message, i) => (
              <MessageBubble
                key={message.id}
                message={message}
                last={isLast(message, i)}
                {...actions}
              />
            ))}
      </div>
    </div>
  );
}
