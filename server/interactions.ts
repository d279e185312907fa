/**
 * The sign-in and consent steps oidc-provider hands over to us at
 * `/interaction/<uid>`: render the step, check the form, and give the result
 * back to the provider, which continues the authorization request.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type Provider from 'oidc-provider';
import { authenticate, findAccountById } from './accounts';
import { BodyTooLargeError, readBody } from './http-util';
import { consentPage, errorPage, sendPage, signInPage } from './pages';

const FORM_LIMIT_BYTES = 8 * 1024;
const ROUTE = /^\/interaction\/([\w-]+)(?:\/(login|confirm|abort))?$/;

/** Handles `/interaction/...`; answers 404 for anything else under it. */
export async function handleInteraction(provider: Provider, req: IncomingMessage, res: ServerResponse, path: string): Promise<void> {
  const match = ROUTE.exec(path);
  const step = match?.[2];
  if (!match || (step ? req.method !== 'POST' : req.method !== 'GET')) {
    return sendPage(res, 404, errorPage('Not found', 'There is no page here.'));
  }
  let details: Awaited<ReturnType<Provider['interactionDetails']>>;
  try {
    details = await provider.interactionDetails(req, res);
  } catch {
    return sendPage(res, 400, errorPage('This sign-in has expired', 'The sign-in page is no longer valid.'));
  }
  const base = `/interaction/${details.uid}`;
  const prompt = details.prompt.name;

  if (step === 'abort') {
    return provider.interactionFinished(req, res, { error: 'access_denied', error_description: 'The user cancelled the sign-in.' }, { mergeWithLastSubmission: false });
  }

  if (prompt === 'login') {
    if (!step) return sendPage(res, 200, signInPage({ action: `${base}/login`, cancelAction: `${base}/abort` }));
    if (step !== 'login') return sendPage(res, 400, errorPage('Sign-in out of order', 'Please sign in first.'));
    const form = await readForm(req);
    const account = form && authenticate(form.get('email') ?? '', form.get('password') ?? '');
    if (!account) {
      const page = signInPage({ action: `${base}/login`, cancelAction: `${base}/abort`, error: 'Wrong email or password.', email: form?.get('email') ?? '' });
      return sendPage(res, 200, page);
    }
    // The account id given here is the one findAccount will be asked for.
    return provider.interactionFinished(req, res, { login: { accountId: account.id } }, { mergeWithLastSubmission: false });
  }

  if (prompt === 'consent') {
    const accountId = details.session?.accountId;
    const account = accountId ? findAccountById(accountId) : undefined;
    if (!account) return sendPage(res, 400, errorPage('This sign-in has expired', 'The account for this sign-in is gone.'));
    if (!step) return sendPage(res, 200, consentPage({ action: `${base}/confirm`, cancelAction: `${base}/abort`, email: account.email }));
    if (step !== 'confirm') return sendPage(res, 400, errorPage('Sign-in out of order', 'Please confirm first.'));
    return provider.interactionFinished(req, res, { consent: { grantId: await grantConsent(provider, details, account.id) } }, { mergeWithLastSubmission: true });
  }

  return sendPage(res, 400, errorPage('Unsupported sign-in step', 'This service cannot complete this sign-in request.'));
}

/**
 * A fresh grant per sign-in, holding what was asked for: each sign-in gets its
 * own 24 hours, and revoking one extension's sign-in leaves others alone.
 */
async function grantConsent(provider: Provider, details: Awaited<ReturnType<Provider['interactionDetails']>>, accountId: string): Promise<string> {
  const grant = new provider.Grant({ accountId, clientId: String(details.params.client_id) });
  const missing = details.prompt.details as { missingOIDCScope?: string[]; missingOIDCClaims?: string[]; missingResourceScopes?: Record<string, string[]> };
  const requested = typeof details.params.scope === 'string' ? details.params.scope.split(' ') : [];
  grant.addOIDCScope([...new Set([...requested, ...(missing.missingOIDCScope ?? [])])].join(' '));
  if (missing.missingOIDCClaims?.length) grant.addOIDCClaims(missing.missingOIDCClaims);
  for (const [resource, scopes] of Object.entries(missing.missingResourceScopes ?? {})) grant.addResourceScope(resource, scopes.join(' '));
  return grant.save();
}

async function readForm(req: IncomingMessage): Promise<URLSearchParams | undefined> {
  if (!String(req.headers['content-type']).startsWith('application/x-www-form-urlencoded')) return undefined;
  try {
    return new URLSearchParams(await readBody(req, FORM_LIMIT_BYTES));
  } catch (error) {
    if (error instanceof BodyTooLargeError) return undefined;
    throw error;
  }
}
