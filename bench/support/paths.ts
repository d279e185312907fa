/** Where the bench reads and writes. */
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const BENCH_DIR = path.join(REPO_ROOT, 'bench');
/** The bench's own build output (git-ignored); WXT adds `chrome-mv3/`. */
export const BUILD_BASE = path.join(BENCH_DIR, '.build');
export const EXTENSION_DIR = path.join(BUILD_BASE, 'chrome-mv3');
/** Bench-only pages, added to the bench's copy of the build and left out of every size figure. */
export const BENCH_PAGES_DIR = 'bench-pages';
export const RESULTS_DIR = path.join(BENCH_DIR, 'results');

/** The bench service's port; the bench build is pointed at it. */
export const BENCH_SERVICE_PORT = 8795;
export const BENCH_SERVICE_ORIGIN = `http://127.0.0.1:${BENCH_SERVICE_PORT}`;
