/**
 * The background's side of the protocol: checks who is asking and what they
 * sent before any handler runs, and turns every failure into a coded reply.
 */
import * as v from 'valibot';
import type { Browser } from 'wxt/browser';
import { ExtensionError, toErrorData } from './errors';
import { ENVELOPE_SCHEMA, REQUEST_SCHEMAS, isMessageType, type MessageType, type Reply, type RequestPayload, type ResponseMap } from './messages';

export type Handlers = {
  [K in MessageType]: (payload: RequestPayload<K>, sender: Browser.runtime.MessageSender) => Promise<ResponseMap[K]> | ResponseMap[K];
};

export interface SelfIdentity {
  /** `browser.runtime.id` */
  id: string;
  /** `browser.runtime.getURL('/')`: the origin our own pages live under. */
  baseUrl: string;
}

/**
 * Only our own extension pages may talk to the background. Content scripts and
 * web pages (which carry a `tab` and a web URL) and other extensions are refused.
 */
export function isOwnExtensionPage(sender: Browser.runtime.MessageSender, self: SelfIdentity): boolean {
  if (sender.id !== self.id) return false;
  const url = sender.url ?? '';
  return url.startsWith(self.baseUrl);
}

/** Builds the `runtime.onMessage` handler. It always answers with a {@link Reply}; it never throws. */
export function createMessageRouter(handlers: Handlers, self: SelfIdentity) {
  return async (message: unknown, sender: Browser.runtime.MessageSender): Promise<Reply<MessageType>> => {
    try {
      if (!isOwnExtensionPage(sender, self)) {
        throw new ExtensionError('forbidden_sender', 'Only ExpressAI\'s own pages can talk to it.');
      }
      const envelope = v.safeParse(ENVELOPE_SCHEMA, message);
      if (!envelope.success) throw new ExtensionError('invalid_message', 'The request was not in the expected form.');
      const { type, payload } = envelope.output;
      if (!isMessageType(type)) throw new ExtensionError('unknown_message', 'The request is not one ExpressAI knows.');
      const parsed = v.safeParse(REQUEST_SCHEMAS[type], payload);
      if (!parsed.success) {
        const where = parsed.issues[0]?.path?.map((p) => String(p.key)).join('.') || 'payload';
        throw new ExtensionError('invalid_message', `The "${type}" request is malformed (${where}).`);
      }
      const handler = handlers[type] as (p: unknown, s: Browser.runtime.MessageSender) => unknown;
      return { ok: true, data: (await handler(parsed.output, sender)) as ResponseMap[typeof type] };
    } catch (error) {
      return { ok: false, error: toErrorData(error) };
    }
  };
}
