import { AccountSection } from '@/components/account-section';
import { AppShell } from '@/components/app-shell';
import { ProviderSection } from '@/components/chat-app/provider-section';
import { mount } from '@/components/mount';
import { PrivacyOverview } from '@/components/privacy-overview';
import { DiagnosticsSection } from '@/components/settings/diagnostics-section';
import { PrivacySection } from '@/components/settings/privacy-section';
import { YourDataSection } from '@/components/settings/your-data-section';
import { StoredItemsTable } from '@/components/stored-items-table';
import { HistorySection } from '@/components/vault/history-section';
import { SecuritySection } from '@/components/vault/security-section';

mount(
  <AppShell title="ExpressAI Settings">
    <div class="page-width">
      <AccountSection />
      <PrivacyOverview />
      <SecuritySection />
      <HistorySection />
      <ProviderSection />
      <PrivacySection />
      <DiagnosticsSection />
      <StoredItemsTable />
      <YourDataSection />
    </div>
  </AppShell>,
);
