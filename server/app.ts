/**
 * The local ExpressAI service: one HTTP server that hands the OpenID routes
 * to oidc-provider and serves the sign-in pages, the chat API, the
 * diagnostics intake and (in test mode) the test controls itself.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type Provider from 'oidc-provider';
import { handleChat, handleModels } from './chat-routes';
import { applyCors } from './cors';
import { countTokenRequest } from './counters';
import { handleDiagnostics } from './diagnostics-intake';
import { sendStatusFault } from './fault-response';
import { sleep, type Fault, type FaultRoute } from './faults';
import { pathOf, readBody, sendApiError } from './http-util';
import { handleInteraction } from './interactions';
import { MemoryStore } from './memory-store';
import { createProvider } from './provider-config';
import { instrumentProvider, reportInternalError } from './provider-hooks';
import { createServiceState, type ServiceState } from './service-state';
import { handleTestControl } from './test-controls';

export interface ServerOptions {
  /** Default `127.0.0.1`. */
  host?: string;
  /** Default 8787; 0 picks a free port. */
  port?: number;
  /** Enables `/__test/*` (fault injection, counters, bench). Never on by default. */
  testMode?: boolean;
  /** Access-token lifetime; default 300 seconds. Tests may change it at runtime. */
  accessTokenTtlSeconds?: number;
  /** The most a sign-in lasts, refreshes included; default 86400 (24 hours). */
  sessionMaxSeconds?: number;
  /** An OpenAI-compatible base URL (e.g. `http://127.0.0.1:11434/v1`) whose models replace the dev model. */
  upstreamUrl?: string;
  upstreamKey?: string;
}

export interface RunningServer {
  /** The base URL, which is also the OpenID issuer, e.g. `http://127.0.0.1:8787`. */
  url: string;
  close(): Promise<void>;
}

export const DEFAULT_ACCESS_TOKEN_TTL_SECONDS = 300;
export const DEFAULT_SESSION_MAX_SECONDS = 86_400;

const API_ROUTES: Record<string, FaultRoute> = { '/v1/models': 'models', '/v1/chat/completions': 'chat', '/v1/diagnostics': 'diagnostics' };
const OIDC_FAULT_ROUTES: Record<string, FaultRoute> = { '/token': 'token', '/me': 'userinfo' };

/** Starts the service; resolves once it listens. */
export async function startServer(options: ServerOptions = {}): Promise<RunningServer> {
  const host = options.host ?? '127.0.0.1';
  const upstream = options.upstreamUrl ? { url: validUpstreamUrl(options.upstreamUrl), key: options.upstreamKey } : undefined;
  const state = createServiceState({
    testMode: options.testMode ?? false,
    sessionMaxSeconds: options.sessionMaxSeconds ?? DEFAULT_SESSION_MAX_SECONDS,
    accessTokenTtlSeconds: options.accessTokenTtlSeconds ?? DEFAULT_ACCESS_TOKEN_TTL_SECONDS,
    upstream,
    store: new MemoryStore(),
  });

  // The issuer needs the real port, known only after listening; requests that arrive meanwhile wait for the provider.
  let resolveProvider!: (p: Provider) => void;
  const providerReady = new Promise<Provider>((resolve) => (resolveProvider = resolve));
  let oidcCallback: ((req: IncomingMessage, res: ServerResponse) => unknown) | undefined;

  const server = createServer((req, res) => {
    providerReady
      .then((provider) => dispatch(state, provider, oidcCallback!, req, res))
      .catch((error: unknown) => {
        reportInternalError(areaOf(pathOf(req)), error);
        if (!res.headersSent) sendApiError(res, 500, 'server_error', 'The service failed.');
        else res.destroy();
      });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 8787, host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;

  const provider = await createProvider(url, state);
  instrumentProvider(provider, state);
  oidcCallback = provider.callback();
  resolveProvider(provider);

  return {
    url,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        // Streams and keep-alive sockets would hold close() open.
        server.closeAllConnections();
      }),
  };
}

async function dispatch(state: ServiceState, provider: Provider, oidc: (req: IncomingMessage, res: ServerResponse) => unknown, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const path = pathOf(req);
  if (path === '/__test' || path.startsWith('/__test/')) return handleTestControl(state, req, res, path);

  if (path.startsWith('/v1/')) {
    if (applyCors(req, res, 'GET, POST, OPTIONS')) return;
    const route = API_ROUTES[path];
    if (!route) return sendApiError(res, 404, 'not_found_error', 'There is no such endpoint.');
    if (route === 'chat') state.counters.chatRequests += 1;
    const fault = await takeFault(state, route);
    if (fault?.type === 'status') return sendStatusFault(res, route, fault);
    if (route === 'models') return handleModels(state, provider, req, res);
    if (route === 'chat') return handleChat(state, provider, req, res, fault);
    return handleDiagnostics(state, req, res);
  }

  if (path.startsWith('/interaction/')) return handleInteraction(provider, req, res, path);

  const oidcRoute = OIDC_FAULT_ROUTES[path];
  if (oidcRoute && req.method !== 'OPTIONS') {
    const fault = await takeFault(state, oidcRoute);
    if (fault?.type === 'status') {
      // The provider never sees this request, so count it and allow the extension to read the answer here.
      if (oidcRoute === 'token') countTokenRequest(state.counters, await grantTypeOf(req));
      applyCors(req, res, 'GET, POST, OPTIONS');
      return sendStatusFault(res, oidcRoute, fault);
    }
  }
  await oidc(req, res);
}

/** The queued fault for this request, after serving its delay; only in test mode. */
async function takeFault(state: ServiceState, route: FaultRoute): Promise<Fault | undefined> {
  if (!state.testMode) return undefined;
  const fault = state.faults.take(route);
  if (fault?.type === 'delay') await sleep(fault.ms);
  return fault;
}

async function grantTypeOf(req: IncomingMessage): Promise<string | null> {
  try {
    return new URLSearchParams(await readBody(req, 16 * 1024)).get('grant_type');
  } catch {
    return null;
  }
}

function areaOf(path: string): string {
  if (path.startsWith('/v1/')) return path;
  if (path.startsWith('/__test')) return 'test controls';
  if (path.startsWith('/interaction/')) return 'sign-in pages';
  return 'provider';
}

function validUpstreamUrl(value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new Error('EXPRESSAI_UPSTREAM_URL is not a URL (expected e.g. http://127.0.0.1:11434/v1).');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error('EXPRESSAI_UPSTREAM_URL must be an http or https URL.');
  return url.href.replace(/\/+$/, '');
}
