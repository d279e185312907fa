import { AccountPanel } from './account-panel';
import { ChatApp } from './chat-app/chat-app';
import { AppShell } from './app-shell';
import { EmptyState } from './empty-state';
import { useAuthStatus } from './use-auth-status';
import { Shown } from './page-shown';
import { LockNowButton } from './vault/lock-now-button';
import { VaultGate } from './vault/vault-gate';

interface ChatHomeProps {
  /** The popup is compact; the side panel also lists conversations. */
  variant: 'popup' | 'sidepanel';
}

/** What an unlocked vault shows: the chat (components/chat-app), whose history the background keeps for the signed-in subscription. */
function ChatArea({ variant, subscriptionHash }: ChatHomeProps & { subscriptionHash: string }) {
  return <ChatApp variant={variant} subscriptionHash={subscriptionHash} />;
}

/** The popup's and side panel's page: account state, then (signed in) the master-password gate around the chat. */
export function ChatHome({ variant }: ChatHomeProps) {
  const auth = useAuthStatus();
  const hash = auth.status?.state === 'signed-in' ? auth.status.subscriptionHash : undefined;
  return (
    <AppShell title="ExpressAI" class={variant === 'popup' ? 'popup-size' : ''} actions={hash && <LockNowButton key={hash} subscriptionHash={hash} />}>
      <AccountPanel auth={auth} compact />
      {/* Nothing until the account state is known: a signed-in page must not flash the signed-out text. */}
      {auth.status === undefined ? null : hash ? (
        <VaultGate key={hash} subscriptionHash={hash}>
          {(subscriptionHash) => <ChatArea variant={variant} subscriptionHash={subscriptionHash} />}
        </VaultGate>
      ) : (
        <EmptyState heading="Private AI chat">
          <Shown />
          <p>Sign in to ask ExpressAI anything. Your conversations are encrypted on this device.</p>
        </EmptyState>
      )}
    </AppShell>
  );
}
