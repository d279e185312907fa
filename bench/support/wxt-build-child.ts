/**
 * Runs in a child process (see build.ts): WXT's programmatic build with the
 * repository's own wxt.config.ts, only the output directory overridden, so
 * the bench never touches `.output/`, which the e2e suite uses.
 */
import { build } from 'wxt';

const [root, outDir] = process.argv.slice(2);
if (!root || !outDir) throw new Error('usage: wxt-build-child <root> <outDir>');
await build({ root, outDir, browser: 'chrome', manifestVersion: 3 });
