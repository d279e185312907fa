/** The local service's test controls (`/__test/`, test mode only), for e2e scenarios. */
import { inject } from 'vitest';
import type { Fault, FaultRoute } from '../../../server/faults';

export interface ServiceCounters {
  /** By grant type; a grant with no request yet is absent. */
  tokenRequests: Partial<Record<'authorization_code' | 'refresh_token' | 'unknown', number>>;
  codeReuse: number;
  refreshTokenReuse: number;
  revocations: number;
  chatRequests: number;
  diagnosticsReceived: number;
}

export function serviceUrl(): string {
  const url = inject('e2eServiceUrl');
  if (!url) throw new Error('the e2e service is not running (see test/e2e/support/service.ts)');
  return url;
}

async function control<T>(method: string, path: string, body?: unknown): Promise<T> {
  const response = await fetch(`${serviceUrl()}/__test/${path}`, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`${method} /__test/${path}: HTTP ${response.status} ${await response.text()}`);
  return (await response.json().catch(() => undefined)) as T;
}

/** Token-endpoint calls of one grant type so far. */
export async function tokenRequests(grant: 'authorization_code' | 'refresh_token'): Promise<number> {
  return (await service.counters()).tokenRequests[grant] ?? 0;
}

export const service = {
  counters: () => control<ServiceCounters>('GET', 'counters'),
  reset: () => control<unknown>('POST', 'reset'),
  fault: (route: FaultRoute, fault: Fault, count = 1) => control<unknown>('POST', 'faults', { route, fault, count }),
  clearFaults: () => control<unknown>('DELETE', 'faults'),
  setAccessTokenTtl: (seconds: number) => control<unknown>('PUT', 'access-token-ttl', { seconds }),
  endSessions: () => control<unknown>('POST', 'end-sessions'),
  /** The next chat answer is the bench document: exactly `bytes` characters of markdown, in chunks of `chunkChars`. */
  bench: (bytes: number, chunkChars = 1000) => control<unknown>('POST', 'bench', { bytes, chunkChars }),
  /** Where the last finished sign-in sent the browser, code and all. */
  lastAuthorizationRedirect: async () => (await control<{ location: string | null }>('GET', 'last-authorization-redirect')).location,
};
