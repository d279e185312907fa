/**
 * Bench-only page: the product's chat pieces (Composer, ChatView with the
 * streaming markdown renderer, the chat reducer, the per-frame delta batcher
 * and the SSE client) assembled the way a chat page uses them, streaming
 * straight from the service. Measures the page side of a streamed answer
 * while the real chat UI is not wired yet; it is not the product path.
 * The bench hands over the endpoint and a token with `__benchChat`.
 */
import { render } from 'preact';
import { useReducer, useRef } from 'preact/hooks';
import { AppShell } from '@/components/app-shell';
import { ChatView } from '@/components/chat/chat-view';
import { Composer } from '@/components/chat/composer';
import '@/components/theme.css';
import { runAnswer } from '@/utils/chat/answer-runner';
import { chatReducer, EMPTY_CHAT, toApiMessages, type ChatState } from '@/utils/chat/chat-state';
import { streamChatCompletion } from '@/utils/chat/sse-stream';
import './stream-page.css';

interface BenchChatConfig {
  url: string;
  token: string;
}

function BenchChat() {
  const [state, dispatch] = useReducer(chatReducer, EMPTY_CHAT);
  const latest = useRef<ChatState>(state);
  latest.current = state;
  const send = (text: string) => {
    const config = (globalThis as { __benchChat?: BenchChatConfig }).__benchChat;
    if (!config) throw new Error('the bench did not set __benchChat');
    const userId = crypto.randomUUID();
    const assistantId = crypto.randomUUID();
    const action = { type: 'send', userId, assistantId, text } as const;
    const next = chatReducer(latest.current, action);
    dispatch(action);
    const events = streamChatCompletion({
      url: config.url,
      token: config.token,
      body: { model: 'expressai-dev', messages: toApiMessages(next.messages, assistantId) },
    });
    void runAnswer({ id: assistantId, events, dispatch });
  };
  return (
    <AppShell title="ExpressAI">
      <ChatView messages={state.messages} />
      <Composer onSend={send} onStop={() => {}} streaming={state.streamingId !== null} />
    </AppShell>
  );
}

render(<BenchChat />, document.getElementById('app')!);
