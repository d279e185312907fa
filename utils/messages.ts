/**
 * The background's message protocol: every message a page may send, declared
 * once with the shape of its payload and the type of its answer.
 */
import * as v from 'valibot';
import type { AuthStatusView } from './auth/auth-status';
import type { DiagnosticsView } from './diagnostics/diagnostics-control';
import type { ErrorData } from './errors';
import type { EraseResult } from './privacy/erase-everything';
import type { ModelInfo } from './service-api';

export const REQUEST_SCHEMAS = {
  ping: v.strictObject({}),
  'auth.status': v.strictObject({}),
  'auth.signIn': v.strictObject({}),
  /** Hands the background a provider redirect (e.g. one delivered again); the code is still exchanged once. */
  'auth.completeSignIn': v.strictObject({ redirectUrl: v.pipe(v.string(), v.maxLength(4096), v.url()) }),
  'auth.signOut': v.strictObject({}),
  'api.models': v.strictObject({}),
  /** Settings: anonymous diagnostics (utils/diagnostics). */
  'diagnostics.status': v.strictObject({}),
  'diagnostics.setEnabled': v.strictObject({ enabled: v.boolean() }),
  'diagnostics.clearSent': v.strictObject({}),
  /** Settings: revoke the session, then erase all storage and databases (utils/privacy). */
  'privacy.eraseEverything': v.strictObject({}),
} as const satisfies Record<string, v.GenericSchema>;

/** What the background answers to each message. */
export interface ResponseMap {
  ping: { pong: true; version: string };
  'auth.status': AuthStatusView;
  'auth.signIn': AuthStatusView;
  'auth.completeSignIn': AuthStatusView;
  'auth.signOut': AuthStatusView;
  'api.models': { models: ModelInfo[] };
  'diagnostics.status': DiagnosticsView;
  'diagnostics.setEnabled': DiagnosticsView;
  'diagnostics.clearSent': DiagnosticsView;
  'privacy.eraseEverything': EraseResult;
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
