/**
 * The extension the bench measures: a production build of the repository,
 * pointed at the bench service, written to bench/.build/chrome-mv3. It is
 * rebuilt only when a source file, the lockfile or the service origin
 * changed since the last bench build (a stamp of their hashes says so).
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { BENCH_SERVICE_ORIGIN, BUILD_BASE, EXTENSION_DIR, REPO_ROOT } from './paths';

/** What goes into the build: anything else changing does not make the bench rebuild. */
const INPUTS = ['entrypoints', 'components', 'utils', 'public', 'wxt.config.ts', 'package-lock.json', 'tsconfig.json'];
const STAMP = path.join(BUILD_BASE, 'build-stamp.json');

async function filesUnder(entry: string): Promise<string[]> {
  const full = path.join(REPO_ROOT, entry);
  if (!existsSync(full)) return [];
  const found = await readdir(full, { recursive: true, withFileTypes: true }).catch(() => null);
  if (!found) return [entry];
  return found.filter((d) => d.isFile()).map((d) => path.relative(REPO_ROOT, path.join(d.parentPath, d.name)));
}

/** A hash of every input file's path and bytes, and of the service origin. */
export async function sourceStamp(): Promise<string> {
  const hash = createHash('sha256').update(`issuer=${BENCH_SERVICE_ORIGIN}\n`);
  const files = (await Promise.all(INPUTS.map(filesUnder))).flat().sort();
  for (const file of files) hash.update(`${file}\n`).update(await readFile(path.join(REPO_ROOT, file)));
  return hash.digest('hex');
}

function runBuild(): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', path.join('bench', 'support', 'wxt-build-child.ts'), REPO_ROOT, BUILD_BASE], {
      cwd: REPO_ROOT,
      env: { ...process.env, WXT_EXPRESSAI_ISSUER: BENCH_SERVICE_ORIGIN },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`the bench build failed (exit ${code}):\n${output.slice(-4000)}`))));
  });
}

export interface BuildOutcome {
  dir: string;
  rebuilt: boolean;
  ms: number;
}

/** Builds unless the stamp matches (or `mode` says otherwise); throws if no usable build results. */
export async function ensureBuild(mode: 'auto' | 'always' | 'never'): Promise<BuildOutcome> {
  const started = Date.now();
  const stamp = await sourceStamp();
  const previous = existsSync(STAMP) ? (JSON.parse(await readFile(STAMP, 'utf8')) as { stamp?: string }).stamp : undefined;
  const present = existsSync(path.join(EXTENSION_DIR, 'manifest.json'));
  if (mode === 'never' || (mode === 'auto' && present && previous === stamp)) {
    if (!present) throw new Error(`--no-build, but ${EXTENSION_DIR} holds no build: run once without it`);
    return { dir: EXTENSION_DIR, rebuilt: false, ms: Date.now() - started };
  }
  await runBuild();
  await writeFile(STAMP, `${JSON.stringify({ stamp, issuer: BENCH_SERVICE_ORIGIN, builtAt: new Date().toISOString() }, null, 2)}\n`);
  return { dir: EXTENSION_DIR, rebuilt: true, ms: Date.now() - started };
}
