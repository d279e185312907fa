/**
 * `/__test/*`: controls for tests, present only in test mode (404 otherwise).
 * They steer faults, read counters and change lifetimes. None of them reveals
 * a token, a prompt or an account; one returns the last sign-in's redirect
 * (with its code) so a test can deliver it again. server/README.md documents each.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import * as v from 'valibot';
import { BENCH_MIN_BYTES } from './bench-document';
import { QUEUE_FAULT_SCHEMA } from './faults';
import { BodyTooLargeError, readBody, sendJson } from './http-util';
import { resetState, type ServiceState } from './service-state';

const seconds = v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(30 * 86_400));

const TTL_SCHEMA = v.strictObject({ seconds });
const BENCH_SCHEMA = v.strictObject({
  bytes: v.pipe(v.number(), v.integer(), v.minValue(BENCH_MIN_BYTES), v.maxValue(50 * 1024 * 1024)),
  chunkChars: v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(1024 * 1024)),
  chunksPerSecond: v.optional(v.pipe(v.number(), v.minValue(0.1), v.maxValue(100_000))),
});

type Route = (state: ServiceState, body: unknown) => unknown;

const ROUTES: Record<string, Route> = {
  'GET /__test/counters': (state) => state.counters,
  'POST /__test/reset': (state) => {
    resetState(state);
    return { reset: true };
  },
  'GET /__test/faults': (state) => state.faults.pending(),
  'POST /__test/faults': (state, body) => {
    const { route, count, fault } = v.parse(QUEUE_FAULT_SCHEMA, body);
    state.faults.add(route, fault, count);
    return state.faults.pending();
  },
  'DELETE /__test/faults': (state) => {
    state.faults.clear();
    return state.faults.pending();
  },
  'GET /__test/access-token-ttl': (state) => ({ seconds: state.accessTokenTtlSeconds }),
  'PUT /__test/access-token-ttl': (state, body) => {
    state.accessTokenTtlSeconds = v.parse(TTL_SCHEMA, body).seconds;
    return { seconds: state.accessTokenTtlSeconds };
  },
  'POST /__test/end-sessions': (state) => ({ endedGrants: state.store.endAllSessions() }),
  'GET /__test/diagnostics': (state) => ({ last: state.lastDiagnostics ?? null, aggregates: state.diagnostics }),
  'GET /__test/last-authorization-redirect': (state) => ({ location: state.lastAuthorizationRedirect ?? null }),
  'POST /__test/bench': (state, body) => {
    const spec = v.parse(BENCH_SCHEMA, body);
    state.bench = spec;
    // The document is exactly `bytes` long, so the count needs no document.
    return { ...spec, chunks: Math.ceil(spec.bytes / spec.chunkChars) };
  },
  'DELETE /__test/bench': (state) => {
    delete state.bench;
    return { bench: null };
  },
};

export async function handleTestControl(state: ServiceState, req: IncomingMessage, res: ServerResponse, path: string): Promise<void> {
  if (!state.testMode) return sendJson(res, 404, { error: 'not_found' });
  if (path === '/__test/' || path === '/__test') {
    return sendJson(res, 200, { controls: Object.keys(ROUTES), docs: 'server/README.md' });
  }
  const route = ROUTES[`${req.method} ${path}`];
  if (!route) return sendJson(res, 404, { error: 'not_found', message: `No test control ${req.method} ${path}.` });
  let body: unknown;
  try {
    const text = req.method === 'GET' ? '' : await readBody(req, 16 * 1024);
    body = text.trim() ? JSON.parse(text) : {};
    sendJson(res, 200, route(state, body));
  } catch (error) {
    if (error instanceof v.ValiError) {
      const issue = error.issues[0] as v.BaseIssue<unknown>;
      const where = issue.path?.map((p) => String(p.key)).join('.') || 'body';
      return sendJson(res, 400, { error: 'invalid_request', message: `${where}: ${issue.message}` });
    }
    if (error instanceof SyntaxError || error instanceof BodyTooLargeError) {
      return sendJson(res, 400, { error: 'invalid_request', message: error.message });
    }
    throw error;
  }
}
