/**
 * The development accounts. Each has its own subscription; the KRNs are fixed
 * so that anything keyed by a subscription survives a restart of the service.
 * The passwords are public on purpose: this service never holds real users.
 */
import { createHash, timingSafeEqual } from 'node:crypto';

export interface DevAccount {
  /** The OpenID `sub`: stable and opaque. */
  id: string;
  email: string;
  password: string;
  /** The subscription identifier the extension hashes for per-subscription storage. */
  krn: string;
}

export const DEV_ACCOUNTS: readonly DevAccount[] = [
  {
    id: 'dev-account-alice',
    email: 'alice@example.com',
    password: 'alice-dev-password',
    krn: 'krn:expressai:subscription:7f3c9a1e52b84d06a9e1c4b2d8f05a37',
  },
  {
    id: 'dev-account-bob',
    email: 'bob@example.com',
    password: 'bob-dev-password',
    krn: 'krn:expressai:subscription:c41d8e6b0f2a4973b5d6e8a1f9c27b04',
  },
];

export function findAccountById(id: string): DevAccount | undefined {
  return DEV_ACCOUNTS.find((a) => a.id === id);
}

/** The account whose email and password both match, or undefined. */
export function authenticate(email: string, password: string): DevAccount | undefined {
  const account = DEV_ACCOUNTS.find((a) => a.email === email.trim().toLowerCase());
  // Compare digests so the check takes the same time whatever the input length.
  const given = createHash('sha256').update(password).digest();
  const expected = createHash('sha256').update(account?.password ?? '\0no-account').digest();
  return account && timingSafeEqual(given, expected) ? account : undefined;
}

/** The claims the ID token and userinfo carry, filtered by oidc-provider to the granted scopes. */
export function accountClaims(account: DevAccount): Record<string, unknown> {
  return { sub: account.id, email: account.email, email_verified: true, krn: account.krn };
}
