/**
 * Which origins may call the service from a browser: our Chrome extension,
 * and any Firefox extension page, because Firefox gives every profile its own
 * `moz-extension://<uuid>`. Web pages are never allowed; no route uses cookies
 * cross-origin, so credentials are never allowed either.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { CHROME_EXTENSION_ID } from '../utils/extension-identity';

const CHROME_ORIGIN = `chrome-extension://${CHROME_EXTENSION_ID}`;
const FIREFOX_ORIGIN = /^moz-extension:\/\/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export function isExtensionOrigin(origin: string | undefined): boolean {
  return origin === CHROME_ORIGIN || (origin !== undefined && FIREFOX_ORIGIN.test(origin));
}

const ALLOWED_HEADERS = 'Authorization, Content-Type';
const EXPOSED_HEADERS = 'WWW-Authenticate, Retry-After';

/**
 * Sets CORS headers for an allowed origin. Answers a preflight itself and
 * returns true when it did, so the caller stops there.
 */
export function applyCors(req: IncomingMessage, res: ServerResponse, methods: string): boolean {
  const origin = req.headers.origin;
  res.setHeader('Vary', 'Origin');
  const allowed = isExtensionOrigin(origin);
  if (allowed) {
    res.setHeader('Access-Control-Allow-Origin', origin!);
    res.setHeader('Access-Control-Expose-Headers', EXPOSED_HEADERS);
  }
  if (req.method !== 'OPTIONS') return false;
  if (allowed) {
    res.setHeader('Access-Control-Allow-Methods', methods);
    res.setHeader('Access-Control-Allow-Headers', ALLOWED_HEADERS);
    res.setHeader('Access-Control-Max-Age', '600');
  }
  res.writeHead(204).end();
  return true;
}
