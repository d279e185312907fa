/**
 * The bench's own tests (`npx vitest run --config bench/vitest.config.ts`):
 * its arithmetic, options and in-page probe. They measure nothing and assert
 * no timing.
 */
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const root = fileURLToPath(new URL('..', import.meta.url));

export default defineConfig({
  root,
  resolve: { alias: { '@': root.replace(/\/$/, '') } },
  test: {
    include: ['bench/test/**/*.test.ts'],
    environment: 'node',
  },
});
