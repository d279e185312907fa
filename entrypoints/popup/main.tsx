import { AppShell } from '@/components/app-shell';
import { EmptyState } from '@/components/empty-state';
import { mount } from '@/components/mount';

mount(
  <AppShell title="ExpressAI" class="popup-size">
    <EmptyState heading="Private AI chat">
      <p>Sign in to ask ExpressAI anything. Your conversations are encrypted on this device.</p>
    </EmptyState>
  </AppShell>,
);
