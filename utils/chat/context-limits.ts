/**
 * How much conversation one chat request may carry, per provider: the one
 * place these limits are declared. The engine fits every request inside
 * them (utils/chat/fit-context.ts), so a long conversation never earns a 400.
 */

export interface ContextLimits {
  /** Most characters (UTF-16 code units, as JavaScript counts) in one message's content. */
  maxMessageChars: number;
  /** Most messages in one request, a system prompt included. */
  maxMessages: number;
  /** Most bytes of the JSON request body. */
  maxRequestBytes: number;
  /** The context budget: most characters of all messages together. */
  contextChars: number;
}

/**
 * The ExpressAI service's own limits (server/chat-request.ts `CHAT_LIMITS`;
 * a unit test keeps them equal). The context budget is ours: about 24,000
 * tokens, well inside the body limit for any text.
 */
export const EXPRESSAI_LIMITS: ContextLimits = {
  maxMessageChars: 32_000,
  maxMessages: 100,
  maxRequestBytes: 256 * 1024,
  contextChars: 96_000,
};

/**
 * A custom endpoint's limits are unknown. Small local models (Ollama's
 * default context is a few thousand tokens) are the common case, so the
 * budget is about 8,000 tokens; the endpoint may still refuse less.
 */
export const CUSTOM_ENDPOINT_LIMITS: ContextLimits = {
  maxMessageChars: 32_000,
  maxMessages: 100,
  maxRequestBytes: 1024 * 1024,
  contextChars: 32_000,
};

export function limitsFor(provider: 'expressai' | 'custom'): ContextLimits {
  return provider === 'expressai' ? EXPRESSAI_LIMITS : CUSTOM_ENDPOINT_LIMITS;
}
