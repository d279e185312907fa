/**
 * The background's message protocol: every message a page may send, declared
 * once with the shape of its payload and the type of its answer.
 */
import * as v from 'valibot';
import type { ErrorData } from './errors';

export const REQUEST_SCHEMAS = {
  ping: v.strictObject({}),
} as const satisfies Record<string, v.GenericSchema>;

/** What the background answers to each message. */
export interface ResponseMap {
  ping: { pong: true; version: string };
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
