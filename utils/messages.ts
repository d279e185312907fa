/**
 * The background's message protocol: every message a page may send, declared
 * once with the shape of its payload and the type of its answer.
 */
import * as v from 'valibot';
import type { AuthStatusView } from './auth/auth-status';
import type { ChatMessage } from './chat/chat-state';
import type { ProviderView } from './chat-engine/provider';
import type { DiagnosticsView } from './diagnostics/diagnostics-control';
import type { ErrorCode, ErrorData } from './errors';
import type { EraseResult } from './privacy/erase-everything';
import type { ExportDocument } from './privacy/export-document';
import type { ModelInfo } from './service-api';

export const REQUEST_SCHEMAS = {
  ping: v.strictObject({}),
  'auth.status': v.strictObject({}),
  'auth.signIn': v.strictObject({}),
  /** Hands the background a provider redirect (e.g. one delivered again); the code is still exchanged once. */
  'auth.completeSignIn': v.strictObject({ redirectUrl: v.pipe(v.string(), v.maxLength(4096), v.url()) }),
  'auth.signOut': v.strictObject({}),
  'api.models': v.strictObject({}),
  /** Chat provider (utils/chat-engine/provider.ts): the ExpressAI account or a custom OpenAI-compatible endpoint. */
  'chat.provider': v.strictObject({}),
  'chat.setProvider': v.variant('kind', [
    v.strictObject({ kind: v.literal('expressai') }),
    v.strictObject({
      kind: v.literal('custom'),
      baseUrl: v.pipe(v.string(), v.maxLength(2048)),
      /** A new key, null to remove it, left out to keep the saved one. */
      apiKey: v.optional(v.nullable(v.pipe(v.string(), v.maxLength(4096)))),
    }),
  ]),
  /** Settings: anonymous diagnostics (utils/diagnostics). */
  'diagnostics.status': v.strictObject({}),
  'diagnostics.setEnabled': v.strictObject({ enabled: v.boolean() }),
  'diagnostics.clearSent': v.strictObject({}),
  /** Settings: revoke the session, then erase all storage and databases (utils/privacy). */
  'privacy.eraseEverything': v.strictObject({}),
  /** Settings → Your data: the signed-in account's conversations and settings, no secrets (needs the history unlocked). */
  'privacy.exportData': v.strictObject({}),
} as const satisfies Record<string, v.GenericSchema>;

/** What the background answers to each message. */
export interface ResponseMap {
  ping: { pong: true; version: string };
  'auth.status': AuthStatusView;
  'auth.signIn': AuthStatusView;
  'auth.completeSignIn': AuthStatusView;
  'auth.signOut': AuthStatusView;
  'api.models': { models: ModelInfo[] };
  'chat.provider': ProviderView;
  'chat.setProvider': ProviderView;
  'diagnostics.status': DiagnosticsView;
  'diagnostics.setEnabled': DiagnosticsView;
  'diagnostics.clearSent': DiagnosticsView;
  'privacy.eraseEverything': EraseResult;
  'privacy.exportData': ExportDocument;
}

export type MessageType = keyof typeof REQUEST_SCHEMAS;
export type RequestPayload<K extends MessageType> = v.InferOutput<(typeof REQUEST_SCHEMAS)[K]>;

/** The envelope every message travels in. */
export interface Envelope<K extends MessageType = MessageType> {
  type: K;
  payload: RequestPayload<K>;
}

export type Reply<K extends MessageType> = { ok: true; data: ResponseMap[K] } | { ok: false; error: ErrorData };

export const ENVELOPE_SCHEMA = v.strictObject({ type: v.string(), payload: v.unknown() });

export function isMessageType(type: string): type is MessageType {
  return Object.hasOwn(REQUEST_SCHEMAS, type);
}

// The chat port. Pages open `runtime.connect({ name: CHAT_PORT_NAME })`; the
// background (utils/chat-engine) streams answers over it, so an answer goes on
// when the popup closes and every page showing a conversation sees it live.

export const CHAT_PORT_NAME = 'chat';

/** Conversations are named by a random UUID the page picks for a new chat. */
const conversationId = v.pipe(v.string(), v.uuid());
/**
 * A bound on what the port carries, above every provider's question limit
 * (utils/chat/context-limits.ts): the engine refuses a question that is too
 * long for the chosen provider in plain words, and the page keeps its text.
 */
export const MAX_PROMPT_CHARS = 100_000;
/** The side panel asks for this many conversations at first, and this many more on "Show more". */
export const LIST_PAGE = 20;
/** Most conversation list lines one request may ask for. */
export const LIST_MAX = 1_000;
const prompt = v.pipe(v.string(), v.minLength(1), v.maxLength(MAX_PROMPT_CHARS), v.check((s) => s.trim() !== '', 'empty'));
const model = v.pipe(v.string(), v.minLength(1), v.maxLength(200));

/** Every message a page may post on the chat port. */
export const CHAT_PORT_REQUEST_SCHEMA = v.variant('type', [
  /** Show this conversation on this port (null: the one last shown anywhere, or a new one). */
  v.strictObject({ type: v.literal('open'), conversationId: v.nullable(conversationId) }),
  v.strictObject({ type: v.literal('send'), conversationId, text: prompt, model }),
  v.strictObject({ type: v.literal('stop'), conversationId }),
  /** Ask the last question again; `retry` after a failure, `regenerate` after an answer. */
  v.strictObject({ type: v.literal('regenerate'), conversationId, model }),
  v.strictObject({ type: v.literal('retry'), conversationId, model }),
  v.strictObject({ type: v.literal('edit_last'), conversationId, text: prompt, model }),
  /** The unsent text of the composer; an empty text forgets it. */
  v.strictObject({ type: v.literal('draft'), conversationId, text: v.pipe(v.string(), v.maxLength(MAX_PROMPT_CHARS)) }),
  /** The conversation list, newest first; a non-empty query searches titles and messages. At most `limit` lines (default 200). */
  v.strictObject({
    type: v.literal('list'),
    query: v.pipe(v.string(), v.maxLength(200)),
    limit: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(LIST_MAX))),
  }),
  v.strictObject({ type: v.literal('rename'), conversationId, title: v.pipe(v.string(), v.trim(), v.minLength(1), v.maxLength(200)) }),
  v.strictObject({ type: v.literal('delete'), conversationId }),
  /** Sent while an answer streams: an event keeps Firefox's event page from idling out. */
  v.strictObject({ type: v.literal('ping') }),
]);

export type ChatPortRequest = v.InferOutput<typeof CHAT_PORT_REQUEST_SCHEMA>;

/** One line of the conversation list. */
export interface ConversationSummary {
  id: string;
  title: string;
  updatedAt: number;
}

/** Every message the background posts on the chat port. */
export type ChatPortEvent =
  /** The whole conversation as it is now; `draft` only in the answer to `open`. */
  | {
      type: 'conversation';
      conversationId: string;
      title: string | null;
      messages: ChatMessage[];
      streamingId: string | null;
      draft?: string;
    }
  /** More text of the answer `id`, which is streaming. */
  | { type: 'delta'; conversationId: string; id: string; text: string }
  /** `limit` as asked; `more`: lines beyond it exist ("Show more" asks again with a larger limit). */
  | { type: 'list'; query: string; limit?: number; items: ConversationSummary[]; more: boolean }
  /** A conversation was created, renamed, deleted or answered: lists should be asked for again. */
  | { type: 'conversations_changed' }
  /** A request was refused; `request` is its type. */
  | { type: 'error'; request: string; code: ErrorCode; message: string };
