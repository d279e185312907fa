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
    reply = (await browser.runtime.sendMessage(envelope)) as Reply<K> | undefined;
  } catch {
    throw new ExtensionError('no_receiver', 'ExpressAI\'s background is not responding. Reload the extension and try again.');
  }
  if (!reply || typeof reply !== 'object') {
    throw new ExtensionError('no_receiver', 'ExpressAI\'s background did not answer. Reload the extension and try again.');
  }
  if (!reply.ok) throw new ExtensionError(reply.error.code, reply.error.message);
  return reply.data;
}
