/**
 * Once per e2e run: builds both extensions pointed at the e2e service
 * (skipped with `E2E_SKIP_BUILD=1`), then starts that service.
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { BROWSERS, E2E_DIAGNOSTICS_DELAY_ENV, E2E_SERVICE_ORIGIN, REPO_ROOT, extensionDir, type BrowserName } from './support/browsers';
import { acquireRunLock } from './support/run-lock';
import { startE2eService } from './support/service';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Origin of the running e2e service, or '' when it is not available. */
    e2eServiceUrl: string;
  }
}

function build(browser: BrowserName): Promise<void> {
  return new Promise((resolve, reject) => {
    // Mode "e2e" builds into .output/<browser>-mv3-e2e, apart from the development build.
    const child = spawn('npx', ['wxt', 'build', '-b', browser, '--mv3', '--mode', 'e2e'], {
      cwd: REPO_ROOT,
      env: { ...process.env, WXT_EXPRESSAI_ISSUER: E2E_SERVICE_ORIGIN, ...E2E_DIAGNOSTICS_DELAY_ENV },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`wxt build -b ${browser} failed (exit ${code}):\n${output}`))));
  });
}

/** With E2E_SKIP_BUILD=1 the existing build is used: it must be the one pointed at the e2e service. */
function expectE2eBuild(browser: BrowserName): void {
  const manifestPath = path.join(extensionDir(browser), 'manifest.json');
  if (!existsSync(manifestPath)) throw new Error(`E2E_SKIP_BUILD=1 but ${extensionDir(browser)} holds no build`);
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as { content_security_policy?: { extension_pages?: string } };
  if (!manifest.content_security_policy?.extension_pages?.includes(E2E_SERVICE_ORIGIN)) {
    throw new Error(`E2E_SKIP_BUILD=1 but ${extensionDir(browser)} was not built for ${E2E_SERVICE_ORIGIN}: run the e2e once without it`);
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const releaseLock = await acquireRunLock();
  if (process.env.E2E_SKIP_BUILD === '1') {
    for (const b of BROWSERS) expectE2eBuild(b);
  } else {
    // One after the other: two parallel builds on two cores gain nothing.
    for (const b of BROWSERS) await build(b);
  }
  const service = await startE2eService();
  project.provide('e2eServiceUrl', service?.url ?? '');
  return async () => {
    await service?.close();
    releaseLock();
  };
}
