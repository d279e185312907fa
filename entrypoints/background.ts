import { browser } from 'wxt/browser';
import { defineBackground } from 'wxt/utils/define-background';
import { onSessionAlarm, recoverInterruptedSignIn } from '@/utils/auth/lifecycle';
import { backgroundHandlers } from '@/utils/background-handlers';
import { registerChatBackground } from '@/utils/chat-engine/chat-background';
import { registerChatSurfaces } from '@/utils/chat-surfaces';
import { onDiagnosticsAlarm, onPermissionsRemoved, startDiagnostics } from '@/utils/diagnostics/diagnostics-control';
import { createMessageRouter } from '@/utils/message-router';
import { registerVaultBackground } from '@/utils/vault/vault-background';
import { openWelcomeOnInstall } from '@/utils/welcome';

export default defineBackground(() => {
  const route = createMessageRouter(backgroundHandlers, {
    id: browser.runtime.id,
    baseUrl: browser.runtime.getURL('/'),
  });
  // Recovery must finish before any request is answered, so requests wait for it.
  const ready = recoverInterruptedSignIn().catch(() => undefined);
  browser.runtime.onMessage.addListener((message, sender) => ready.then(() => route(message, sender)));
  browser.runtime.onInstalled.addListener(openWelcomeOnInstall);
  registerVaultBackground();
  registerChatBackground();
  registerChatSurfaces();
  browser.alarms.onAlarm.addListener((alarm) => void ready.then(() => onSessionAlarm(alarm)));
  browser.alarms.onAlarm.addListener((alarm) => void onDiagnosticsAlarm(alarm).catch(() => undefined));
  browser.permissions.onRemoved.addListener((removed) => void onPermissionsRemoved(removed).catch(() => undefined));
  void startDiagnostics().catch(() => undefined);
});
