/** The local service's test controls (`/__test/`, test mode only), for e2e scenarios. */
import { inject } from 'vitest';
import type { Fault, FaultRoute } from '../../../server/faults';

export interface ServiceCounters {
  tokenRequests: { authorization_code: number; refresh_token: number; unknown: number };
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

export const service = {
  counters: () => control<ServiceCounters>('GET', 'counters'),
  reset: () => control<unknown>('POST', 'reset'),
  fault: (route: FaultRoute, fault: Fault, count = 1) => control<unknown>('POST', 'faults', { route, fault, count }),
  clearFaults: () => control<unknown>('DELETE', 'faults'),
  setAccessTokenTtl: (seconds: number) => control<unknown>('PUT', 'access-token-ttl', { seconds }),
  endSessions: () => control<unknown>('POST', 'end-sessions'),
};
