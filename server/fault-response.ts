/**
 * Answers an injected status fault the way the real route would fail: OAuth
 * error bodies on the token and userinfo endpoints, OpenAI error bodies on the
 * API, `WWW-Authenticate` on 401 and `Retry-After` on 429.
 */
import type { ServerResponse } from 'node:http';
import type { Fault, FaultRoute } from './faults';
import { sendApiError, sendJson } from './http-util';

type StatusFault = Extract<Fault, { type: 'status' }>;

const INVALID_TOKEN = 'Bearer realm="ExpressAI", error="invalid_token", error_description="The access token is not valid (injected fault)."';

export function sendStatusFault(res: ServerResponse, route: FaultRoute, fault: StatusFault): void {
  const headers: Record<string, string> = {};
  if (fault.status === 429) headers['Retry-After'] = String(fault.retryAfterSeconds ?? 1);

  if (route === 'token' || route === 'userinfo') {
    const oauth = {
      401: route === 'token' ? 'invalid_client' : 'invalid_token',
      429: 'temporarily_unavailable',
      500: 'server_error',
    }[fault.status];
    if (fault.status === 401 && route === 'userinfo') headers['WWW-Authenticate'] = INVALID_TOKEN;
    return sendJson(res, fault.status, { error: oauth, error_description: `Injected ${fault.status} fault.` }, headers);
  }

  if (fault.status === 401) {
    headers['WWW-Authenticate'] = INVALID_TOKEN;
    return sendApiError(res, 401, 'authentication_error', 'The access token is not valid (injected fault).', { code: 'invalid_token', headers });
  }
  if (fault.status === 429) {
    return sendApiError(res, 429, 'rate_limit_error', 'Too many requests (injected fault).', { code: 'rate_limited', headers });
  }
  sendApiError(res, 500, 'server_error', 'The service failed (injected fault).', { code: 'server_error', headers });
}
