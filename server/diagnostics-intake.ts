/**
 * `POST /v1/diagnostics`: anonymous reports, no authentication. Only the
 * allow-listed schema is accepted and only aggregates are kept. Nothing about
 * the request (address, user agent, time of arrival) is looked at, except, in
 * test mode, whether it carried a Cookie or Authorization header, so the
 * end-to-end test can prove the extension never sends them.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import * as v from 'valibot';
import { DIAGNOSTICS_REPORT_SCHEMA } from '../utils/diagnostics-schema';
import { BodyTooLargeError, readBody, sendApiError } from './http-util';
import type { ServiceState } from './service-state';

export const DIAGNOSTICS_MAX_BODY_BYTES = 64 * 1024;

export async function handleDiagnostics(state: ServiceState, req: IncomingMessage, res: ServerResponse): Promise<void> {
  if (req.method !== 'POST') return sendApiError(res, 405, 'invalid_request_error', 'Use POST.', { headers: { Allow: 'POST' } });
  let text: string;
  try {
    text = await readBody(req, DIAGNOSTICS_MAX_BODY_BYTES);
  } catch (error) {
    if (error instanceof BodyTooLargeError) return sendApiError(res, 400, 'invalid_request_error', `Invalid report: ${error.message}`, { param: 'body' });
    throw error;
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return sendApiError(res, 400, 'invalid_request_error', 'Invalid report: the body is not valid JSON.', { param: 'body' });
  }
  const parsed = v.safeParse(DIAGNOSTICS_REPORT_SCHEMA, json);
  if (!parsed.success) {
    const { message, param } = describeIssue(parsed.issues[0]);
    return sendApiError(res, 400, 'invalid_request_error', `Invalid report: ${message}`, { param });
  }
  state.diagnostics.add(parsed.output);
  state.counters.diagnosticsReceived += 1;
  if (state.testMode) {
    state.lastDiagnostics = { body: json, text, hadCookie: req.headers.cookie !== undefined, hadAuthorization: req.headers.authorization !== undefined };
  }
  res.writeHead(204, { 'Cache-Control': 'no-store' }).end();
}

function describeIssue(issue: v.BaseIssue<unknown>): { message: string; param: string } {
  const param = issue.path?.map((p) => String(p.key)).join('.') || 'body';
  if (issue.type === 'strict_object' && issue.path?.length) return { message: `unexpected field "${param}"`, param };
  if (issue.message.includes(' must ')) return { message: issue.message, param };
  return { message: `${param}: expected ${issue.expected ?? 'a valid value'}`, param };
}
