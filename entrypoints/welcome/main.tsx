import { AccountSection } from '@/components/account-section';
import { AppShell } from '@/components/app-shell';
import { mount } from '@/components/mount';
import { PrivacyOverview } from '@/components/privacy-overview';

mount(
  <AppShell title="Welcome to ExpressAI">
    <div class="page-width">
      <section class="card">
        <h2>Private AI chat in your browser</h2>
        <p>
          Ask from the toolbar button or keep the chat open in the side panel. Sign in with your ExpressAI account to
          start.
        </p>
      </section>
      <AccountSection />
      <PrivacyOverview />
    </div>
  </AppShell>,
);
