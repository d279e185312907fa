/**
 * The service's only HTML: the sign-in and consent steps and an error page.
 * Plain forms, labelled controls, no script, no external resource, and a CSP
 * that allows exactly the inline stylesheet below and form posts to this
 * origin and to the extension's redirect URIs (a form's redirect chain ends there).
 */
import { createHash } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { CHROME_REDIRECT_URI, FIREFOX_REDIRECT_URI } from '../utils/extension-identity';
import { DEV_ACCOUNTS } from './accounts';

const STYLE = [
  'body{font:16px/1.5 system-ui,sans-serif;margin:0;background:#f4f5f7;color:#1b1f24}',
  'main{max-width:26rem;margin:3rem auto;padding:2rem;background:#fff;border-radius:8px;box-shadow:0 1px 3px #0002}',
  'h1{font-size:1.4rem;margin-top:0}h2{font-size:1rem;margin-top:2rem}',
  'label{display:block;font-weight:600;margin-top:1rem}',
  'input{box-sizing:border-box;width:100%;padding:.5rem;font:inherit;border:1px solid #8a8f98;border-radius:4px}',
  'button{margin-top:1.25rem;padding:.55rem 1.2rem;font:inherit;font-weight:600;border:0;border-radius:4px;background:#c8102e;color:#fff;cursor:pointer}',
  'button.secondary{background:#e4e6ea;color:#1b1f24}',
  'button:focus-visible,input:focus-visible{outline:3px solid #0b5fff;outline-offset:2px}',
  '.alert{padding:.6rem .8rem;border-radius:4px;background:#fde8ea;color:#8a0d20;font-weight:600}',
  '.note{color:#4a505a;font-size:.9rem}',
  'table{border-collapse:collapse;width:100%;font-size:.9rem}th,td{text-align:left;padding:.25rem .4rem;border-bottom:1px solid #e4e6ea}',
].join('');

const STYLE_HASH = createHash('sha256').update(STYLE).digest('base64');
const REDIRECT_ORIGINS = [CHROME_REDIRECT_URI, FIREFOX_REDIRECT_URI].map((u) => new URL(u).origin).join(' ');

export const PAGE_CSP = [
  "default-src 'none'",
  `style-src 'sha256-${STYLE_HASH}'`,
  `form-action 'self' ${REDIRECT_ORIGINS}`,
  "frame-ancestors 'none'",
  "base-uri 'none'",
].join('; ');

/** Headers every HTML answer carries. */
export const PAGE_HEADERS: Record<string, string> = {
  'Content-Type': 'text/html; charset=utf-8',
  'Content-Security-Policy': PAGE_CSP,
  'Cache-Control': 'no-store',
  'Referrer-Policy': 'no-referrer',
  'X-Content-Type-Options': 'nosniff',
};

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title><style>${STYLE}</style></head>
<body><main>${body}</main></body></html>`;
}

export function sendPage(res: ServerResponse, status: number, html: string): void {
  res.writeHead(status, { ...PAGE_HEADERS, 'Content-Length': Buffer.byteLength(html) });
  res.end(html);
}

const cancelForm = (action: string) => `<form method="post" action="${escapeHtml(action)}"><button type="submit" class="secondary">Cancel</button></form>`;

export function signInPage(opts: { action: string; cancelAction: string; error?: string; email?: string }): string {
  const accounts = DEV_ACCOUNTS.map((a) => `<tr><td>${escapeHtml(a.email)}</td><td><code>${escapeHtml(a.password)}</code></td></tr>`).join('');
  return page(
    'Sign in to ExpressAI',
    `<h1>Sign in to ExpressAI</h1>
<p class="note">This is the local development service. Sign in with one of the development accounts below.</p>
${opts.error ? `<p class="alert" role="alert" id="sign-in-error">${escapeHtml(opts.error)}</p>` : ''}
<form method="post" action="${escapeHtml(opts.action)}">
<label for="email">Email</label>
<input id="email" name="email" type="email" autocomplete="username" required value="${escapeHtml(opts.email ?? '')}"${opts.error ? ' aria-describedby="sign-in-error"' : ''}>
<label for="password">Password</label>
<input id="password" name="password" type="password" autocomplete="current-password" required>
<button type="submit">Sign in</button>
</form>
${cancelForm(opts.cancelAction)}
<h2 id="dev-accounts">Development accounts</h2>
<table aria-labelledby="dev-accounts"><thead><tr><th scope="col">Account</th><th scope="col">Development password</th></tr></thead><tbody>${accounts}</tbody></table>`,
  );
}

export function consentPage(opts: { action: string; cancelAction: string; email: string }): string {
  return page(
    'Stay signed in to ExpressAI',
    `<h1>ExpressAI wants to keep you signed in for up to 24 hours</h1>
<p>Signed in as <strong>${escapeHtml(opts.email)}</strong>. The ExpressAI extension will be able to use the chat service for you until you sign out, or for 24 hours at most.</p>
<form method="post" action="${escapeHtml(opts.action)}"><button type="submit">Allow</button></form>
${cancelForm(opts.cancelAction)}`,
  );
}

export function errorPage(title: string, message: string): string {
  return page(title, `<h1>${escapeHtml(title)}</h1><p role="alert">${escapeHtml(message)}</p><p class="note">Close this window and sign in again from the extension.</p>`);
}
