/**
 * The authorization server and our client, as oauth4webapi needs them.
 * Discovery runs once per background lifetime; a failure is not cached.
 */
import * as oauth from 'oauth4webapi';
import { ExtensionError } from '../errors';
import { OAUTH_CLIENT_ID } from '../extension-identity';
import { SERVICE } from '../service';
import { toAuthError } from './auth-errors';

export interface OAuthContext {
  as: oauth.AuthorizationServer;
  client: oauth.Client;
  clientAuth: oauth.ClientAuth;
  /** Options for every oauth4webapi request; plain HTTP is allowed only for a loopback issuer. */
  http: { [oauth.allowInsecureRequests]?: boolean };
}

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);

let cached: Promise<OAuthContext> | undefined;

/** @see https://openid.net/specs/openid-connect-discovery-1_0.html#ProviderConfig */
export function getOAuthContext(issuer: string = SERVICE.issuer): Promise<OAuthContext> {
  cached ??= discover(issuer).catch((error: unknown) => {
    cached = undefined;
    throw error;
  });
  return cached;
}

/** Forgets the discovered configuration (tests, or after the issuer changed). */
export function resetOAuthContext(): void {
  cached = undefined;
}

async function discover(issuer: string): Promise<OAuthContext> {
  const issuerUrl = new URL(issuer);
  const http = LOOPBACK.has(issuerUrl.hostname) ? { [oauth.allowInsecureRequests]: true } : {};
  try {
    const response = await oauth.discoveryRequest(issuerUrl, { ...http, algorithm: 'oidc' });
    const as = await oauth.processDiscoveryResponse(issuerUrl, response);
    return { as, client: { client_id: OAUTH_CLIENT_ID }, clientAuth: oauth.None(), http };
  } catch (error) {
    if (error instanceof ExtensionError) throw error;
    throw toAuthError(error, 'discovery');
  }
}
