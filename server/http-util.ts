/**
 * Small helpers for the service's own routes (the OpenID routes belong to
 * oidc-provider): bounded body reading and JSON answers in OpenAI's error shape.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';

export class BodyTooLargeError extends Error {
  constructor(readonly limit: number) {
    super(`The request body is larger than ${limit} bytes.`);
  }
}

/** Reads the whole body, refusing once it passes `limit` bytes. */
export async function readBody(req: IncomingMessage, limit: number): Promise<string> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) {
    req.resume();
    throw new BodyTooLargeError(limit);
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) {
      req.resume();
      throw new BodyTooLargeError(limit);
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': Buffer.byteLength(text),
    'Cache-Control': 'no-store',
    ...headers,
  });
  res.end(text);
}

export type ApiErrorType = 'invalid_request_error' | 'authentication_error' | 'rate_limit_error' | 'server_error' | 'not_found_error';

/** An error in the shape OpenAI-compatible clients expect: `{ error: { message, type, code, param } }`. */
export function sendApiError(
  res: ServerResponse,
  status: number,
  type: ApiErrorType,
  message: string,
  extra: { code?: string; param?: string; headers?: Record<string, string> } = {},
): void {
  sendJson(res, status, { error: { message, type, code: extra.code ?? null, param: extra.param ?? null } }, extra.headers);
}

export function bearerToken(req: IncomingMessage): string | undefined {
  const match = /^Bearer ([A-Za-z0-9\-._~+/]+=*)$/.exec(req.headers.authorization ?? '');
  return match?.[1];
}

export function pathOf(req: IncomingMessage): string {
  return new URL(req.url ?? '/', 'http://service.invalid').pathname;
}
