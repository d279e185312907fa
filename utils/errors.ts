/**
 * Error codes that cross the message boundary. A page turns a `{ ok: false }`
 * reply back into an {@link ExtensionError} with the same code, so callers can
 * branch on `code` and show `message` to the user.
 */
export type ErrorCode =
  | 'forbidden_sender'
  | 'invalid_message'
  | 'unknown_message'
  | 'internal_error'
  | 'no_receiver'
  // Sign-in and session
  | 'auth_cancelled'
  | 'auth_denied'
  | 'auth_state_mismatch'
  | 'auth_in_progress'
  | 'already_signed_in'
  | 'auth_interrupted'
  | 'auth_network'
  | 'auth_server'
  | 'auth_code_rejected'
  | 'auth_invalid_response'
  | 'not_signed_in'
  | 'session_ended'
  // Master password and encrypted history (utils/vault)
  | 'wrong_password'
  | 'unlock_throttled'
  | 'weak_password'
  | 'vault_locked'
  | 'vault_not_found'
  | 'vault_exists'
  | 'vault_unsupported'
  | 'vault_damaged'
  | 'vault_busy'
  // Chat streaming (utils/chat)
  | 'offline'
  | 'unauthorized'
  | 'rate_limited'
  | 'server_error'
  | 'request_rejected'
  | 'stream_cut'
  | 'stream_malformed'
  | 'aborted'
  // The chat engine (utils/chat-engine)
  | 'chat_busy'
  | 'nothing_to_answer'
  | 'conversation_not_found'
  | 'endpoint_invalid'
  | 'question_too_long'
  // Settings: diagnostics and privacy (utils/diagnostics, utils/privacy)
  | 'permission_denied'
  | 'setting_not_controllable'
  | 'erase_incomplete';

/** An error the user can be shown: `message` is plain language and holds no user data. */
export class ExtensionError extends Error {
  override readonly name = 'ExtensionError';
  constructor(
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message);
  }
}

/** The wire form of an error inside a reply. */
export interface ErrorData {
  code: ErrorCode;
  message: string;
}

export function toErrorData(error: unknown): ErrorData {
  if (error instanceof ExtensionError) return { code: error.code, message: error.message };
  // Anything else is a bug; its text could carry user data, so it never crosses.
  return { code: 'internal_error', message: 'Something went wrong inside the extension. Please try again.' };
}
