/**
 * The background's side of the chat port: only our own pages may connect
 * (the same rule as for messages), and every message is checked against the
 * protocol in utils/messages.ts before the engine sees it.
 */
import * as v from 'valibot';
import type { Browser } from 'wxt/browser';
import { isOwnExtensionPage, type SelfIdentity } from '../message-router';
import { CHAT_PORT_NAME, CHAT_PORT_REQUEST_SCHEMA, type ChatPortEvent } from '../messages';
import type { ChatEngine } from './chat-engine';

/** What the listener needs of a `runtime.Port`. */
export interface IncomingPort {
  name: string;
  sender?: Browser.runtime.MessageSender;
  postMessage(message: ChatPortEvent): void;
  disconnect(): void;
  onMessage: { addListener(listener: (message: unknown) => void): void };
  onDisconnect: { addListener(listener: () => void): void };
}

/** Builds the `runtime.onConnect` listener. Ports of other names are left for other listeners. */
export function createChatPortListener(engine: ChatEngine, self: SelfIdentity) {
  return (port: IncomingPort): void => {
    if (port.name !== CHAT_PORT_NAME) return;
    if (!port.sender || !isOwnExtensionPage(port.sender, self)) {
      port.disconnect();
      return;
    }
    engine.connect(port);
    port.onDisconnect.addListener(() => engine.disconnect(port));
    port.onMessage.addListener((message) => {
      const parsed = v.safeParse(CHAT_PORT_REQUEST_SCHEMA, message);
      if (!parsed.success) {
        const type = typeof message === 'object' && message !== null && typeof (message as { type?: unknown }).type === 'string' ? (message as { type: string }).type : 'unknown';
        engine.hub.send(port, { type: 'error', request: type.slice(0, 40), code: 'invalid_message', message: 'The request was not in the expected form.' });
        return;
      }
      void engine.handle(port, parsed.output);
    });
  };
}
