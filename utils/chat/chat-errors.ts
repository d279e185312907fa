/**
 * The ways a chat answer can fail, each with the plain words the UI shows and
 * the one action that helps.
 */
import { ExtensionError, type ErrorCode } from '../errors';

export type ChatErrorCode = Extract<
  ErrorCode,
  | 'offline'
  | 'unauthorized'
  | 'session_ended'
  | 'rate_limited'
  | 'server_error'
  | 'request_rejected'
  | 'stream_cut'
  | 'stream_malformed'
  | 'aborted'
>;

/** What the user can do about an error: try again, wait then try again, or sign in again. */
export type ChatErrorAction = 'retry' | 'wait' | 'sign_in' | 'none';

/** The plain-data form of a failed turn, kept in chat state and shown by `ChatError`. */
export interface ChatErrorInfo {
  code: ChatErrorCode;
  /** Seconds the service asked us to wait (`Retry-After`), for `rate_limited`. */
  retryAfterSeconds?: number;
  /** The service's own explanation of a rejected request, already shortened. */
  detail?: string;
}

const WORDS: Record<ChatErrorCode, { text: string; action: ChatErrorAction }> = {
  offline: { text: 'ExpressAI can’t be reached. Check your connection, then try again.', action: 'retry' },
  unauthorized: { text: 'Your session has ended. Sign in again to keep chatting.', action: 'sign_in' },
  session_ended: { text: 'Your session has ended. Sign in again to keep chatting.', action: 'sign_in' },
  rate_limited: { text: 'ExpressAI is getting too many requests right now.', action: 'wait' },
  server_error: { text: 'ExpressAI had a problem answering. Try again in a moment.', action: 'retry' },
  request_rejected: { text: 'ExpressAI couldn’t accept this request.', action: 'retry' },
  stream_cut: { text: 'The connection dropped before the answer was finished.', action: 'retry' },
  stream_malformed: { text: 'The answer arrived garbled, so ExpressAI stopped reading it.', action: 'retry' },
  aborted: { text: 'You stopped this answer.', action: 'none' },
};

/** The sentence shown for an error code and the action that helps. */
export function describeChatError(code: ChatErrorCode): { text: string; action: ChatErrorAction } {
  return WORDS[code];
}

export function isChatErrorCode(code: string): code is ChatErrorCode {
  return Object.hasOwn(WORDS, code);
}

/** A failed chat request or stream. `partialText` is what arrived before it failed. */
export class ChatStreamError extends ExtensionError {
  readonly retryAfterSeconds: number | undefined;
  readonly detail: string | undefined;
  readonly status: number | undefined;
  partialText = '';

  constructor(code: ChatErrorCode, options: { retryAfterSeconds?: number; detail?: string; status?: number } = {}) {
    super(code, WORDS[code].text);
    this.retryAfterSeconds = options.retryAfterSeconds;
    this.detail = options.detail;
    this.status = options.status;
  }
}

/** Any thrown value as chat-state error data; unknown failures read as a server problem. */
export function toChatErrorInfo(error: unknown): ChatErrorInfo {
  if (error instanceof ChatStreamError) {
    const info: ChatErrorInfo = { code: error.code as ChatErrorCode };
    if (error.retryAfterSeconds !== undefined) info.retryAfterSeconds = error.retryAfterSeconds;
    if (error.detail) info.detail = error.detail;
    return info;
  }
  if (error instanceof ExtensionError) {
    if (isChatErrorCode(error.code)) return { code: error.code };
    // The background's session and network failures, in the chat's words.
    if (error.code === 'not_signed_in') return { code: 'session_ended' };
    if (error.code === 'auth_network' || error.code === 'no_receiver') return { code: 'offline' };
  }
  return { code: 'server_error' };
}
