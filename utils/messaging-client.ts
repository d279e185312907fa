/** The pages' side of the protocol: typed requests, errors rethrown with their codes. */
import { browser } from 'wxt/browser';
import { ExtensionError } from './errors';
import type { Envelope, MessageType, Reply, RequestPayload, ResponseMap } from './messages';

/**
 * Sends a typed request to the background and returns its answer.
 * @throws {ExtensionError} with the background's error code when it refuses or fails.
 */
export async function request<K extends MessageType>(type: K, payload: RequestPayload<K>): Promise<ResponseMap[K]> {
  const envelope: Envelope<K> = { type, payload };
  let reply: Reply<K> | undefined;
  try {
    reply = (await sendUndelivered(envelope)) as Reply<K> | undefined;
  } catch {
    throw new ExtensionError('no_receiver', 'ExpressAI\'s background is not responding. Reload the extension and try again.');
  }
  if (!reply || typeof reply !== 'object') {
    throw new ExtensionError('no_receiver', 'ExpressAI\'s background did not answer. Reload the extension and try again.');
  }
  if (!reply.ok) throw new ExtensionError(reply.error.code, reply.error.message);
  return reply.data;
}

/** Said by both browsers when no listener exists yet: the message was not delivered, so sending it again is safe. */
const NOT_DELIVERED = /Receiving end does not exist|Could not establish connection/i;
const RETRY_DELAYS_MS = [50, 150, 400, 1000];

/** A background that is starting (or restarting) has no listener for a moment; wait for it rather than fail. */
async function sendUndelivered(message: unknown): Promise<unknown> {
  for (const delay of RETRY_DELAYS_MS) {
    try {
      return await browser.runtime.sendMessage(message);
    } catch (error) {
      if (!(error instanceof Error && NOT_DELIVERED.test(error.message))) throw error;
      await new Promise((resolve) => setTimeout(resolve, delay));
    }
  }
  return browser.runtime.sendMessage(message);
}
