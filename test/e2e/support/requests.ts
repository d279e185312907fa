/** Typed requests to the background, as our pages send them, for tests that want the raw reply. */
import type { Page } from 'puppeteer';
import type { Envelope, MessageType, Reply, RequestPayload } from '../../../utils/messages';
import type { ExtensionSession } from './session';

/** Sends `{ type, payload }` from an extension page (default: the harness tab) and returns the background's {@link Reply}. */
export async function sendRequest<K extends MessageType>(session: ExtensionSession, type: K, payload: RequestPayload<K>, from?: Page): Promise<Reply<K>> {
  const envelope: Envelope<K> = { type, payload };
  return (await session.sendMessage(envelope, from)) as Reply<K>;
}
