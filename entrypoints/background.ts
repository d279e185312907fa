import { browser } from 'wxt/browser';
import { defineBackground } from 'wxt/utils/define-background';
import { createMessageRouter } from '@/utils/message-router';
import { backgroundHandlers } from '@/utils/background-handlers';
import { openWelcomeOnInstall } from '@/utils/welcome';

export default defineBackground(() => {
  const route = createMessageRouter(backgroundHandlers, {
    id: browser.runtime.id,
    baseUrl: browser.runtime.getURL('/'),
  });
  browser.runtime.onMessage.addListener((message, sender) => route(message, sender));
  browser.runtime.onInstalled.addListener(openWelcomeOnInstall);
});
