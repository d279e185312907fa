/**
 * The product's own history API (utils/vault/chat-history.ts), run inside the
 * harness tab. The product ships no test hook: the test bundles the same
 * source with esbuild (vite's and WXT's bundler) and evaluates it in an
 * extension page, where it reads the same storage.session key and the same
 * IndexedDB as the popup. Until the chat UI writes history, this is how a
 * message gets into the encrypted store.
 */
import { build } from 'esbuild';
import type { Page } from 'puppeteer';
import { REPO_ROOT } from './browsers';
import type { ExtensionSession } from './session';

const GLOBAL = '__expressaiE2eHistory';
let bundle: Promise<string> | undefined;

function historyBundle(): Promise<string> {
  bundle ??= build({
    stdin: {
      contents: `import { openChatHistory } from '@/utils/vault/chat-history'; globalThis.${GLOBAL} = { openChatHistory };`,
      resolveDir: REPO_ROOT,
      loader: 'ts',
    },
    alias: { '@': REPO_ROOT },
    bundle: true,
    write: false,
    format: 'iife',
    platform: 'browser',
    target: 'es2022',
    logLevel: 'error',
  }).then((result) => result.outputFiles[0]!.text);
  return bundle;
}

async function loaded(page: Page): Promise<void> {
  const present = await page.evaluate((name) => name in globalThis, GLOBAL);
  if (!present) await page.evaluate(await historyBundle());
}

type Api = { openChatHistory(hash: string): any };

/** Saves a conversation with one user message through the real (encrypted) history. Throws `vault_locked` while locked. */
export async function writeMessage(session: ExtensionSession, subscriptionHash: string, conversationId: string, content: string): Promise<void> {
  await loaded(session.harness);
  await session.harness.evaluate(
    async (name, hash, id, text) => {
      const history = ((globalThis as any)[name] as Api).openChatHistory(hash);
      const at = Date.now();
      await history.saveConversation({ id, title: 'e2e conversation', createdAt: at, updatedAt: at });
      await history.addMessage({ conversationId: id, role: 'user', content: text, createdAt: at });
    },
    GLOBAL,
    subscriptionHash,
    conversationId,
    content,
  );
}

/** The conversation's message texts as the history decrypts them, or the error code it throws (e.g. `vault_locked`). */
export async function readMessages(session: ExtensionSession, subscriptionHash: string, conversationId: string): Promise<string[] | { error: string }> {
  await loaded(session.harness);
  return session.harness.evaluate(
    async (name, hash, id) => {
      try {
        const { items } = await ((globalThis as any)[name] as Api).openChatHistory(hash).getMessages(id);
        return (items as { content: string }[]).map((m) => m.content);
      } catch (error) {
        return { error: String((error as { code?: string }).code ?? error) };
      }
    },
    GLOBAL,
    subscriptionHash,
    conversationId,
  );
}
