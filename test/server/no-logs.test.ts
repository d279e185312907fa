import { createHash } from 'node:crypto';
import * as oauth from 'oauth4webapi';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { reportInternalError } from '../../server/provider-hooks';
import { BrowserSession } from './helpers/browser-session';
import { ALICE, authorize, chat, client, exchangeCode, insecure, refresh, startTestService, userPrompt } from './helpers/service';
import { contentOf, readStream } from './helpers/sse';

/** Everything written to stdout, stderr or the console while `capture` is on. */
let output = '';
beforeEach(() => {
  output = '';
  const keep = (chunk: unknown) => {
    output += typeof chunk === 'string' ? chunk : Buffer.from(chunk as Uint8Array).toString('utf8');
    return true;
  };
  vi.spyOn(process.stdout, 'write').mockImplementation(keep);
  vi.spyOn(process.stderr, 'write').mockImplementation(keep);
  for (const method of ['log', 'info', 'warn', 'error', 'debug', 'trace'] as const) {
    vi.spyOn(console, method).mockImplementation((...args: unknown[]) => keep(`${args.map(String).join(' ')}\n`));
  }
});
afterEach(() => vi.restoreAllMocks());

describe('the service prints nothing about users', () => {
  it('during a whole session: sign-in, tokens, chat, diagnostics, errors, sign-out', async () => {
    const svc = await startTestService();
    const secrets: string[] = [ALICE.email, ALICE.password, ALICE.krn, createHash('sha256').update(ALICE.krn).digest('hex')];
    try {
      // A wrong password first, then the real sign-in.
      const session = new BrowserSession();
      const auth = await authorize(svc, { account: { email: ALICE.email, password: 'wrong-password-123' }, session }).catch(() => undefined);
      expect(auth).toBeUndefined();
      secrets.push('wrong-password-123');
      const good = await authorize(svc, { session });
      const code = good.callback.searchParams.get('code')!;
      const tokens = await oauth.processAuthorizationCodeResponse(svc.as, client, await exchangeCode(svc, good));
      secrets.push(code, tokens.access_token, tokens.refresh_token!, tokens.id_token!);
      // Reusing the code: an error path inside the provider.
      await exchangeCode(svc, good).then((r) => r.text());

      const fresh = await (async () => {
        const again = await authorize(svc, { session });
        return oauth.processAuthorizationCodeResponse(svc.as, client, await exchangeCode(svc, again));
      })();
      const renewed = await refresh(svc, fresh.refresh_token!);
      secrets.push(fresh.access_token, fresh.refresh_token!, renewed.access_token, renewed.refresh_token!);
      await oauth.userInfoRequest(svc.as, client, renewed.access_token, insecure).then((r) => r.text());

      const prompt = 'purple-elephant-prompt-7731 tell me about quokkas';
      const answer = contentOf(await readStream(await chat(svc, renewed.access_token, userPrompt(prompt))));
      secrets.push(prompt, 'purple-elephant-prompt-7731', answer.slice(0, 40));
      await (await chat(svc, renewed.access_token, userPrompt(prompt, false))).text();
      await (await chat(svc, renewed.access_token, '{"model": "expressai-dev", "messages": [{"role": "robot", "content": "purple-elephant-prompt-7731"}]}')).text();
      await (await chat(svc, 'forged-token-0042', userPrompt(prompt))).text();
      secrets.push('forged-token-0042');

      await fetch(`${svc.url}/v1/diagnostics`, { method: 'POST', body: '{"schema":1,"secretField":"diag-secret-55"}', headers: { Cookie: 'c=cookie-secret-66' } });
      secrets.push('diag-secret-55', 'cookie-secret-66');

      await oauth.revocationRequest(svc.as, client, oauth.None(), renewed.refresh_token!, insecure).then((r) => r.text());
      await refresh(svc, fresh.refresh_token!).catch(() => undefined);
    } finally {
      await svc.close();
    }
    vi.restoreAllMocks();
    for (const secret of secrets) expect(output, 'a secret reached the console').not.toContain(secret);
    expect(output.trim()).toBe('');
  });

  it('an internal error is reported by class only, never by message', () => {
    reportInternalError('/v1/chat/completions', new TypeError('token abc123 for alice@example.com'));
    vi.restoreAllMocks();
    expect(output).toBe('[expressai] internal error in /v1/chat/completions: TypeError\n');
  });
});
