/** The background's answer to each message in the protocol. */
import { browser } from 'wxt/browser';
import { readStatus, toView } from './auth/auth-status';
import { completeSignIn, signIn } from './auth/sign-in';
import { signOut } from './auth/sign-out';
import { clearSentReports, readDiagnosticsView, setDiagnosticsEnabled } from './diagnostics/diagnostics-control';
import type { Handlers } from './message-router';
import { eraseEverything } from './privacy/erase-everything';
import { exportMyData } from './privacy/export-data';
import { signedInHash } from './chat-engine/chat-background';
import { listProviderModels, readProvider, saveProvider } from './chat-engine/provider';

export const backgroundHandlers: Handlers = {
  ping: () => ({ pong: true, version: browser.runtime.getManifest().version }),
  'auth.status': async () => toView(await readStatus()),
  'auth.signIn': () => signIn(),
  'auth.completeSignIn': ({ redirectUrl }) => completeSignIn(redirectUrl),
  'auth.signOut': () => signOut(),
  'api.models': async () => ({ models: await listProviderModels(await signedInHash().catch(() => undefined)) }),
  'chat.provider': async () => readProvider(await signedInHash()),
  'chat.setProvider': async (choice) => saveProvider(await signedInHash(), choice),
  'diagnostics.status': () => readDiagnosticsView(),
  'diagnostics.setEnabled': ({ enabled }) => setDiagnosticsEnabled(enabled),
  'diagnostics.clearSent': () => clearSentReports(),
  'privacy.eraseEverything': () => eraseEverything(),
  'privacy.exportData': () => exportMyData(),
};
