import { AccountPanel } from './account-panel';
import { useAuthStatus } from './use-auth-status';

/** The account card on the welcome page and in Settings. */
export function AccountSection() {
  const auth = useAuthStatus();
  return (
    <section class="card" aria-labelledby="account-heading">
      <h2 id="account-heading">Account</h2>
      <AccountPanel auth={auth} />
    </section>
  );
}
