import { AccountSection } from '@/components/account-section';
import { AppShell } from '@/components/app-shell';
import { mount } from '@/components/mount';
import { PrivacyOverview } from '@/components/privacy-overview';
import { StoredItemsTable } from '@/components/stored-items-table';

mount(
  <AppShell title="ExpressAI Settings">
    <div class="page-width">
      <AccountSection />
      <PrivacyOverview />
      <StoredItemsTable />
    </div>
  </AppShell>,
);
