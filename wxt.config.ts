import { defineConfig } from 'wxt';
import { CHROME_DEV_PUBLIC_KEY, GECKO_ID } from './utils/extension-identity';
import { manifestPermissions, type TargetBrowser } from './utils/manifest-permissions';
import { resolveServiceConfig, serviceOrigins } from './utils/service-config';

const service = resolveServiceConfig(process.env);

/**
 * One CSP for every extension page: scripts only from the package, no eval
 * (`'wasm-unsafe-eval'` allows compiling WebAssembly only, for Argon2id; it does
 * not allow `eval` or `new Function`),
 * images only from the package and data: (so model output can never make the
 * page fetch an attacker's image URL), network only to the service.
 */
const extensionPagesCsp = [
  "default-src 'none'",
  "script-src 'self' 'wasm-unsafe-eval'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  `connect-src ${serviceOrigins(service).join(' ')}`,
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

export default defineConfig({
  modules: ['@wxt-dev/webextension-polyfill'],
  imports: false,
  manifestVersion: 3,
  vite: () => ({
    build: { sourcemap: false, target: 'es2022' },
  }),
  manifest: ({ browser }) => {
    const target: TargetBrowser = browser === 'firefox' ? 'firefox' : 'chrome';
    return {
      name: 'ExpressAI',
      description: 'Private AI chat in your toolbar and side panel. Your history is encrypted on your device.',
      permissions: manifestPermissions(target, 'install'),
      optional_permissions: manifestPermissions(target, 'optional'),
      optional_host_permissions: manifestPermissions(target, 'optional-host'),
      content_security_policy: { extension_pages: extensionPagesCsp },
      action: { default_title: 'ExpressAI' },
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
