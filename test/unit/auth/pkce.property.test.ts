import { sha256 } from '@noble/hashes/sha2.js';
import fc from 'fast-check';
import * as oauth from 'oauth4webapi';
import { describe, expect, it } from 'vitest';
import { authorizationUrl, createPendingFlow } from '@/utils/auth/pkce';

/** @see https://www.rfc-editor.org/rfc/rfc7636#section-4.1 — unreserved characters, 43 to 128 long */
const VERIFIER = /^[A-Za-z0-9\-._~]{43,128}$/;
const b64url = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64url');

describe('PKCE (RFC 7636)', () => {
  it('makes verifiers of unreserved characters, 43–128 long, never repeated', async () => {
    const seen = new Set<string>();
    await fc.assert(
      fc.asyncProperty(fc.constant(null), async () => {
        const { flow } = await createPendingFlow('https://example.chromiumapp.org/', 0);
        expect(flow.codeVerifier).toMatch(VERIFIER);
        expect(seen.has(flow.codeVerifier)).toBe(false);
        seen.add(flow.codeVerifier);
      }),
      { numRuns: 200 },
    );
  });

  it('derives the S256 challenge as BASE64URL(SHA256(ASCII(verifier))) without padding', async () => {
    await fc.assert(
      fc.asyncProperty(fc.stringMatching(VERIFIER), async (verifier) => {
        const challenge = await oauth.calculatePKCECodeChallenge(verifier);
        expect(challenge).toBe(b64url(sha256(new TextEncoder().encode(verifier))));
        expect(challenge).toMatch(/^[A-Za-z0-9_-]{43}$/);
      }),
    );
  });

  it('matches the RFC 7636 appendix B example', async () => {
    expect(await oauth.calculatePKCECodeChallenge('dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk')).toBe('E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM');
  });

  it('puts the flow\'s own challenge, S256, state and nonce into the authorization URL', async () => {
    const { flow, codeChallenge } = await createPendingFlow('https://example.chromiumapp.org/', 0);
    const url = new URL(authorizationUrl({ issuer: 'https://id.example', authorization_endpoint: 'https://id.example/auth' }, 'client', flow, codeChallenge));
    expect(Object.fromEntries(url.searchParams)).toMatchObject({
      code_challenge: codeChallenge,
      code_challenge_method: 'S256',
      state: flow.state,
      nonce: flow.nonce,
      redirect_uri: flow.redirectUri,
      response_type: 'code',
    });
    expect(url.searchParams.has('code_verifier')).toBe(false);
  });
});
