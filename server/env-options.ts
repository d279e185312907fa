/**
 * Reads the service's options from `EXPRESSAI_*` environment variables, and
 * describes a running service in the few lines it prints on start.
 */
import { DEV_ACCOUNTS } from './accounts';
import type { ServerOptions } from './app';
import { DEV_MODEL_ID } from './dev-model';

/** Options from `EXPRESSAI_HOST`, `_PORT`, `_TEST_MODE`, `_ACCESS_TOKEN_TTL`, `_SESSION_MAX_SECONDS`, `_UPSTREAM_URL`, `_UPSTREAM_KEY`. */
export function optionsFromEnv(env: Record<string, string | undefined>): ServerOptions {
  return {
    host: env.EXPRESSAI_HOST || '127.0.0.1',
    port: integer(env, 'EXPRESSAI_PORT', 0, 65_535) ?? 8787,
    testMode: env.EXPRESSAI_TEST_MODE === '1' || env.EXPRESSAI_TEST_MODE === 'true',
    accessTokenTtlSeconds: integer(env, 'EXPRESSAI_ACCESS_TOKEN_TTL', 1, 86_400),
    sessionMaxSeconds: integer(env, 'EXPRESSAI_SESSION_MAX_SECONDS', 1, 86_400),
    upstreamUrl: env.EXPRESSAI_UPSTREAM_URL || undefined,
    upstreamKey: env.EXPRESSAI_UPSTREAM_KEY || undefined,
  };
}

function integer(env: Record<string, string | undefined>, name: string, min: number, max: number): number | undefined {
  const raw = env[name];
  if (raw === undefined || raw === '') return undefined;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) throw new Error(`${name} must be an integer from ${min} to ${max}.`);
  return value;
}

/** Where it listens, the mode, and the dev accounts; nothing else. The upstream key is never shown. */
export function startBanner(url: string, options: ServerOptions): string {
  const mode = options.upstreamUrl
    ? `relaying to ${displayUrl(options.upstreamUrl)} (its models replace ${DEV_MODEL_ID})`
    : `development model "${DEV_MODEL_ID}" (deterministic markdown, not AI)`;
  return [
    `ExpressAI development service listening on ${url}`,
    `  mode: ${mode}`,
    `  test controls: ${options.testMode ? `on (${url}/__test/)` : 'off'}`,
    '  development accounts:',
    ...DEV_ACCOUNTS.map((a) => `    ${a.email}  password: ${a.password}`),
  ].join('\n');
}

function displayUrl(value: string): string {
  const url = new URL(value);
  url.username = '';
  url.password = '';
  url.search = '';
  return url.href;
}
