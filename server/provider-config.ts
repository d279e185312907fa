/**
 * The OpenID Connect provider: oidc-provider with one public client (the
 * extension), PKCE S256, rotating refresh tokens with reuse detection, and a
 * session that ends 24 hours after sign-in whatever happens in between.
 * Every default the library asks deployments to change is set here, so it
 * prints nothing at run time.
 */
import { generateKeyPair, randomBytes } from 'node:crypto';
import { promisify } from 'node:util';
import Provider, { type Configuration, type JWK, type KoaContextWithOIDC } from 'oidc-provider';
import { CHROME_REDIRECT_URI, FIREFOX_REDIRECT_URI, OAUTH_CLIENT_ID } from '../utils/extension-identity';
import { accountClaims, findAccountById } from './accounts';
import { isExtensionOrigin } from './cors';
import { errorPage, PAGE_HEADERS } from './pages';
import type { ServiceState } from './service-state';

const AUTHORIZATION_CODE_TTL = 60;
const ID_TOKEN_TTL = 3600;
/** How long a sign-in page stays usable. */
const INTERACTION_TTL = 1800;

let signingKey: Promise<JWK> | undefined;

/** One RSA key per process: generating it is the slowest part of starting, and nothing outlives the process anyway. */
function processSigningKey(): Promise<JWK> {
  signingKey ??= promisify(generateKeyPair)('rsa', { modulusLength: 2048 }).then(({ privateKey }) => ({
    ...(privateKey.export({ format: 'jwk' }) as JWK),
    kid: randomBytes(8).toString('hex'),
    alg: 'RS256',
    use: 'sig',
  }));
  return signingKey;
}

const now = () => Math.floor(Date.now() / 1000);
const atLeastOne = (seconds: number) => Math.max(1, Math.floor(seconds));

export async function createProvider(issuer: string, state: ServiceState): Promise<Provider> {
  /** Seconds left before the 24-hour cap of the sign-in that happened at `authTime`. */
  const sessionLeft = (authTime: number | undefined) => (authTime ? authTime + state.sessionMaxSeconds - now() : state.sessionMaxSeconds);
  /** The sign-in time behind the token being issued, from the code or refresh token being exchanged. */
  const sourceAuthTime = (ctx: KoaContextWithOIDC | undefined) =>
    (ctx?.oidc?.entities.RefreshToken?.authTime ?? ctx?.oidc?.entities.AuthorizationCode?.authTime) as number | undefined;

  const configuration: Configuration = {
    adapter: state.store.adapter,
    clients: [
      {
        client_id: OAUTH_CLIENT_ID,
        client_name: 'ExpressAI',
        application_type: 'web',
        token_endpoint_auth_method: 'none',
        redirect_uris: [CHROME_REDIRECT_URI, FIREFOX_REDIRECT_URI],
        grant_types: ['authorization_code', 'refresh_token'],
        response_types: ['code'],
        scope: 'openid email offline_access',
      },
    ],
    clientAuthMethods: ['none'],
    clientBasedCORS: (_ctx, origin, client) => client.clientId === OAUTH_CLIENT_ID && isExtensionOrigin(origin),
    claims: { openid: ['sub', 'krn'], email: ['email', 'email_verified'] },
    scopes: ['openid', 'email', 'offline_access'],
    // The extension reads email and KRN from the ID token, not only from userinfo.
    conformIdTokenClaims: false,
    cookies: { keys: [randomBytes(32).toString('base64url')] },
    jwks: { keys: [await processSigningKey()] },
    features: {
      devInteractions: { enabled: false },
      revocation: { enabled: true, allowedPolicy: async (_ctx, client, token) => token.clientId === client.clientId },
      rpInitiatedLogout: { enabled: false },
      pushedAuthorizationRequests: { enabled: false },
      userinfo: { enabled: true },
    },
    async findAccount(_ctx, sub) {
      const account = findAccountById(sub);
      if (!account) return undefined;
      return { accountId: account.id, claims: async () => ({ ...accountClaims(account), sub: account.id }) };
    },
    interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
    pkce: { required: () => true },
    responseTypes: ['code'],
    // Every refresh hands out a new refresh token; presenting a used one revokes the grant.
    rotateRefreshToken: true,
    async renderError(ctx, out) {
      ctx.set(PAGE_HEADERS);
      ctx.body = errorPage('Sign-in failed', String(out.error_description ?? out.error ?? 'The request could not be completed.'));
    },
    ttl: {
      AccessToken: (ctx) => atLeastOne(Math.min(state.accessTokenTtlSeconds, sessionLeft(sourceAuthTime(ctx)))),
      AuthorizationCode: AUTHORIZATION_CODE_TTL,
      IdToken: (ctx) => atLeastOne(Math.min(ID_TOKEN_TTL, sessionLeft(sourceAuthTime(ctx)))),
      // Rotation copies authTime, so no number of refreshes moves the end of the session.
      RefreshToken: (_ctx, token) => atLeastOne(sessionLeft(token.authTime ?? token.iiat)),
      Interaction: INTERACTION_TTL,
      Session: (_ctx, session) => atLeastOne(sessionLeft(session.loginTs)),
      Grant: state.sessionMaxSeconds,
    },
  };
  return new Provider(issuer, configuration);
}
