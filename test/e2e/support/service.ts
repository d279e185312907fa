/**
 * The local ExpressAI service for the e2e run: started once by the global
 * setup on {@link E2E_SERVICE_PORT}, which the e2e build is pointed at.
 * THE SINGLE PLACE where the service plugs into the e2e run.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { E2E_SERVICE_ORIGIN, E2E_SERVICE_PORT, REPO_ROOT } from './browsers';

export interface RunningService {
  url: string;
  close(): Promise<void>;
}

interface ServerModule {
  startServer(options: { host: string; port: number; testMode: boolean }): Promise<RunningService>;
}

/** Starts `server/app.ts` in test mode, or returns undefined while that module does not exist yet. */
export async function startE2eService(): Promise<RunningService | undefined> {
  const entry = path.join(REPO_ROOT, 'server', 'app.ts');
  if (!existsSync(entry)) {
    console.warn('[e2e] server/app.ts not found: running without the local service');
    return undefined;
  }
  const { startServer } = (await import(/* @vite-ignore */ entry)) as ServerModule;
  const service = await startServer({ host: '127.0.0.1', port: E2E_SERVICE_PORT, testMode: true });
  try {
    await expectIssuer(service.url);
  } catch (error) {
    await service.close();
    throw error;
  }
  return service;
}

/** The build is pointed at {@link E2E_SERVICE_ORIGIN}: the service must answer there, as that issuer. */
async function expectIssuer(url: string): Promise<void> {
  const response = await fetch(`${E2E_SERVICE_ORIGIN}/.well-known/openid-configuration`);
  const discovery = (await response.json()) as { issuer?: string };
  if (!response.ok || discovery.issuer !== E2E_SERVICE_ORIGIN) {
    throw new Error(`the e2e service at ${url} does not serve issuer ${E2E_SERVICE_ORIGIN} (HTTP ${response.status}, issuer ${discovery.issuer})`);
  }
}
