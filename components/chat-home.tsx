import { AccountPanel } from './account-panel';
import { AppShell } from './app-shell';
import { EmptyState } from './empty-state';
import { useAuthStatus } from './use-auth-status';

interface ChatHomeProps {
  /** The popup is compact; the side panel also lists conversations. */
  variant: 'popup' | 'sidepanel';
}

/** The popup's and side panel's page: account state, then the chat. */
export function ChatHome({ variant }: ChatHomeProps) {
  const auth = useAuthStatus();
  const signedIn = auth.status?.state === 'signed-in';
  return (
    <AppShell title="ExpressAI" class={variant === 'popup' ? 'popup-size' : ''}>
      <AccountPanel auth={auth} compact />
      {variant === 'sidepanel' && (
        <nav aria-label="Conversations">
          <p class="muted">No conversations yet.</p>
        </nav>
      )}
      <EmptyState heading="Private AI chat">
        <p>
          {signedIn
            ? 'Ask ExpressAI anything. Your conversations are encrypted on this device.'
            : 'Sign in to ask ExpressAI anything. Your conversations are encrypted on this device.'}
        </p>
      </EmptyState>
    </AppShell>
  );
}
