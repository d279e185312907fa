/** The chat's part of the background: the engine with its real dependencies, the chat port and the side-panel shortcut. */
import { browser } from 'wxt/browser';
import { readStatus } from '../auth/auth-status';
import { limitsFor } from '../chat/context-limits';
import { streamChatCompletion } from '../chat/sse-stream';
import { failureKindOf, recordFailure, recordFirstToken, recordTransfer } from '../diagnostics/recorder';
import { ExtensionError } from '../errors';
import { chatCurrentFor } from '../storage-items';
import { watchVaultStatus } from '../vault';
import { ChatEngine, type ChatEngineDeps } from './chat-engine';
import { createChatPortListener } from './chat-ports';
import { openChatStore, type ChatStore } from './chat-store';
import { loadDraft, saveDraft } from './drafts';
import { createKeepAlive, KEEP_ALIVE_ALARM } from './keep-alive';
import { providerTarget, readProvider } from './provider';
import { onOpenSidePanelCommand } from './side-panel-command';

/** Partial answers are saved at most this often. */
export const SAVE_INTERVAL_MS = 1000;

/** The signed-in subscription's hash; throws `session_ended` or `not_signed_in`. */
export async function signedInHash(): Promise<string> {
  const status = await readStatus();
  if (status.state === 'signed-in' && status.subscriptionHash) return status.subscriptionHash;
  if (status.state === 'ended') throw new ExtensionError('session_ended', 'Your session has ended — sign in again.');
  throw new ExtensionError('not_signed_in', 'You are not signed in.');
}

export function defaultEngineDeps(): ChatEngineDeps {
  const stores = new Map<string, ChatStore>();
  const keepAlive = createKeepAlive();
  return {
    account: signedInHash,
    store: (hash) => {
      let store = stores.get(hash);
      if (!store) stores.set(hash, (store = openChatStore(hash)));
      return store;
    },
    limits: async (hash) => limitsFor((await readProvider(hash)).kind),
    async *stream(body, signal, hash) {
      const target = await providerTarget(hash);
      yield* streamChatCompletion({ url: target.url('chat/completions'), body: { ...body }, signal, fetch: target.fetch });
    },
    holdAlive: () => keepAlive.hold(),
    now: () => Date.now(),
    newId: () => crypto.randomUUID(),
    saveIntervalMs: SAVE_INTERVAL_MS,
    drafts: { save: saveDraft, load: loadDraft },
    current: {
      get: (hash) => chatCurrentFor(hash).getValue(),
      set: (hash, id) => (id === null ? chatCurrentFor(hash).removeValue() : chatCurrentFor(hash).setValue(id)),
    },
    watchLock: (hash, onLocked) => watchVaultStatus(hash, (status) => status !== 'unlocked' && onLocked()),
    diagnostics: {
      failure: (error) => {
        const kind = failureKindOf(error);
        if (kind) void recordFailure(kind);
      },
      firstToken: (ms) => void recordFirstToken(ms),
      transfer: (bytes) => void recordTransfer(bytes),
    },
  };
}

/** Call synchronously at the top of the background, so the browser wakes it for these events. */
export function registerChatBackground(): void {
  const engine = new ChatEngine(defaultEngineDeps());
  browser.runtime.onConnect.addListener(createChatPortListener(engine, { id: browser.runtime.id, baseUrl: browser.runtime.getURL('/') }));
  // A keep-alive alarm left by a background that died mid-answer has nothing left to keep alive.
  void browser.alarms.clear(KEEP_ALIVE_ALARM).catch(() => undefined);
  browser.commands?.onCommand.addListener((command, tab) => onOpenSidePanelCommand(command, tab));
}
