/**
 * Bench-only pages, added to the bench's copy of the build (never to the
 * product build): bench/pages/* bundled from the product's source with
 * esbuild (the bundler Vite itself uses) into `<build>/bench-pages/`. Being
 * files of the same unpacked extension, they run at the extension's origin
 * under its CSP, sharing IndexedDB and storage.session with the real pages.
 * The size figures leave this folder out.
 */
import { build, type Plugin } from 'esbuild';
import { copyFile, readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { BENCH_DIR, BENCH_PAGES_DIR, BENCH_SERVICE_ORIGIN, REPO_ROOT } from './paths';

const PAGES = path.join(BENCH_DIR, 'pages');
const HTML = ['blank.html', 'boot-floor.html', 'stream.html', 'vault.html', 'kdf.html'];

/**
 * Vite's `import Worker from './x.ts?worker'`: here the worker module is one
 * of this build's entry points, so the import becomes a constructor for it.
 */
const workerImports: Plugin = {
  name: 'vite-worker-imports',
  setup(pluginBuild) {
    pluginBuild.onResolve({ filter: /\?worker$/ }, (args) => ({ path: path.basename(args.path.replace(/\?worker$/, ''), '.ts'), namespace: 'worker-import' }));
    pluginBuild.onLoad({ filter: /.*/, namespace: 'worker-import' }, (args) => ({
      contents: `export default function WorkerImport() { return new Worker(new URL('./${args.path}.js', import.meta.url), { type: 'module' }); }`,
      loader: 'js',
    }));
  },
};

/** Vite's `import dataUrl from './x.wasm?inline'`: the file as a base64 data URL (Argon2id's WebAssembly). */
const inlineImports: Plugin = {
  name: 'vite-inline-imports',
  setup(pluginBuild) {
    pluginBuild.onResolve({ filter: /\?inline$/ }, async (args) => {
      const resolved = await pluginBuild.resolve(args.path.replace(/\?inline$/, ''), { kind: args.kind, resolveDir: args.resolveDir });
      return resolved.errors.length ? { errors: resolved.errors } : { path: resolved.path, namespace: 'inline-import' };
    });
    pluginBuild.onLoad({ filter: /.*/, namespace: 'inline-import' }, async (args) => ({
      contents: `export default ${JSON.stringify(`data:application/wasm;base64,${(await readFile(args.path)).toString('base64')}`)};`,
      loader: 'js',
    }));
  },
};

/** Rewrites `<extensionDir>/bench-pages/` from bench/pages. */
export async function writeBenchPages(extensionDir: string): Promise<void> {
  const outdir = path.join(extensionDir, BENCH_PAGES_DIR);
  await rm(outdir, { recursive: true, force: true });
  await build({
    entryPoints: {
      'stream-page': path.join(PAGES, 'stream-page.tsx'),
      'vault-page': path.join(PAGES, 'vault-page.ts'),
      'kdf-page': path.join(PAGES, 'kdf-page.ts'),
      'boot-floor': path.join(PAGES, 'boot-floor.ts'),
      // The product's worker module itself, for the KDF page.
      'kdf-worker': path.join(REPO_ROOT, 'utils', 'vault', 'kdf-worker.ts'),
    },
    outdir,
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    minify: true,
    jsx: 'automatic',
    jsxImportSource: 'preact',
    alias: { '@': REPO_ROOT.replace(/\/$/, '') },
    // What WXT would inline at build time for this (Chrome) build.
    define: { 'import.meta.env': JSON.stringify({ CHROME: true, FIREFOX: false, MANIFEST_VERSION: 3, WXT_EXPRESSAI_ISSUER: BENCH_SERVICE_ORIGIN }) },
    plugins: [workerImports, inlineImports],
    logLevel: 'error',
  });
  await Promise.all(HTML.map((file) => copyFile(path.join(PAGES, file), path.join(outdir, file))));
}
