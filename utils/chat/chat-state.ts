/**
 * The conversation as pure data and one reducer. Stream events carry the id
 * of the answer they belong to; events for an answer that is no longer
 * streaming (stopped, failed, a new chat) are ignored, so a late chunk can
 * never land in the wrong place.
 */
import type { ChatErrorInfo } from './chat-errors';

/** `stopped`: the user pressed Stop. `interrupted`: it failed after some text arrived. `failed`: before any text. */
export type MessageStatus = 'complete' | 'streaming' | 'stopped' | 'interrupted' | 'failed';

export interface ChatMessage {
  id: string;
  role: 'user' | 'assistant';
  text: string;
  status: MessageStatus;
  error?: ChatErrorInfo;
  /** The API's `finish_reason`, e.g. `length` when the answer hit the token limit. */
  finishReason?: string | null;
  model?: string;
  /** The request for this answer left out or shortened earlier messages to fit the model's limits. */
  trimmed?: ContextTrim;
}

export interface ContextTrim {
  /** Earlier messages left out. */
  omitted: number;
  /** Earlier messages sent shortened. */
  shortened: number;
}

export interface ChatState {
  messages: readonly ChatMessage[];
  /** The answer being streamed, if any. */
  streamingId: string | null;
}

export type ChatAction =
  | { type: 'send'; userId: string; assistantId: string; text: string; model?: string }
  | { type: 'delta'; id: string; text: string }
  | { type: 'done'; id: string; finishReason?: string | null }
  | { type: 'fail'; id: string; error: ChatErrorInfo }
  | { type: 'stop'; id: string }
  /** The streaming answer's request did not carry the whole conversation. */
  | { type: 'trimmed'; id: string; trimmed: ContextTrim }
  /** Asks the last question again; the previous answer (whatever its state) is replaced. */
  | { type: 'regenerate'; assistantId: string; model?: string }
  /** Same as regenerate, for an answer that failed or was interrupted. */
  | { type: 'retry'; assistantId: string; model?: string }
  /** Replaces the last question's text, drops its answer and asks again. */
  | { type: 'edit_last'; text: string; assistantId: string; model?: string }
  | { type: 'new_chat' }
  /** Shows a saved conversation; an answer saved mid-stream reads as interrupted. */
  | { type: 'load'; messages: readonly ChatMessage[] };

export const EMPTY_CHAT: ChatState = { messages: [], streamingId: null };

export function chatReducer(state: ChatState, action: ChatAction): ChatState {
  switch (action.type) {
    case 'send': {
      const text = action.text.trim();
      if (state.streamingId || !text) return state;
      const question: ChatMessage = { id: action.userId, role: 'user', text, status: 'complete' };
      return {
        messages: [...state.messages, question, placeholder(action.assistantId, action.model)],
        streamingId: action.assistantId,
      };
    }
    case 'delta':
      if (action.id !== state.streamingId || !action.text) return state;
      return updateStreaming(state, (m) => ({ ...m, text: m.text + action.text }), false);
    case 'done':
      if (action.id !== state.streamingId) return state;
      return updateStreaming(state, (m) => ({ ...m, status: 'complete', finishReason: action.finishReason ?? null }), true);
    case 'fail':
      if (action.id !== state.streamingId) return state;
      if (action.error.code === 'aborted') return chatReducer(state, { type: 'stop', id: action.id });
      return updateStreaming(state, (m) => ({ ...m, status: m.text ? 'interrupted' : 'failed', error: action.error }), true);
    case 'stop':
      if (action.id !== state.streamingId) return state;
      return updateStreaming(state, (m) => ({ ...m, status: 'stopped' }), true);
    case 'trimmed':
      if (action.id !== state.streamingId) return state;
      return updateStreaming(state, (m) => ({ ...m, trimmed: action.trimmed }), false);
    case 'regenerate':
    case 'retry':
      return askAgain(state, action.assistantId, undefined, action.model);
    case 'edit_last': {
      const text = action.text.trim();
      return text ? askAgain(state, action.assistantId, text, action.model) : state;
    }
    case 'new_chat':
      return EMPTY_CHAT;
    case 'load':
      return {
        messages: action.messages.map((m) => (m.status === 'streaming' ? { ...m, status: m.text ? 'interrupted' : 'failed', error: { code: 'stream_cut' } } : m)),
        streamingId: null,
      };
  }
}

function placeholder(id: string, model: string | undefined): ChatMessage {
  const message: ChatMessage = { id, role: 'assistant', text: '', status: 'streaming' };
  if (model) message.model = model;
  return message;
}

function updateStreaming(state: ChatState, change: (m: ChatMessage) => ChatMessage, ends: boolean): ChatState {
  const index = state.messages.findLastIndex((m) => m.id === state.streamingId);
  if (index < 0) return { ...state, streamingId: null };
  const messages = state.messages.slice();
  messages[index] = change(messages[index]!);
  return { messages, streamingId: ends ? null : state.streamingId };
}

/** Drops everything after the last question (optionally rewording it) and starts a new answer. */
function askAgain(state: ChatState, assistantId: string, newText: string | undefined, model: string | undefined): ChatState {
  if (state.streamingId) return state;
  const last = state.messages.findLastIndex((m) => m.role === 'user');
  if (last < 0) return state;
  const question = state.messages[last]!;
  const messages = state.messages.slice(0, last);
  messages.push(newText === undefined ? question : { ...question, text: newText });
  const previous = state.messages[last + 1];
  messages.push(placeholder(assistantId, model ?? previous?.model));
  return { messages, streamingId: assistantId };
}

/** The conversation as the chat API wants it, up to (not including) the answer `beforeId`. */
export function toApiMessages(messages: readonly ChatMessage[], beforeId: string): { role: 'user' | 'assistant'; content: string }[] {
  const out: { role: 'user' | 'assistant'; content: string }[] = [];
  for (const m of messages) {
    if (m.id === beforeId) break;
    // A failed or empty answer is not part of the conversation the model should see.
    if (m.role === 'assistant' && (!m.text || m.status === 'failed')) continue;
    out.push({ role: m.role, content: m.text });
  }
  return out;
}

/** Whether the last answer can be asked for again. */
export function canRegenerate(state: ChatState): boolean {
  return state.streamingId === null && state.messages.at(-1)?.role === 'assistant';
}
