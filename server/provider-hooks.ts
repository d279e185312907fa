/**
 * Counts what tests need to see from the OpenID side (token calls by grant
 * type, code and refresh-token reuse, revocations), keeps the last code
 * redirect in test mode only, and keeps the provider's errors out of the
 * console except as a one-line, data-free notice.
 */
import type { EventEmitter } from 'node:events';
import type Provider from 'oidc-provider';
import { countTokenRequest } from './counters';
import type { ServiceState } from './service-state';

/** oidc-provider's own descriptions of the two replay cases (lib/helpers/grant_source.js, lib/actions/grants/refresh_token.js). */
const CODE_REUSED = 'authorization code already consumed';
const REFRESH_TOKEN_REUSED = 'refresh token already used';

export function instrumentProvider(provider: Provider, state: ServiceState): void {
  provider.use(async (ctx, next) => {
    await next();
    const route = ctx.oidc?.route;
    if (route === 'token') countTokenRequest(state.counters, ctx.oidc.params?.grant_type);
    if (route === 'revocation' && ctx.status === 200) state.counters.revocations += 1;
    if (state.testMode && ctx.status >= 300 && ctx.status < 400) {
      const location = ctx.response.get('location');
      if (/[?&]code=/.test(location)) state.lastAuthorizationRedirect = location;
    }
  });

  provider.on('grant.error', (_ctx, error) => {
    const detail = (error as { error_detail?: unknown }).error_detail;
    if (detail === CODE_REUSED) state.counters.codeReuse += 1;
    if (detail === REFRESH_TOKEN_REUSED) state.counters.refreshTokenReuse += 1;
  });

  // Koa prints whole errors by default; an error's message could carry a request's data, so only its class is shown.
  provider.on('server_error', (ctx, error: Error) => reportInternalError(ctx.oidc?.route ?? 'provider', error));
  // Koa's own 'error' event, which the provider's typings do not list.
  (provider as unknown as EventEmitter).on('error', (error: Error) => reportInternalError('provider', error));
}

/** The one thing the service prints after start: that something broke, where, and the error's class. */
export function reportInternalError(where: string, error: unknown): void {
  const name = error instanceof Error ? error.name : typeof error;
  process.stderr.write(`[expressai] internal error in ${where}: ${name}\n`);
}
