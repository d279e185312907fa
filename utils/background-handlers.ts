/** The background's answer to each message in the protocol. */
import { browser } from 'wxt/browser';
import type { Handlers } from './message-router';

export const backgroundHandlers: Handlers = {
  ping: () => ({ pong: true, version: browser.runtime.getManifest().version }),
};
