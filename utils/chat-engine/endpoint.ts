/**
 * A custom OpenAI-compatible endpoint's base URL (e.g. Ollama's
 * `http://localhost:11434/v1`): what is accepted, and which host permission
 * it needs. Plain http is accepted for this computer only (loopback), where
 * nothing travels over a network; anything else must be https.
 */
import { ExtensionError } from '../errors';

const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]']);

/** The base URL without a trailing slash; throws `endpoint_invalid` with the reason in plain words. */
export function normalizeEndpoint(input: string): string {
  let url: URL;
  try {
    url = new URL(input.trim());
  } catch {
    throw invalid('Enter the full address, for example http://localhost:11434/v1.');
  }
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && LOOPBACK.has(url.hostname))) {
    throw invalid('Use an https:// address, or http:// only for this computer (localhost or 127.0.0.1).');
  }
  if (url.username || url.password) throw invalid('Put the API key in its own field, not in the address.');
  if (url.search || url.hash) throw invalid('The address must not have a query (?…) or fragment (#…).');
  return url.href.replace(/\/+$/, '');
}

/** The match pattern to ask for: the endpoint's host, any port (match patterns cannot name one). */
export function endpointPermission(baseUrl: string): string {
  const url = new URL(baseUrl);
  return `${url.protocol}//${url.hostname}/*`;
}

function invalid(message: string): ExtensionError {
  return new ExtensionError('endpoint_invalid', message);
}
