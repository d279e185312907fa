import { defineConfig } from 'wxt';
import { chatFramePlugin } from './scripts/chat-frame';
import { inlineStylesheets } from './scripts/inline-stylesheets';
import { manifestCommands } from './utils/chat-engine/commands';
import { CHROME_DEV_PUBLIC_KEY, GECKO_ID } from './utils/extension-identity';
import { manifestPermissions, type TargetBrowser } from './utils/manifest-permissions';
import { resolveServiceConfig, serviceOrigins } from './utils/service-config';

const service = resolveServiceConfig(process.env);

/**
 * One CSP for every extension page: scripts only from the package, no eval
 * (`'wasm-unsafe-eval'` allows compiling WebAssembly only, for Argon2id; it does
 * not allow `eval` or `new Function`),
 * styles only from the package, plus the chat-ready pages' inlined stylesheet
 * allowed by its SHA-256 (`inlineStyles`, added at build time),
 * images only from the package and data: (so model output can never make the
 * page fetch an attacker's image URL).
 *
 * Network: the service, plus what a custom OpenAI-compatible endpoint can be
 * (Settings → Chat provider): any https origin, and plain http on this
 * computer only (`http://localhost:*`, `http://127.0.0.1:*`, e.g. Ollama).
 * An endpoint's address is the user's choice, so no list can be fixed at
 * build time, and CSP cannot follow runtime permissions; `https:` is the
 * narrowest rule that still works. What actually limits connections is the
 * host permission, asked for that one host from the Settings click
 * (`optional_host_permissions`), and our code, which connects only to the
 * service or the chosen endpoint. Markdown never makes a request: images
 * stay `'self' data:`, and scripts cannot be injected, so the wider
 * connect-src gives injected content nothing to use.
 */
function extensionPagesCsp(inlineStyles: readonly string[] = []): string {
  return [
    "default-src 'none'",
    "script-src 'self' 'wasm-unsafe-eval'",
    ['style-src', "'self'", ...inlineStyles].join(' '),
    "img-src 'self' data:",
    "font-src 'self'",
    `connect-src ${[...serviceOrigins(service), 'https:', 'http://localhost:*', 'http://127.0.0.1:*'].join(' ')}`,
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}

/** The chat pages, built apart from the rest (see `entrypoints:grouped`). */
const CHAT_PAGES = new Set(['popup', 'sidepanel', 'popup-chat', 'sidepanel-chat']);
/** Pages whose first frame is their own HTML: their stylesheet is inlined (scripts/inline-stylesheets.ts). */
const FRAME_FIRST_PAGES = ['popup-chat.html', 'sidepanel-chat.html'];

export default defineConfig({
  modules: ['@wxt-dev/webextension-polyfill'],
  imports: false,
  manifestVersion: 3,
  hooks: {
    /**
     * The popup and the side panel are built on their own, apart from Settings and the welcome page: built together,
     * Rollup splits what the four pages share into several chunks and stylesheets, and every request costs an
     * extension page a few ms before its first render. Alone, the chat pages load one chunk (plus a ~100-byte entry)
     * and one stylesheet, which the chat-ready pages carry inline. The price is code Settings shares with them being
     * stored twice in the package.
     */
    'entrypoints:grouped': (_wxt, groups) => {
      const pages = groups.findIndex((group) => Array.isArray(group) && group.some((e) => CHAT_PAGES.has(e.name)));
      const group = groups[pages];
      if (!Array.isArray(group)) return;
      const rest = group.filter((e) => !CHAT_PAGES.has(e.name));
      groups.splice(pages, 1, group.filter((e) => CHAT_PAGES.has(e.name)), ...(rest.length ? [rest] : []));
    },
    // Runs once the pages are written, before the manifest is: the hashes of what was inlined go into its CSP.
    'build:manifestGenerated': async (wxt, manifest) => {
      const styles = await inlineStylesheets(wxt.config.outDir, FRAME_FIRST_PAGES);
      if (styles.length) manifest.content_security_policy = { extension_pages: extensionPagesCsp(styles) };
    },
  },
  vite: () => ({
    plugins: [chatFramePlugin()],
    // One stylesheet per build: lazy chunks then never list the pages' sheet to load again (an inlined page has no link).
    build: { sourcemap: false, target: 'es2022', cssCodeSplit: false },
    // Argon2id's WebAssembly (4 KB) is imported `?inline`, as bytes in the script, never fetched.
    assetsInclude: ['**/*.wasm'],
  }),
  manifest: ({ browser }) => {
    const target: TargetBrowser = browser === 'firefox' ? 'firefox' : 'chrome';
    return {
      name: 'ExpressAI',
      description: 'Private AI chat in your toolbar and side panel. Your history is encrypted on your device.',
      permissions: manifestPermissions(target, 'install'),
      optional_permissions: manifestPermissions(target, 'optional'),
      optional_host_permissions: manifestPermissions(target, 'optional-host'),
      content_security_policy: { extension_pages: extensionPagesCsp() },
      action: { default_title: 'ExpressAI' },
      commands: manifestCommands(target),
      ...(target === 'chrome'
        ? { key: CHROME_DEV_PUBLIC_KEY, minimum_chrome_version: '120' }
        : {
            browser_specific_settings: {
              gecko: {
                id: GECKO_ID,
                strict_min_version: '140.0',
                data_collection_permissions: {
                  required: ['authenticationInfo', 'personalCommunications'],
                  optional: ['technicalAndInteraction'],
                },
              },
            },
          }),
    };
  },
});
