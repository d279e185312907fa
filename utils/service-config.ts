/**
 * Where the ExpressAI service lives, fixed at build time (`WXT_EXPRESSAI_*`),
 * defaulting to the local development service from `server/`.
 */
export const DEFAULT_SERVICE_ORIGIN = 'http://127.0.0.1:8787';

export interface ServiceConfig {
  /** OpenID Connect issuer; discovery is read from `<issuer>/.well-known/openid-configuration`. */
  issuer: string;
  /** Base of the OpenAI-compatible chat API, e.g. `http://127.0.0.1:8787/v1`. */
  api: string;
  /** Where opt-in anonymous diagnostics reports are posted. */
  diagnosticsUrl: string;
}

/** Resolves the configuration from a `WXT_EXPRESSAI_*` environment (build time or `process.env`). */
export function resolveServiceConfig(env: Record<string, string | undefined>): ServiceConfig {
  const issuer = trimSlash(env.WXT_EXPRESSAI_ISSUER || DEFAULT_SERVICE_ORIGIN);
  const api = trimSlash(env.WXT_EXPRESSAI_API || `${issuer}/v1`);
  const diagnosticsUrl = env.WXT_EXPRESSAI_DIAGNOSTICS_URL || `${api}/diagnostics`;
  return { issuer, api, diagnosticsUrl };
}

/** Origins the extension may connect to: the CSP's `connect-src` and the network audit use this. */
export function serviceOrigins(config: ServiceConfig): string[] {
  return [...new Set([config.issuer, config.api, config.diagnosticsUrl].map((u) => new URL(u).origin))];
}

function trimSlash(url: string): string {
  return url.replace(/\/+$/, '');
}
