import { beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing';
import { readStatus } from '@/utils/auth/auth-status';
import { recoverInterruptedSignIn } from '@/utils/auth/lifecycle';
import { resetOAuthContext } from '@/utils/auth/oauth-context';
import { completeSignIn, signIn } from '@/utils/auth/sign-in';
import { authFlow, authSession, authTokens, processedCode } from '@/utils/storage-items';
import { hashSubscription } from '@/utils/subscription-hash';
import { createFakeOidc } from './fake-oidc';
import { dumpExtensionStorage } from './storage-dump';

const REDIRECT = 'https://cohfjjbmjffeaenjgiofhalfbckieang.chromiumapp.org/';
let oidc: ReturnType<typeof createFakeOidc>;
let launch: ReturnType<typeof vi.fn>;

beforeEach(() => {
  fakeBrowser.reset();
  resetOAuthContext();
  oidc = createFakeOidc();
  vi.stubGlobal('fetch', oidc.fetch);
  vi.spyOn(fakeBrowser.identity, 'getRedirectURL').mockReturnValue(REDIRECT);
  launch = vi.fn(async ({ url }: { url: string }) => oidc.authorize(url));
  vi.spyOn(fakeBrowser.identity, 'launchWebAuthFlow').mockImplementation(launch as never);
});

async function expectNothingStored() {
  expect(await authSession.getValue()).toBeNull();
  expect(await authTokens.getValue()).toBeNull();
  expect(await authFlow.getValue()).toBeNull();
}

describe('sign-in', () => {
  it('signs in with PKCE S256, state and nonce, exchanging the code once', async () => {
    const status = await signIn();
    expect(status).toEqual({ state: 'signed-in', email: 'alice@example.com', subscriptionHash: hashSubscription(oidc.account.krn) });
    const authUrl = new URL((launch.mock.calls[0]![0] as { url: string }).url);
    expect(authUrl.searchParams.get('code_challenge_method')).toBe('S256');
    expect(authUrl.searchParams.get('state')).toMatch(/^[\w-]{43}$/);
    expect(authUrl.searchParams.get('nonce')).toMatch(/^[\w-]{43}$/);
    expect(oidc.counts.authorization_code).toBe(1);
    const session = await authSession.getValue();
    expect(session?.subscriptionHash).toBe(hashSubscription(oidc.account.krn));
    expect(await authFlow.getValue()).toBeNull();
  });

  it('keeps no token, code or KRN in readable form in any storage area', async () => {
    const status = await signIn();
    expect(status.state).toBe('signed-in');
    const { local, all } = await dumpExtensionStorage();
    const code = Object.keys(await processedCode.getValue());
    expect(code).toHaveLength(1);
    for (const secret of ['rt-', 'code-', oidc.account.krn]) expect(local).not.toContain(secret);
    // The access token is allowed only in session storage; the KRN nowhere.
    expect(all).not.toContain(oidc.account.krn);
    expect(all).not.toMatch(/"code-\d+"/);
  });

  it('exchanges a redirect delivered twice only once, and says so clearly', async () => {
    let redirect = '';
    launch.mockImplementation(async ({ url }: { url: string }) => (redirect = oidc.authorize(url)));
    await signIn();
    await expect(completeSignIn(redirect)).rejects.toMatchObject({ code: 'already_signed_in' });
    expect(oidc.counts.authorization_code).toBe(1);
    expect(oidc.counts.codeReuse).toBe(0);
  });

  it('exchanges a redirect delivered from two contexts at once only once', async () => {
    let redirect = '';
    launch.mockImplementation(async ({ url }: { url: string }) => {
      redirect = oidc.authorize(url);
      // A second context delivers the same redirect while the first is still being handled.
      return redirect;
    });
    const first = signIn();
    await vi.waitFor(() => expect(redirect).not.toBe(''));
    const second = completeSignIn(redirect);
    const results = await Promise.allSettled([first, second]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const rejected = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
    expect(['auth_in_progress', 'already_signed_in']).toContain(rejected.reason.code);
    expect(oidc.counts.authorization_code).toBe(1);
    expect((await readStatus()).state).toBe('signed-in');
  });

  it('refuses a wrong state without exchanging the code and stores nothing', async () => {
    launch.mockImplementation(async ({ url }: { url: string }) => oidc.authorize(url, (p) => p.set('state', 'forged')));
    await expect(signIn()).rejects.toMatchObject({ code: 'auth_state_mismatch' });
    expect(oidc.counts.authorization_code).toBe(0);
    await expectNothingStored();
    expect(await readStatus()).toMatchObject({ state: 'error', code: 'auth_state_mismatch' });
  });

  it('refuses a redirect with no state at all', async () => {
    launch.mockImplementation(async ({ url }: { url: string }) => oidc.authorize(url, (p) => p.delete('state')));
    await expect(signIn()).rejects.toMatchObject({ code: 'auth_state_mismatch' });
    await expectNothingStored();
  });

  it('reports an error= redirect in plain words', async () => {
    launch.mockImplementation(async ({ url }: { url: string }) => {
      const state = new URL(url).searchParams.get('state');
      return `${REDIRECT}?error=access_denied&state=${state}`;
    });
    await expect(signIn()).rejects.toMatchObject({ code: 'auth_denied', message: expect.stringContaining('denied') });
    await expectNothingStored();
  });

  it('reports a cancelled auth window', async () => {
    launch.mockRejectedValue(new Error('The user did not approve access.'));
    await expect(signIn()).rejects.toMatchObject({ code: 'auth_cancelled' });
    await expectNothingStored();
    expect(await readStatus()).toMatchObject({ state: 'error', code: 'auth_cancelled' });
  });

  it('reports a sign-in page that could not be loaded as a network problem', async () => {
    launch.mockRejectedValue(new Error('Authorization page could not be loaded.'));
    await expect(signIn()).rejects.toMatchObject({ code: 'auth_network' });
  });

  it.each([
    ['network failure', 'network', 'auth_network'],
    ['server error', 500, 'auth_server'],
    ['refused code', 'invalid_grant', 'auth_code_rejected'],
  ] as const)('ends the attempt on a token-endpoint %s and stores nothing', async (_label, fault, code) => {
    oidc.faults.token.push(fault);
    await expect(signIn()).rejects.toMatchObject({ code });
    await expectNothingStored();
    expect(await readStatus()).toMatchObject({ state: 'error', code });
  });

  it('refuses to exchange a redelivered code after a failed attempt', async () => {
    let redirect = '';
    launch.mockImplementation(async ({ url }: { url: string }) => (redirect = oidc.authorize(url)));
    oidc.faults.token.push(500);
    await expect(signIn()).rejects.toMatchObject({ code: 'auth_server' });
    await expect(completeSignIn(redirect)).rejects.toMatchObject({ code: 'auth_code_rejected' });
    expect(oidc.counts.authorization_code).toBe(1);
  });

  it('fails an attempt cleanly when discovery cannot reach the service', async () => {
    vi.stubGlobal('fetch', async () => {
      throw new TypeError('Failed to fetch');
    });
    await expect(signIn()).rejects.toMatchObject({ code: 'auth_network' });
    expect(launch).not.toHaveBeenCalled();
  });

  it('does not start a second sign-in while one is open', async () => {
    let finish!: (url: string) => void;
    launch.mockImplementation(({ url }: { url: string }) => new Promise((r) => (finish = () => r(oidc.authorize(url)))));
    const first = signIn();
    await vi.waitFor(() => expect(launch).toHaveBeenCalledTimes(1));
    await expect(signIn()).rejects.toMatchObject({ code: 'auth_in_progress' });
    finish('');
    await expect(first).resolves.toMatchObject({ state: 'signed-in' });
  });

  it('ends a sign-in that a restarted background can no longer finish, with a clear message', async () => {
    launch.mockImplementation(() => new Promise(() => {}));
    void signIn();
    await vi.waitFor(async () => expect(await authFlow.getValue()).not.toBeNull());
    // A new background life starts: its recovery runs before it answers anything.
    await recoverInterruptedSignIn();
    expect(await readStatus()).toMatchObject({ state: 'error', code: 'auth_interrupted' });
    await expectNothingStored();
  });

  it('answers a redirect that arrives after the attempt was abandoned with a clear error', async () => {
    let redirect = '';
    launch.mockImplementation(async ({ url }: { url: string }) => {
      redirect = oidc.authorize(url);
      throw new Error('The user did not approve access.');
    });
    await expect(signIn()).rejects.toMatchObject({ code: 'auth_cancelled' });
    await expect(completeSignIn(redirect)).rejects.toMatchObject({ code: 'auth_interrupted' });
    expect(oidc.counts.authorization_code).toBe(0);
  });
});
