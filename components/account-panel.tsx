import type { AuthController } from './use-auth-status';

interface AccountPanelProps {
  auth: AuthController;
  /** Compact: the popup and side panel header; full: the welcome page and Settings. */
  compact?: boolean;
}

/** Signed out, signing in, signed in as…, session ended, or an error with "Try again". */
export function AccountPanel({ auth, compact = false }: AccountPanelProps) {
  const { status, busy } = auth;
  if (!status) return <p class="muted" role="status">Checking your account…</p>;
  const signInButton = (label: string) => (
    <button type="button" class="primary" onClick={auth.signIn} disabled={busy}>
      {label}
    </button>
  );
  switch (status.state) {
    case 'signed-in':
      return (
        <div class="account" role="status">
          <span>
            Signed in as <strong>{status.email}</strong>
          </span>
          {!compact && (
            <button type="button" onClick={auth.signOut} disabled={busy}>
              Sign out
            </button>
          )}
        </div>
      );
    case 'signing-in':
      return (
        <p class="account" role="status">
          Signing in… finish in the ExpressAI window.
        </p>
      );
    case 'ended':
      return (
        <div class="account" role="alert">
          <span>{status.message ?? 'Your session has ended — sign in again.'}</span>
          {signInButton('Sign in')}
        </div>
      );
    case 'error':
      return (
        <div class="account" role="alert">
          <span class="error">{status.message ?? 'Sign-in did not work.'}</span>
          <button type="button" class="primary" onClick={auth.signIn} disabled={busy} aria-label="Try again">
            Try again
          </button>
        </div>
      );
    default:
      return (
        <div class="account" role="status">
          <span>You are signed out.</span>
          {signInButton('Sign in')}
        </div>
      );
  }
}
