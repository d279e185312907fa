import { defineConfig } from 'vitest/config';
import { WxtVitest } from 'wxt/testing/vitest-plugin';

/**
 * Three projects: `unit` (WXT's fake browser, happy-dom, fake IndexedDB),
 * `server` (the local service over real HTTP) and `e2e` (the built extension
 * in real Chromium and Firefox). End-to-end files run one at a time: two
 * browsers on two cores is already the whole machine.
 */
export default defineConfig({
  test: {
    projects: [
      {
        plugins: [WxtVitest()],
        // As in wxt.config.ts: Argon2id's WebAssembly is imported `?inline`.
        assetsInclude: ['**/*.wasm'],
        test: {
          name: 'unit',
          include: ['test/unit/**/*.test.{ts,tsx}'],
          environment: 'happy-dom',
          setupFiles: ['fake-indexeddb/auto'],
          restoreMocks: true,
          // Property tests and DOM renders take a few seconds on a loaded 2-core machine: a timeout, not a speed check.
          testTimeout: 30_000,
        },
      },
      {
        test: {
          name: 'server',
          include: ['test/server/**/*.test.ts'],
          environment: 'node',
          testTimeout: 20_000,
        },
      },
      {
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.e2e.ts'],
          environment: 'node',
          globalSetup: ['test/e2e/global-setup.ts'],
          fileParallelism: false,
          testTimeout: 120_000,
          hookTimeout: 180_000,
        },
      },
    ],
  },
});
