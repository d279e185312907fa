import { describe, expect, it } from 'vitest';
import { optionsFromEnv, startBanner } from '../../server/env-options';

describe('environment', () => {
  it('defaults to 127.0.0.1:8787 without test controls', () => {
    expect(optionsFromEnv({})).toMatchObject({ host: '127.0.0.1', port: 8787, testMode: false, upstreamUrl: undefined });
  });

  it('reads every EXPRESSAI_* variable', () => {
    const options = optionsFromEnv({
      EXPRESSAI_HOST: '0.0.0.0',
      EXPRESSAI_PORT: '18787',
      EXPRESSAI_TEST_MODE: '1',
      EXPRESSAI_ACCESS_TOKEN_TTL: '30',
      EXPRESSAI_SESSION_MAX_SECONDS: '600',
      EXPRESSAI_UPSTREAM_URL: 'http://127.0.0.1:11434/v1',
      EXPRESSAI_UPSTREAM_KEY: 'sk-x',
    });
    expect(options).toEqual({ host: '0.0.0.0', port: 18787, testMode: true, accessTokenTtlSeconds: 30, sessionMaxSeconds: 600, upstreamUrl: 'http://127.0.0.1:11434/v1', upstreamKey: 'sk-x' });
  });

  it('says which variable is wrong', () => {
    expect(() => optionsFromEnv({ EXPRESSAI_PORT: 'eighty' })).toThrow('EXPRESSAI_PORT must be an integer from 0 to 65535.');
    expect(() => optionsFromEnv({ EXPRESSAI_ACCESS_TOKEN_TTL: '0' })).toThrow('EXPRESSAI_ACCESS_TOKEN_TTL');
  });
});

describe('start banner', () => {
  it('shows where, the mode and the dev accounts, never the upstream key or credentials', () => {
    const banner = startBanner('http://127.0.0.1:8787', {
      testMode: true,
      upstreamUrl: 'http://user:pass@127.0.0.1:11434/v1?token=abc',
      upstreamKey: 'sk-secret-key',
    });
    expect(banner).toContain('listening on http://127.0.0.1:8787');
    expect(banner).toContain('relaying to http://127.0.0.1:11434/v1');
    expect(banner).toContain('alice@example.com');
    expect(banner).toContain('test controls: on');
    for (const secret of ['sk-secret-key', 'user:pass', 'token=abc']) expect(banner).not.toContain(secret);
  });

  it('calls the dev model what it is', () => {
    expect(startBanner('http://127.0.0.1:8787', {})).toContain('not AI');
  });
});
